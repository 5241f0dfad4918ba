import { LruMap } from './blob-cache.js';

/**
 * Commits this process recently queued a scan for, so automatic triggers that overlap (a push and
 * its check_suite `requested`, a draft PR opened then marked ready) give one check run per SHA
 * and trigger. Explicit requests (Re-run, Rescan, `/readiness rescan`) never consult it. With
 * several replicas (issue 7) this moves to Redis behind the same two methods.
 */
export class RecentScans {
  private readonly map: LruMap<string, number>;

  constructor(
    private readonly ttlMs = 60 * 60_000,
    max = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.map = new LruMap(max);
  }

  has(key: string): boolean {
    const at = this.map.get(key);
    return at !== undefined && this.now() - at <= this.ttlMs;
  }

  mark(key: string): void {
    this.map.set(key, this.now());
  }
}
