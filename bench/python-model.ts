import { spawnSync } from 'node:child_process';
import { LocalSnapshot } from '../src/engine/local-snapshot.js';
import { scan } from '../src/engine/runner.js';
import { prepareParsers } from '../src/model/parsers.js';
import { ProjectModel } from '../src/model/project.js';
import { pythonFiles } from '../src/model/python/files.js';
import '../checks/index.js';

/**
 * The Python model's speed on a real repository, next to pyflakes over the same directory in the
 * same run (pyflakes3 from Debian's python3-pyflakes; skipped with a note when absent):
 *
 *   BENCH_PYTHON_REPO=/path/to/large-python-repo npm run bench
 *
 * pyflakes is started without a shell, with the repository directory as its only argument.
 */
export async function pythonModelBench(root: string): Promise<void> {
  const snap = new LocalSnapshot(root);
  const { entries } = await snap.list();
  const read = await snap.read(entries.filter((e) => e.path.endsWith('.py')).map((e) => e.path));
  const texts = new Map([...read.files].map(([p, b]) => [p, b.toString('utf8')] as const));
  await prepareParsers([...texts.keys()]);

  const model = new ProjectModel(entries, texts);
  const t0 = performance.now();
  const parsed = model.get(pythonFiles).size;
  const modelMs = performance.now() - t0;

  const t1 = performance.now();
  const result = await scan(new LocalSnapshot(root));
  const scanMs = performance.now() - t1;

  const t2 = performance.now();
  const pf = spawnSync('pyflakes3', [root], { stdio: 'ignore', timeout: 600_000 });
  const pyflakesMs = performance.now() - t2;

  console.log(`\n## Python model on ${root}`);
  console.log('| .py files parsed | model ms | model files/s | whole readiness scan ms (all checks) | pyflakes3 ms |');
  console.log('| --- | --- | --- | --- | --- |');
  const pyflakes = pf.error ? `not run (${pf.error.message})` : pyflakesMs.toFixed(0);
  console.log(`| ${parsed} | ${modelMs.toFixed(0)} | ${(parsed / (modelMs / 1000)).toFixed(0)} | ${scanMs.toFixed(0)} (${result.summary.filesRead} files read) | ${pyflakes} |`);
}
