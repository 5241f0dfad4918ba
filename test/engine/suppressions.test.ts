import { applySuppressions, commentOpeners, findSuppressions } from '../../src/engine/suppressions.js';
import type { Finding } from '../../src/engine/types.js';

const finding = (file: string, line: number, ruleId = 'env/committed-dotenv'): Finding => ({
  ruleId,
  severity: 'high',
  file,
  line,
  endLine: line,
  title: 't',
  message: 'm',
  fix: 'f',
  effort: 1,
  fingerprint: `${file}:${line}`,
});

describe('suppressions', () => {
  test('finds markers in each comment syntax', () => {
    expect(findSuppressions('a.py', 'x = 1  # readiness-ignore env/a, env/b\n').map((s) => s.ruleId)).toEqual(['env/a', 'env/b']);
    expect(findSuppressions('a.ts', '// readiness-ignore node/x\n')[0]?.line).toBe(1);
    expect(findSuppressions('m.sql', 'select 1; -- readiness-ignore python/schema-mismatch')).toHaveLength(1);
    expect(findSuppressions('README.md', '<!-- readiness-ignore docs/missing-referenced-file -->')[0]?.ruleId).toBe(
      'docs/missing-referenced-file',
    );
    expect(findSuppressions('Dockerfile', 'FROM x\n# readiness-ignore docker/y\n')[0]?.line).toBe(2);
  });

  test('a marker outside a comment is not a suppression', () => {
    expect(findSuppressions('a.py', 'print("readiness-ignore env/a")\n')).toEqual([]);
    expect(findSuppressions('a.ts', '# readiness-ignore env/a\n')).toEqual([]);
  });

  test('knows comment syntaxes by name and extension', () => {
    expect(commentOpeners('Procfile')).toEqual(['#']);
    expect(commentOpeners('db/001.sql')).toContain('--');
  });

  test('covers its own line and the next, and records use', () => {
    const sups = findSuppressions('a.py', '# readiness-ignore env/committed-dotenv\nx\ny\n');
    const kept = applySuppressions([finding('a.py', 2), finding('a.py', 3), finding('b.py', 2)], sups);
    expect(kept.map((f) => f.fingerprint)).toEqual(['a.py:3', 'b.py:2']);
    expect(sups[0]?.used).toBe(true);
  });
});
