import { parentPort } from 'node:worker_threads';
import { ALL_CHECKS } from '../../checks/index.js';
import { checkMeta } from './check.js';
import { LruFactCache } from './fact-cache.js';
import { analyse } from './runner.js';
import type { FromThread, ToThread } from './threads.js';

/**
 * A worker thread of the AnalysisPool (threads.ts): analyses one collected scan at a time and
 * says which check it is running, so a stuck check can be named and left out. Its fact cache
 * lives as long as the thread. It reports the rule catalogue once, on start: the pool's side
 * collects against that metadata and never loads a check itself.
 */
const port = parentPort;
if (!port) throw new Error('scan-thread.js runs only as a worker thread');
const factCache = new LruFactCache();
const post = (m: FromThread) => port.postMessage(m);
post({ id: 0, kind: 'catalogue', checks: ALL_CHECKS.map(checkMeta) });

port.on('message', (m: ToThread) => {
  analyse(m.input, { factCache, onCheckStart: (checkId) => post({ id: m.id, kind: 'check', checkId }) })
    .then((result) => post({ id: m.id, kind: 'done', result, cache: factCache.stats() }))
    .catch((err: unknown) => post({ id: m.id, kind: 'failed', message: err instanceof Error ? err.message : String(err) }));
});
