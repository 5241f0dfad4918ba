import { randomUUID } from 'node:crypto';
import { LruMap } from '../github/blob-cache.js';
import type { RespRedisClient } from './redis-client.js';

/**
 * What the app remembers about scans beyond one job, shared by every replica and worker when
 * REDIS_URL is set (in memory otherwise):
 * - the newest commit seen for each PR or branch (coalescing: older scans are superseded);
 * - check runs this app created and has not completed yet (takeover after a crash, the reaper);
 * - per-key leases, so two workers never scan one PR at once (its sticky comment and check runs);
 * - delivery ids already queued (the in-process queue's duplicate filter; BullMQ uses job ids).
 */

/** A check run created in_progress and not yet seen completed. */
export interface OpenRun {
  id: number;
  installationId: number;
  owner: string;
  repo: string;
  sha: string;
  /** The delivery whose job created it (a re-delivered job finds its runs by this). */
  delivery: string;
  /** Creation time, epoch ms. */
  at: number;
}

export interface ScanState {
  /**
   * Records `sha` as the newest commit of `key`, unless a commit with a later event time `at`
   * (epoch ms) is already recorded: GitHub does not promise delivery order, and a late delivery
   * of an older push must not cancel the scan of a newer one. Without times, the last call wins.
   * True when `sha` is now the newest.
   */
  markLatest(key: string, sha: string, at?: number): Promise<boolean>;
  latest(key: string): Promise<string | undefined>;
  /** True the first time a delivery id is offered, false for a duplicate. */
  firstDelivery(id: string): Promise<boolean>;
  addRun(run: OpenRun): Promise<void>;
  closeRun(id: number): Promise<void>;
  openRunsOf(delivery: string): Promise<OpenRun[]>;
  /** Open runs created before `before` (epoch ms), oldest first, at most `limit`. */
  staleRuns(before: number, limit: number): Promise<OpenRun[]>;
  /** Runs `fn` holding `key` exclusively (across processes with Redis). */
  withKeyLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** A lease nobody else holds for `ttlMs` (the reaper's turn), or false. */
  tryLease(name: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string): Promise<void>;
  close(): Promise<void>;
}

/** How long coalescing and delivery memories last: a week covers any queue backlog. */
const MEMORY_TTL_S = 7 * 24 * 3600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MemoryScanState implements ScanState {
  private readonly latestByKey = new LruMap<string, { sha: string; at?: number }>(50_000);
  private readonly deliveries = new LruMap<string, true>(50_000);
  private readonly runs = new Map<number, OpenRun>();
  private readonly locks = new Map<string, Promise<void>>();
  private readonly leases = new Map<string, number>();

  async markLatest(key: string, sha: string, at?: number): Promise<boolean> {
    const cur = this.latestByKey.get(key);
    if (cur && olderEvent(at, cur.at)) return false;
    this.latestByKey.set(key, at === undefined ? { sha } : { sha, at });
    return true;
  }
  async latest(key: string): Promise<string | undefined> {
    return this.latestByKey.get(key)?.sha;
  }
  async firstDelivery(id: string): Promise<boolean> {
    if (this.deliveries.get(id)) return false;
    this.deliveries.set(id, true);
    return true;
  }
  async addRun(run: OpenRun): Promise<void> {
    this.runs.set(run.id, run);
  }
  async closeRun(id: number): Promise<void> {
    this.runs.delete(id);
  }
  async openRunsOf(delivery: string): Promise<OpenRun[]> {
    return [...this.runs.values()].filter((r) => r.delivery === delivery);
  }
  async staleRuns(before: number, limit: number): Promise<OpenRun[]> {
    return [...this.runs.values()].filter((r) => r.at < before).sort((a, b) => a.at - b.at).slice(0, limit);
  }
  async withKeyLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = prev.then(() => new Promise<void>((r) => (release = r)));
    this.locks.set(key, mine);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(key) === mine) this.locks.delete(key);
    }
  }
  async tryLease(name: string, ttlMs: number): Promise<boolean> {
    const until = this.leases.get(name) ?? 0;
    if (until > Date.now()) return false;
    this.leases.set(name, Date.now() + ttlMs);
    return true;
  }
  async releaseLease(name: string): Promise<void> {
    this.leases.delete(name);
  }
  async close(): Promise<void> {}
}

/** True when an event at `at` is known to be older than one at `than` (both times known). */
function olderEvent(at: number | undefined, than: number | undefined): boolean {
  return at !== undefined && than !== undefined && at < than;
}

