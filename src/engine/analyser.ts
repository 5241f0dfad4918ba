import type { Check, CheckMeta } from './check.js';
import { collect, type CollectOptions, type ScanInput } from './collect.js';
import type { FactCacheStats, LruFactCache } from './fact-cache.js';
import type { Snapshot } from './snapshot.js';
import type { ScanResult } from './types.js';

/**
 * Where the CPU half of a scan runs, and the rule catalogue it runs. The app's AnalysisPool
 * (threads.ts) is one: its threads hold the checks and the model, and report the catalogue as
 * plain metadata, so the app's main thread loads neither. `inProcessAnalyser` is the other.
 */
export interface Analyser {
  /** The rules analysis runs, as plain metadata (file selection, config validation). */
  catalogue(): Promise<readonly CheckMeta[]>;
  analyse(input: ScanInput): Promise<ScanResult>;
  /** The figures of the fact cache the analysis uses (the hit rate in /metrics), if it has one. */
  cacheStats(): FactCacheStats | undefined;
}

/**
 * Analyses in this thread. The engine, the checks and the model are imported on first use, so a
 * process that never analyses here never loads them.
 */
export function inProcessAnalyser(opts: { checks?: readonly Check[]; factCache?: LruFactCache } = {}): Analyser {
  return {
    catalogue: async () => opts.checks ?? (await import('../../checks/index.js')).ALL_CHECKS,
    analyse: async (input) => (await import('./runner.js')).analyse(input, opts),
    cacheStats: () => opts.factCache?.stats(),
  };
}

/** A whole scan through an analyser: collect here against its catalogue, then analyse there. */
export async function scanWith(analyser: Analyser, snapshot: Snapshot, opts: CollectOptions = {}): Promise<ScanResult> {
  return analyser.analyse(await collect(snapshot, await analyser.catalogue(), opts));
}
