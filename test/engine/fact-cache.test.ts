import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { LruFactCache, freezeAndMeasure } from '../../src/engine/fact-cache.js';
import { MemorySnapshot } from '../../src/engine/memory-snapshot.js';
import { scan } from '../../src/engine/runner.js';
import type { ScanResult } from '../../src/engine/types.js';
import { ProjectModel } from '../../src/model/project.js';
import { pythonFiles } from '../../src/model/python/files.js';
import { nodeProgram } from '../../src/model/node/files.js';
import '../../checks/index.js';

/** Every file under a fixture directory, as an inline file map. */
function load(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    files[path.relative(dir, abs).split(path.sep).join('/')] = readFileSync(abs, 'utf8');
  }
  return files;
}

/** What must not depend on the cache: everything but the timing. */
function comparable(r: ScanResult): unknown {
  return { findings: r.findings, notices: r.notices, skipped: r.skipped, verdict: r.summary.verdict, counts: r.summary.counts };
}

const FIXTURES = ['examples/broken-fastapi', 'examples/healthy-fastapi', 'test/fixtures/report-002', 'test/fixtures/report-003', 'test/fixtures/node-broken', 'test/fixtures/node-healthy'];

describe('fact cache', () => {
  it.each(FIXTURES)('%s: a warm scan gives what an uncached scan gives and parses only the changed file', async (dir) => {
    const files = load(dir);
    const source = Object.keys(files).sort().find((p) => /\.(py|ts|js)$/.test(p) && !/(^|\/)(tests?|__tests__)\//.test(p));
    expect(source).toBeDefined();
    const cache = new LruFactCache();

    const cold = await scan(new MemorySnapshot(files), { factCache: cache });
    expect(comparable(cold)).toEqual(comparable(await scan(new MemorySnapshot(files))));
    const parsed = cache.stats();
    expect(parsed.hits).toBe(0);
    expect(parsed.misses).toBeGreaterThan(1);
    expect(parsed.entries).toBe(parsed.misses);

    // Same content again: nothing parsed.
    const again = await scan(new MemorySnapshot(files), { factCache: cache });
    expect(comparable(again)).toEqual(comparable(cold));
    expect(cache.stats()).toMatchObject({ hits: parsed.misses, misses: parsed.misses });

    // One file changed (a new line that moves everything below it): only that file is parsed.
    const changed = { ...files, [source!]: `# changed\n${files[source!]}` };
    const warm = await scan(new MemorySnapshot(changed), { factCache: cache });
    expect(comparable(warm)).toEqual(comparable(await scan(new MemorySnapshot(changed))));
    expect(cache.stats()).toMatchObject({ hits: 2 * parsed.misses - 1, misses: parsed.misses + 1 });
  });

  it('replays parse notices (syntax errors, too-deep trees) on a warm scan', async () => {
    const files = {
      'app/broken.py': 'def f(:\n    return 1\n',
      'app/deep.py': 'x = ' + '['.repeat(3000) + ']'.repeat(3000) + '\n',
      'app/ok.py': 'import os\nPORT = os.environ["PORT"]\n',
      'package.json': JSON.stringify({ name: 'svc', dependencies: { express: '^4.19.0' } }),
      'src/index.ts': 'const x = ;\nexport default x;\n',
    };
    const cache = new LruFactCache();
    const cold = await scan(new MemorySnapshot(files), { factCache: cache });
    const parseNotices = (r: ScanResult) => r.notices.filter((n) => n.kind === 'parse').map((n) => `${n.file}: ${n.message}`).sort();
    expect(parseNotices(cold)).toEqual([
      expect.stringMatching(/^app\/broken\.py: Python syntax error near line 1/),
      expect.stringMatching(/^app\/deep\.py: Python syntax tree nested deeper than/),
      expect.stringMatching(/^src\/index\.ts: syntax error near line 1/),
    ]);
    const misses = cache.misses;
    const warm = await scan(new MemorySnapshot(files), { factCache: cache });
    expect(cache.misses).toBe(misses); // everything, the too-deep file included, came from the cache
    expect(comparable(warm)).toEqual(comparable(cold));
    expect(parseNotices(warm)).toEqual(parseNotices(cold));
  });

  it('holds no more than its bounds, and a scan past them still gives the uncached results', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`pkg/mod${i}.py`] = `import os\nVALUE_${i} = os.getenv("VALUE_${i}", "x")\n`;
    const byCount = new LruFactCache({ maxEntries: 3 });
    const uncached = comparable(await scan(new MemorySnapshot(files)));
    for (let round = 0; round < 2; round++) {
      expect(comparable(await scan(new MemorySnapshot(files), { factCache: byCount }))).toEqual(uncached);
      expect(byCount.stats().entries).toBe(3);
    }
    // Files are visited in path order, so each evicts the one needed three files later: all misses.
    expect(byCount.stats()).toMatchObject({ hits: 0, misses: 12 });

    const oneFile = (() => {
      const c = new LruFactCache();
      ProjectModel.fromFiles({ 'pkg/mod0.py': files['pkg/mod0.py']! }, { factCache: c }).get(pythonFiles);
      return c.stats().bytes;
    })();
    expect(oneFile).toBeGreaterThan(0);
    const byBytes = new LruFactCache({ maxBytes: Math.floor(oneFile * 2.5) });
    expect(comparable(await scan(new MemorySnapshot(files), { factCache: byBytes }))).toEqual(uncached);
    expect(byBytes.stats().entries).toBe(2);
    expect(byBytes.stats().bytes).toBeLessThanOrEqual(Math.floor(oneFile * 2.5));
  });

  it('hands out cached facts frozen, so no consumer can change what a later scan sees', () => {
    const cache = new LruFactCache();
    const files = { 'app/main.py': 'import os\nX = os.getenv("X")\n', 'package.json': '{"name":"s","dependencies":{"express":"4"}}', 'src/a.ts': 'export const a = process.env.A;\n' };
    const py = ProjectModel.fromFiles(files, { factCache: cache }).get(pythonFiles).get('app/main.py');
    expect(Object.isFrozen(py)).toBe(true);
    expect(Object.isFrozen(py!.results)).toBe(true);
    const node = ProjectModel.fromFiles(files, { factCache: cache }).get(nodeProgram).files.get('src/a.ts');
    expect(node?.env.map((e) => e.name)).toEqual(['A']);
    expect(Object.isFrozen(node!.env)).toBe(true);
    expect(Object.isFrozen(node!.env[0])).toBe(true);
  });

  it('stores one shared empty array for every empty list, and keeps the rest as they were', () => {
    const a = { routes: [], reads: [{ name: 'X', line: 1, tags: [] }], nested: [[], [1]] };
    const b = { routes: [] as unknown[] };
    freezeAndMeasure(a);
    freezeAndMeasure(b);
    expect(a.routes).toBe(b.routes);
    expect(a.reads[0]!.tags).toBe(a.routes);
    expect(a.nested[0]).toBe(a.routes);
    expect(a).toEqual({ routes: [], reads: [{ name: 'X', line: 1, tags: [] }], nested: [[], [1]] });
    expect(Object.isFrozen(a.routes) && Object.isFrozen(a.nested[1])).toBe(true);
  });
});
