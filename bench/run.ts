import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LruFactCache } from '../src/engine/fact-cache.js';
import { LocalSnapshot } from '../src/engine/local-snapshot.js';
import { scan } from '../src/engine/runner.js';
import { githubBench } from './github/run.js';
import { writeSyntheticRepo } from './synthetic.js';

/**
 * `npm run bench`: speed and memory of a whole scan. Prints a table; targets are checked by eye
 * and recorded in the issue notes, not asserted by timed tests.
 */
async function engineBench(): Promise<void> {
  console.log('## Engine: whole scan of a synthetic repository');
  console.log('| files | listed | read | checks | findings | wall ms (median of 3) | warm ms: fact cache, one file changed | peak RSS MB so far |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const n of [500, 5000, 20000]) {
    const root = mkdtempSync(path.join(tmpdir(), 'readiness-bench-'));
    try {
      writeSyntheticRepo(root, n);
      const times: number[] = [];
      let last;
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        last = await scan(new LocalSnapshot(root));
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      // The app keeps per-file facts across scans: a push that changes one file re-parses one.
      const factCache = new LruFactCache();
      await scan(new LocalSnapshot(root), { factCache });
      appendFileSync(path.join(root, 'svc/pkg10/mod10.py'), '\n# changed\n');
      const w0 = performance.now();
      await scan(new LocalSnapshot(root), { factCache });
      const warm = performance.now() - w0;
      const s = last!.summary;
      const rss = process.resourceUsage().maxRSS / 1024;
      console.log(`| ${n} | ${s.filesListed} | ${s.filesRead} | ${s.checksRun} | ${last!.findings.length} | ${times[1]!.toFixed(0)} | ${warm.toFixed(0)} | ${rss.toFixed(0)} |`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

await engineBench();

// The node model on a real repository: BENCH_NODE_REPO=/path/to/large-ts-repo npm run bench.
if (process.env.BENCH_NODE_REPO) await (await import('./node-model.js')).nodeModelBench(process.env.BENCH_NODE_REPO);

// The Python model next to pyflakes: BENCH_PYTHON_REPO=/path/to/large-python-repo npm run bench.
if (process.env.BENCH_PYTHON_REPO) await (await import('./python-model.js')).pythonModelBench(process.env.BENCH_PYTHON_REPO);

// The GitHub App against a fake GitHub on loopback (bench/github/run.ts).
await githubBench();
