import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes an inline file map into a fresh temporary directory and returns its path. */
export function writeTempRepo(files: Record<string, string | Buffer>, prefix = 'readiness-test-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), c);
  }
  return root;
}
