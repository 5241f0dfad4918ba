import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ALL_CHECKS } from '../../checks/index.js';
import { inProcessAnalyser, scanWith } from '../../src/engine/analyser.js';
import { checkMeta } from '../../src/engine/check.js';
import { collect, knownRuleIds } from '../../src/engine/collect.js';
import { MemorySnapshot } from '../../src/engine/memory-snapshot.js';
import { scan } from '../../src/engine/runner.js';

/**
 * The app collects in its main thread and analyses in worker threads; the main thread must never
 * load a check, the model's extractors or their parsers (ts-morph with TypeScript, tree-sitter):
 * ~90 MB of RSS in every app process that would serve nothing (the threads load their own).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const CHILD = path.join(ROOT, 'test/fixtures/threads/main-thread-modules.mjs');

test("the app's main thread, scanning through the pool, loads no check, no extractor and no parser", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [CHILD], { cwd: ROOT, timeout: 60_000 });
  const got = JSON.parse(stdout) as { rules: number; findings: string[]; esm: string[]; cjs: string[] };
  // The hook saw the app and the pool scanned for real.
  expect(got.esm).toEqual(expect.arrayContaining(['dist/src/app.js', 'dist/src/github/worker.js', 'dist/src/engine/collect.js']));
  expect(got.rules).toBe(ALL_CHECKS.length + 1);
  expect(got.findings).toContain('python/undeclared-dependency');
  const loaded = [...got.esm, ...got.cjs];
  expect(loaded.filter((m) => m.startsWith('dist/checks/'))).toEqual([]);
  expect(loaded.filter((m) => /^dist\/src\/engine\/(runner|scan-thread)\.js$/.test(m))).toEqual([]);
  // Of the model, only the glob helper's module and the YAML reader (config) load.
  expect(loaded.filter((m) => m.startsWith('dist/src/model/')).sort()).toEqual(['dist/src/model/project.js', 'dist/src/model/yaml.js']);
  expect(loaded.filter((m) => /node_modules\/(ts-morph|@ts-morph|typescript|web-tree-sitter|tree-sitter)/.test(m))).toEqual([]);
}, 90_000);

test('collect selects files and validates config against plain metadata as it does against the checks', async () => {
  const files = {
    '.github/readiness.yml': 'rules:\n  python/undeclared-dependency: off\n',
    'app.py': 'import missing_module_xyz\n',
    'requirements.txt': '',
    'docs/notes.txt': 'nothing any rule reads\n',
  };
  const meta = ALL_CHECKS.map(checkMeta);
  const fromMeta = await collect(new MemorySnapshot(files), meta);
  const fromChecks = await collect(new MemorySnapshot(files), ALL_CHECKS);
  expect({ ...fromMeta, startedAt: 0 }).toEqual({ ...fromChecks, startedAt: 0 });
  expect(fromMeta.checkIds).not.toContain('python/undeclared-dependency');
  expect(fromMeta.texts.has('docs/notes.txt')).toBe(false);
  expect(knownRuleIds(meta)).toEqual(knownRuleIds(ALL_CHECKS));
  await expect(collect(new MemorySnapshot({ '.github/readiness.yml': 'rules:\n  no/such-rule: off\n' }), meta)).rejects.toThrow('no/such-rule');
});

test('scanning through the in-process analyser reports what scan() reports', async () => {
  const files = { 'app.py': 'import os\nimport missing_module_xyz\nKEY = os.environ["KEY"]\n', 'requirements.txt': 'fastapi==0.115.0\n' };
  const here = await scanWith(inProcessAnalyser(), new MemorySnapshot(files));
  const direct = await scan(new MemorySnapshot(files));
  expect(here.findings.length).toBeGreaterThan(0);
  expect(here.findings).toEqual(direct.findings);
  expect(here.rules).toEqual(direct.rules);
});
