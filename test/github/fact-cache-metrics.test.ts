import { expect, test } from '@jest/globals';
import { LruFactCache } from '../../src/engine/fact-cache.js';
import { MemorySnapshot } from '../../src/engine/memory-snapshot.js';
import { scan } from '../../src/engine/runner.js';
import { ReadinessMetrics } from '../../src/github/metrics.js';
import '../../checks/index.js';

test('/metrics shows the fact cache hit ratio and size of the cache it is pointed at', async () => {
  const metrics = new ReadinessMetrics();
  const cache = new LruFactCache();
  metrics.factCacheFrom(() => cache.stats());
  const files = { 'app/a.py': 'import os\nA = os.getenv("A")\n', 'app/b.py': 'B = 1\n', 'app/c.py': 'C = 2\n' };
  await scan(new MemorySnapshot(files), { factCache: cache }); // 3 misses
  await scan(new MemorySnapshot({ ...files, 'app/c.py': 'C = 3\n' }), { factCache: cache }); // 2 hits, 1 miss
  expect(cache.stats()).toMatchObject({ hits: 2, misses: 4 });
  const text = await metrics.registry.metrics();
  expect(text).toMatch(/readiness_fact_cache_hit_ratio 0\.333/);
  const bytes = Number(/readiness_fact_cache_bytes (\d+)/.exec(text)?.[1]);
  expect(bytes).toBe(cache.stats().bytes);
  expect(bytes).toBeGreaterThan(0);
});
