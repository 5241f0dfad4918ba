import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A fixture repository under test/fixtures (the reconstructions of reports 002 and 003, the bundled
 * examples) as the inline file map `checkTable` takes, so a compose rule can be held to what the
 * report lists, at the same file and line.
 */
export function fixtureFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}
