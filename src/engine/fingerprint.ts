import { createHash } from 'node:crypto';

/**
 * A finding's identity across commits: rule, file and the finding's own key (a variable name,
 * an import), never its line, so moving code around does not make it "new".
 */
export function fingerprint(ruleId: string, file: string, key: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${key}`).digest('hex').slice(0, 20);
}
