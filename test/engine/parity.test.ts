import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_CHECKS } from '../../checks/index.js';
import { rulesDoc } from '../../scripts/rules-doc.js';
import { SEVERITIES } from '../../src/engine/types.js';

/** Like ESLint's checkRuleFiles: every rule file has an index entry, tests and docs. */
const AREAS = readdirSync('checks', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const ruleFiles = AREAS.flatMap((a) =>
  readdirSync(path.join('checks', a))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => `${a}/${f.replace(/\.ts$/, '')}`),
);

describe('rule catalogue parity', () => {
  test('every rule file is in the catalogue, and nothing else is', () => {
    expect(ALL_CHECKS.map((c) => c.id).sort()).toEqual([...ruleFiles].sort());
  });

  test.each(ALL_CHECKS.map((c) => [c.id, c] as const))('%s has tests, metadata and docs', (id, c) => {
    expect(existsSync(`test/checks/${id}.test.ts`)).toBe(true);
    expect(c.title.length).toBeGreaterThan(5);
    expect(SEVERITIES).toContain(c.severity);
    expect(c.docs.length).toBeGreaterThan(40);
    expect(c.fix.length).toBeGreaterThan(10);
    expect(c.example.trim().length).toBeGreaterThan(0);
    expect(c.files.length).toBeGreaterThan(0);
    expect(c.effort).toBeGreaterThan(0);
  });

  test('docs/rules.md is generated from the current metadata (run `npm run docs`)', () => {
    expect(readFileSync('docs/rules.md', 'utf8')).toBe(rulesDoc());
  });
});
