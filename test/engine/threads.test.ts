import path from 'node:path';
import { ALL_CHECKS } from '../../checks/index.js';
import { checkMeta, type Check } from '../../src/engine/check.js';
import { collect } from '../../src/engine/collect.js';
import { LocalSnapshot } from '../../src/engine/local-snapshot.js';
import { MemorySnapshot } from '../../src/engine/memory-snapshot.js';
import { analyse } from '../../src/engine/runner.js';
import { AnalysisPool } from '../../src/engine/threads.js';
import type { ScanResult } from '../../src/engine/types.js';

/**
 * The app analyses scans in worker threads (the built scan-thread.js: CI builds before testing).
 * The trouble thread adds two checks that misbehave on purpose when a SPIN or HOG file exists.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const TROUBLE = new URL('../fixtures/threads/trouble-thread.mjs', import.meta.url);
const trouble = (id: string): Check => ({ id, title: id, severity: 'high', files: ['*'], fix: '', effort: 1, docs: '', example: '', run: () => [] });
const CHECKS = [...ALL_CHECKS, trouble('test/spin'), trouble('test/hog')];

const comparable = (r: ScanResult) => ({ findings: r.findings, notices: r.notices, skipped: r.skipped, verdict: r.summary.verdict });

let pool: AnalysisPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

test('a scan analysed in a thread reports exactly what it reports in this thread', async () => {
  pool = new AnalysisPool();
  const input = await collect(new LocalSnapshot(path.join(ROOT, 'examples/broken-fastapi')), ALL_CHECKS);
  const here = await analyse(input);
  const there = await pool.analyse(input);
  expect(here.findings.length).toBeGreaterThan(5);
  expect(comparable(there)).toEqual(comparable(here));
  // The thread's fact cache serves the second scan of the same files.
  await pool.analyse(input);
  expect(pool.cacheStats()?.hits).toBeGreaterThan(0);
});

test('a check stuck past the bound is stopped and the scan is repeated without it', async () => {
  pool = new AnalysisPool({ entry: TROUBLE, timeoutMs: 3000 });
  const files = { SPIN: '', 'app.py': 'import os\nKEY = os.environ["KEY"]\n', 'requirements.txt': 'fastapi==0.115.0\n' };
  const input = await collect(new MemorySnapshot(files), CHECKS);
  const result = await pool.analyse(input);
  expect(result.notices).toContainEqual(expect.objectContaining({ kind: 'internal', ruleId: 'test/spin', message: expect.stringContaining('was stopped') }));
  const calm = await analyse({ ...input, checkIds: input.checkIds.filter((id) => id !== 'test/spin') }, { checks: CHECKS });
  expect(result.findings).toEqual(calm.findings);
});

test('a scan that exhausts its heap fails with a clear message, and the next scan runs', async () => {
  pool = new AnalysisPool({ entry: TROUBLE, maxHeapMb: 64 });
  const hog = await collect(new MemorySnapshot({ HOG: '', 'a.py': 'x = 1\n' }), CHECKS);
  await expect(pool.analyse(hog)).rejects.toThrow('the scan needed more than 64 MB of memory and was stopped');
  const fine = await collect(new MemorySnapshot({ 'a.py': 'x = 1\n' }), CHECKS);
  await expect(pool.analyse(fine)).resolves.toMatchObject({ summary: { verdict: 'READY' } });
});

test('scans queue for a free thread and each gets its own answer', async () => {
  pool = new AnalysisPool({ size: 2 });
  const inputs = await Promise.all(
    ['a', 'b', 'c'].map((n) => collect(new MemorySnapshot({ [`${n}.py`]: `import ${n}_missing_module\n`, 'requirements.txt': '' }), ALL_CHECKS)),
  );
  const results = await Promise.all(inputs.map((i) => pool!.analyse(i)));
  results.forEach((r, k) => expect(r.findings.map((f) => f.file)).toContain(`${'abc'[k]}.py`));
});

test('a thread reports the catalogue it runs, as plain metadata equal to the checks', async () => {
  pool = new AnalysisPool();
  const reported = await pool.catalogue();
  expect(reported).toEqual(ALL_CHECKS.map(checkMeta));
  expect(reported.map((c) => Object.keys(c).sort())).toEqual(ALL_CHECKS.map(() => ['docs', 'effort', 'files', 'fix', 'id', 'severity', 'title']));
  // Asked again, it is the same answer without another thread; that thread serves the first scan.
  await expect(pool.catalogue()).resolves.toBe(reported);
  const input = await collect(new MemorySnapshot({ 'a.py': 'import a_missing_module\n', 'requirements.txt': '' }), reported);
  await expect(pool.analyse(input)).resolves.toMatchObject({ summary: { checksRun: ALL_CHECKS.length } });
});

test("a custom thread's catalogue is the one a scan collects against", async () => {
  pool = new AnalysisPool({ entry: TROUBLE });
  expect((await pool.catalogue()).map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
});

test('a thread that fails before reporting its catalogue rejects the wait with its error', async () => {
  pool = new AnalysisPool({ entry: new URL('data:text/javascript,throw new Error("no rules here")') });
  await expect(pool.catalogue()).rejects.toThrow('the analysis thread failed: no rules here');
  await pool.close();
  await expect(pool.catalogue()).rejects.toThrow('the analysis pool is closed');
});
