import { ProbotOctokit } from 'probot';
import { RateGateGroup, type RateGateOptions } from './rate-gate.js';

/** Knobs for how the app talks to GitHub; tests shrink the waits, production keeps defaults. */
export interface OctokitTuning {
  /**
   * Milliseconds per second of `retry-after` (and of plugin-retry's 1, 4, 9 s backoff). 1000 in
   * production; tests pass 1 so a `retry-after: 2` waits 2 ms.
   */
  retryAfterBaseMs?: number;
  /** Give up instead of waiting longer than this for a primary rate limit reset (seconds). */
  maxRateLimitWaitSeconds?: number;
  /** Retries of one request after a secondary rate limit answer. */
  secondaryLimitRetries?: number;
  /** Retries of one request after 5xx or network errors (plugin-retry). */
  serverErrorRetries?: number;
  /** Mutating requests and GraphQL queries, per installation. */
  writeGate?: RateGateOptions;
  /** Content-creating requests (comments), per installation. */
  notificationGate?: RateGateOptions;
}

/**
 * Writes: a scan makes about five (create check, 1-2 GraphQL queries, complete check, comment),
 * so a burst of 10 passes one scan untouched; sustained, one a second, GitHub's stated pace for
 * "a large number of POST, PATCH, PUT, or DELETE requests".
 */
export const DEFAULT_WRITE_GATE: RateGateOptions = { burst: 10, refillMs: 1000 };
/**
 * Comments: GitHub allows at most 80 content-creating requests a minute; one every 3 s
 * sustained (probot's own spacing) after a burst of 5 keeps well inside it.
 */
export const DEFAULT_NOTIFICATION_GATE: RateGateOptions = { burst: 5, refillMs: 3000 };

type Handler = (retryAfter: number, options: { method: string; url: string }, octokit: { log: { warn: (msg: string) => void } }, retryCount: number) => boolean;

/**
 * The Octokit class the app runs with: Probot's (auth, retry, throttling, config loader) with the
 * throttling configured deliberately:
 * - secondary rate limits are retried after `retry-after` (Probot's default only logs them and
 *   gives up), up to `secondaryLimitRetries` times;
 * - primary rate limits wait for the reset when it is near, else fail the scan with a clear error;
 * - the write and comment spacing is a per-installation token bucket instead of a fixed
 *   process-wide 1 s / 3 s gap (see rate-gate.ts).
 * With REDIS_URL (issue 7), Probot's clustered Bottleneck groups are kept so replicas share one
 * budget; only the retry handlers are replaced.
 */
export function createReadinessOctokit(t: OctokitTuning = {}): typeof ProbotOctokit {
  const base = t.retryAfterBaseMs ?? 1000;
  const maxWait = t.maxRateLimitWaitSeconds ?? 600;
  const secondaryRetries = t.secondaryLimitRetries ?? 3;
  // One gate group per class, shared by every installation client made from it.
  const write = new RateGateGroup(t.writeGate ?? DEFAULT_WRITE_GATE);
  const notifications = new RateGateGroup(t.notificationGate ?? DEFAULT_NOTIFICATION_GATE);

  const onSecondaryRateLimit: Handler = (retryAfter, options, octokit, retryCount) => {
    const retry = retryCount < secondaryRetries;
    octokit.log.warn(
      `secondary rate limit on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter} s (retry ${retryCount + 1} of ${secondaryRetries})` : 'giving up'}`,
    );
    return retry;
  };
  const onRateLimit: Handler = (retryAfter, options, octokit, retryCount) => {
    const retry = retryCount < 2 && retryAfter <= maxWait;
    octokit.log.warn(
      `rate limit exhausted on ${options.method} ${options.url}: ${retry ? `waiting ${retryAfter} s for the reset` : `reset in ${retryAfter} s, giving up`}`,
    );
    return retry;
  };

  return ProbotOctokit.defaults((instance: Record<string, unknown>) => {
    const throttle = (instance.throttle ?? {}) as Record<string, unknown>;
    const clustered = throttle.connection !== undefined;
    return {
      ...instance,
      retry: { retries: t.serverErrorRetries ?? 3, retryAfterBaseValue: base, ...(instance.retry as object | undefined) },
      throttle: {
        ...throttle,
        retryAfterBaseValue: base,
        onSecondaryRateLimit,
        onRateLimit,
        ...(clustered ? {} : { write, notifications }),
      },
    };
  }) as typeof ProbotOctokit;
}