/**
 * The newest commit of a key is stored as `<event ms>:<sha>` (empty time when unknown); a commit
 * replaces it unless both times are known and its own is earlier (the same test as olderEvent).
 */
const MARK_LATEST_LUA = [
  "local cur = redis.call('GET', KEYS[1])",
  "local at = tonumber(ARGV[2])",
  "if cur and at then",
  "  local curAt = tonumber(string.match(cur, '^(%d+):'))",
  "  if curAt and at < curAt then return 0 end",
  "end",
  "redis.call('SET', KEYS[1], ARGV[2] .. ':' .. ARGV[1], 'EX', ARGV[3])",
  "return 1",
].join('\n');

/** Deletes a lease only if we still hold it (another holder may have taken over after expiry). */
const RELEASE_LUA = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
/** Extends a lease only if we still hold it. */
const RENEW_LUA = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

export interface RedisScanStateOptions {
  /** Key prefix; tests use a unique one per run. */
  prefix: string;
  /** Per-key lease time; renewed at a third of it while the holder runs. */
  keyLockTtlMs?: number;
  /** How often a waiter asks for a held key again. */
  keyLockPollMs?: number;
}

export class RedisScanState implements ScanState {
  private readonly p: string;
  private readonly lockTtl: number;
  private readonly poll: number;

  constructor(
    private readonly redis: RespRedisClient,
    o: RedisScanStateOptions,
  ) {
    this.p = o.prefix;
    this.lockTtl = o.keyLockTtlMs ?? 30_000;
    this.poll = o.keyLockPollMs ?? 200;
  }

  async markLatest(key: string, sha: string, at?: number): Promise<boolean> {
    const stamp = at === undefined ? '' : String(Math.floor(at));
    return (await this.redis.eval(MARK_LATEST_LUA, [`${this.p}:latest:${key}`], [sha, stamp, MEMORY_TTL_S])) === 1;
  }
  async latest(key: string): Promise<string | undefined> {
    const v = await this.redis.get(`${this.p}:latest:${key}`);
    if (v === null) return undefined;
    // `<ms>:<sha>`; a bare SHA was written by an earlier version of the app.
    const colon = v.indexOf(':');
    return colon < 0 ? v : v.slice(colon + 1);
  }
  async firstDelivery(id: string): Promise<boolean> {
    return (await this.redis.call('SET', `${this.p}:delivery:${id}`, '1', 'NX', 'EX', MEMORY_TTL_S)) === 'OK';
  }
  async addRun(run: OpenRun): Promise<void> {
    const member = JSON.stringify(run);
    await this.redis
      .multi()
      .zadd(`${this.p}:runs`, run.at, member)
      .set(`${this.p}:run:${run.id}`, member)
      .expire(`${this.p}:run:${run.id}`, MEMORY_TTL_S)
      .exec();
  }
  async closeRun(id: number): Promise<void> {
    const member = await this.redis.get(`${this.p}:run:${id}`);
    if (member === null) return;
    await this.redis.multi().zrem(`${this.p}:runs`, member).del(`${this.p}:run:${id}`).exec();
  }
  async openRunsOf(delivery: string): Promise<OpenRun[]> {
    // The open set stays small (runs in flight), so a scan of it is cheap.
    const all = (await this.redis.zrange(`${this.p}:runs`, 0, -1)).map((m) => JSON.parse(m) as OpenRun);
    return all.filter((r) => r.delivery === delivery);
  }
  async staleRuns(before: number, limit: number): Promise<OpenRun[]> {
    const ms = (await this.redis.call('ZRANGEBYSCORE', `${this.p}:runs`, '-inf', `(${before}`, 'LIMIT', 0, limit)) as string[];
    return ms.map((m) => JSON.parse(m) as OpenRun);
  }
  async withKeyLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const k = `${this.p}:lock:${key}`;
    const token = randomUUID();
    while ((await this.redis.call('SET', k, token, 'NX', 'PX', this.lockTtl)) !== 'OK') await sleep(this.poll);
    const renew = setInterval(() => {
      void this.redis.eval(RENEW_LUA, [k], [token, this.lockTtl]).catch(() => {});
    }, Math.max(50, Math.floor(this.lockTtl / 3)));
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE_LUA, [k], [token]).catch(() => {});
    }
  }
  async tryLease(name: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.call('SET', `${this.p}:lease:${name}`, '1', 'NX', 'PX', ttlMs)) === 'OK';
  }
  async releaseLease(name: string): Promise<void> {
    await this.redis.del(`${this.p}:lease:${name}`);
  }
  async close(): Promise<void> {
    await this.redis.quit();
  }
}
