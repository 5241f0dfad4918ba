import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what survived the last full collection, in percent, for the
 * long-running processes (`npm start`, `npm run worker`). V8's own factor reaches 4× on a machine
 * with a lot of memory: a scan of a 20,000-file repository keeps about 100 MB live while it builds
 * its model and makes several times that in short-lived garbage, so the heap was allowed to climb
 * to 350-400 MB before V8 bothered to collect (app peak RSS 470-580 MB, bench/github/run.ts
 * `repoScenario` with 20,000 files). Capping growth at 20% takes that peak to about 350 MB; scan
 * time did not change measurably on the same machine (the marking runs concurrently).
 * READINESS_HEAP_GROWTH_PERCENT overrides it; 0 keeps V8's default.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 20;

/** The V8 flag to set for this environment, or undefined to leave V8's default. */
export function heapGrowthFlag(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): string | undefined {
  // Set on the command line (`node --heap-growing-percent=… dist/src/server.js`): that wins.
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return undefined;
  const raw = env.READINESS_HEAP_GROWTH_PERCENT?.trim();
  const n = raw ? Number(raw) : DEFAULT_HEAP_GROWTH_PERCENT;
  const percent = Number.isInteger(n) && n >= 0 ? n : DEFAULT_HEAP_GROWTH_PERCENT;
  return percent === 0 ? undefined : `--heap-growing-percent=${percent}`;
}

/**
 * Applies heapGrowthFlag at start-up. V8 reads the factor whenever it sizes the heap after a
 * collection, so setting it at run time takes effect from the next collection on, in every
 * thread of the process (V8 flags are process-wide). Returns the flag set, if any.
 */
export function tuneHeapGrowth(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const flag = heapGrowthFlag(env);
  if (flag) setFlagsFromString(flag);
  return flag;
}
