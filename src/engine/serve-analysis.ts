import type { MessagePort } from 'node:worker_threads';
import { checkMeta, type Check } from './check.js';
import { LruFactCache } from './fact-cache.js';
import { analyse } from './runner.js';
import type { FromThread, ToThread } from './threads.js';

/**
 * The thread side of the AnalysisPool (threads.ts) over `port`: reports the catalogue of `checks`
 * once, then analyses one collected scan per message, saying which check it is running so a stuck
 * one can be named and left out. The fact cache lives as long as the thread.
 */
export function serveAnalysis(port: MessagePort, checks: readonly Check[]): void {
  const factCache = new LruFactCache();
  const post = (m: FromThread) => port.postMessage(m);
  post({ id: 0, kind: 'catalogue', checks: checks.map(checkMeta) });
  port.on('message', (m: ToThread) => {
    analyse(m.input, { checks, factCache, onCheckStart: (checkId) => post({ id: m.id, kind: 'check', checkId }) })
      .then((result) => post({ id: m.id, kind: 'done', result, cache: factCache.stats() }))
      .catch((err: unknown) => post({ id: m.id, kind: 'failed', message: err instanceof Error ? err.message : String(err) }));
  });
}
