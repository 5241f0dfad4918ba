import { LocalSnapshot } from '../src/engine/local-snapshot.js';
import { ProjectModel, globMatcher } from '../src/model/project.js';
import { NODE_DEPLOY_FILES, NODE_MODEL_FILES, nodeGraph, nodeProgram, nodeRuntime } from '../src/model/node/index.js';

/**
 * The node model's speed on a real repository: list and read once (not timed), then build the
 * model three times from the same texts (first run cold, the others warm) and time parsing plus
 * extraction (nodeProgram) and resolution plus runtime reachability (nodeGraph, nodeRuntime).
 * Wall time is what a scan waits; CPU time is what the work costs on a busy machine.
 *
 *   BENCH_NODE_REPO=/path/to/large-ts-repo npm run bench
 */
export async function nodeModelBench(root: string): Promise<void> {
  const snap = new LocalSnapshot(root);
  const { entries } = await snap.list();
  const globs = [...NODE_MODEL_FILES, ...NODE_DEPLOY_FILES].map((g) => globMatcher(g));
  const read = await snap.read(entries.filter((e) => globs.some((m) => m(e.path))).map((e) => e.path));
  const texts = new Map([...read.files].map(([p, b]) => [p, b.toString('utf8')] as const));

  console.log(`\n## Node model on ${root}`);
  console.log('| run | files parsed | MB | parse+extract ms (wall) | files/s (wall) | files/s (CPU) | graph+runtime ms | partial | RSS MB |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (let run = 1; run <= 3; run++) {
    const model = new ProjectModel(entries, texts);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const program = model.get(nodeProgram);
    const t1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    model.get(nodeGraph);
    model.get(nodeRuntime);
    const t2 = performance.now();
    const n = program.files.size;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const rss = process.memoryUsage().rss / 1024 / 1024;
    console.log(
      `| ${run === 1 ? 'cold' : `warm ${run - 1}`} | ${n} | ${(program.parsedBytes / 1e6).toFixed(1)} | ${(t1 - t0).toFixed(0)} | ` +
        `${(n / ((t1 - t0) / 1000)).toFixed(0)} | ${(n / (cpuMs / 1000)).toFixed(0)} | ${(t2 - t1).toFixed(0)} | ${program.partial} | ${rss.toFixed(0)} |`,
    );
  }
}
