import { defineCheck, type Check } from '../../src/engine/check.js';
import { MemorySnapshot } from '../../src/engine/memory-snapshot.js';
import { scan } from '../../src/engine/runner.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { defineFacts } from '../../src/model/project.js';

const envCheck: Check = defineCheck({
  id: 'test/env-file',
  title: 'A .env file',
  severity: 'high',
  files: ['**/.env'],
  docs: 'Fires on every .env file, for engine tests.',
  fix: 'Delete it.',
  effort: 5,
  example: '.env',
  run: (m) => m.read('**/.env').map((file) => ({ file, line: 1, key: 'env', message: `${file} exists in the repository` })),
});

const crashing: Check = { ...envCheck, id: 'test/crash', run: () => { throw new Error('boom'); } };
const slow: Check = {
  ...envCheck,
  id: 'test/slow',
  run: (m) => {
    const until = Date.now() + 30;
    while (Date.now() < until);
    return envCheck.run(m);
  },
};

describe('scan', () => {
  test('reads only the files the checks ask for and skips binary and invalid UTF-8 files', async () => {
    const snap = new MemorySnapshot({
      '.env': 'A=1\n',
      'src/main.py': 'print(1)',
      'bin/.env': Buffer.from([0x41, 0x00, 0x42]),
      'x/.env': Buffer.from([0xff, 0xfe, 0x41]),
    });
    const r = await scan(snap, { checks: [envCheck], config: DEFAULT_CONFIG });
    expect(r.summary.filesListed).toBe(4);
    expect(r.summary.filesRead).toBe(1);
    expect(r.skipped).toEqual(
      expect.arrayContaining([{ path: 'bin/.env', reason: 'binary' }, { path: 'x/.env', reason: 'invalid-utf8' }]),
    );
    expect(r.findings).toHaveLength(1);
    expect(r.summary.verdict).toBe('READY');
  });

  test('a crashing check becomes one internal notice and the scan goes on', async () => {
    const r = await scan(new MemorySnapshot({ '.env': 'A=1' }), { checks: [crashing, envCheck], config: DEFAULT_CONFIG });
    expect(r.notices).toEqual([{ kind: 'internal', ruleId: 'test/crash', message: 'check crashed: boom' }]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['test/env-file']);
  });

  test('a check past its time bound is reported and its findings dropped', async () => {
    const r = await scan(new MemorySnapshot({ '.env': 'A=1' }), { checks: [slow], config: DEFAULT_CONFIG, checkTimeBoundMs: 5 });
    expect(r.findings).toEqual([]);
    expect(r.notices[0]).toMatchObject({ kind: 'internal', ruleId: 'test/slow' });
  });

  test('time spent computing shared facts is not billed to the check that asked first', async () => {
    const slowFact = defineFacts('slow-fact', (m) => {
      const until = Date.now() + 30;
      while (Date.now() < until);
      return m.read('**/.env');
    });
    const usesFact: Check = { ...envCheck, id: 'test/uses-fact', run: (m) => m.get(slowFact).map((file) => ({ file, line: 1, key: 'env', message: `${file} exists in the repository` })) };
    const r = await scan(new MemorySnapshot({ '.env': 'A=1' }), { checks: [usesFact], config: DEFAULT_CONFIG, checkTimeBoundMs: 10 });
    expect(r.notices).toEqual([]);
    expect(r.findings).toHaveLength(1);
  });

  test('config: severity override, rule off, ignored paths, fail_on', async () => {
    const files = { '.env': 'A=1', 'legacy/.env': 'B=1', '.github/readiness.yml': 'fail_on: critical\nrules:\n  test/env-file: critical\nignore: ["legacy/**"]\n' };
    const r = await scan(new MemorySnapshot(files), { checks: [envCheck] });
    expect(r.findings.map((f) => [f.file, f.severity])).toEqual([['.env', 'critical']]);
    expect(r.summary.verdict).toBe('NOT DEPLOYABLE');
    expect(r.skipped).toContainEqual({ path: 'legacy/.env', reason: 'config-ignored' });
    const off = await scan(new MemorySnapshot({ ...files, '.github/readiness.yml': 'rules:\n  test/env-file: off\n' }), { checks: [envCheck] });
    expect(off.findings).toEqual([]);
    expect(off.summary.checksRun).toBe(0);
  });

  test('suppressions silence a finding; one that matches nothing is a low finding', async () => {
    const r = await scan(
      new MemorySnapshot({ '.env': '# readiness-ignore test/env-file\nA=1', 'a/.env': 'A=1\n# readiness-ignore test/env-file' }),
      { checks: [envCheck], config: DEFAULT_CONFIG },
    );
    expect(r.findings.map((f) => [f.ruleId, f.file, f.line, f.severity])).toEqual([
      ['test/env-file', 'a/.env', 1, 'high'],
      ['readiness/unused-suppression', 'a/.env', 2, 'low'],
    ]);
  });

  test('fingerprints ignore line numbers', async () => {
    const a = await scan(new MemorySnapshot({ '.env': 'A=1' }), { checks: [envCheck], config: DEFAULT_CONFIG });
    const b = await scan(new MemorySnapshot({ '.env': '\n\nA=1' }), { checks: [envCheck], config: DEFAULT_CONFIG });
    expect(a.findings[0]?.fingerprint).toBe(b.findings[0]?.fingerprint);
  });
});
