import type { IncomingMessage, ServerResponse } from 'node:http';
import { Queue, Worker, type Job } from 'bullmq';
import pino, { type Logger } from 'pino';
import { RespRedisClient, useRespClientForBullMQ } from '../queue/redis-client.js';
import { MemoryScanState, RedisScanState, type ScanState } from '../queue/state.js';
import { ScanSupervisor } from './coalesce.js';
import type { ScanJob } from './jobs.js';
import { ReadinessMetrics } from './metrics.js';
import { InProcessQueue, type ScanQueue } from './queue.js';
import { Reaper } from './reaper.js';
import type { WorkerDeps } from './worker.js';

/**
 * Where scans run, chosen by REDIS_URL:
 * - unset: the in-process queue (one process answers webhooks and scans);
 * - set: BullMQ on Redis. Every app replica enqueues; every process started with a consumer
 *   (`npm run worker`, and `npm start` unless READINESS_WORKER=off) takes jobs. A job's id is
 *   the webhook's delivery id, so a redelivered webhook is one job; a worker that dies mid-scan
 *   loses its job lock and BullMQ hands the job to another worker; failures retry with backoff.
 * Both wrap the worker in a ScanSupervisor (coalescing, open-run tracking) and run a Reaper.
 */
export interface ScaleOptions {
  redisUrl?: string;
  /** Redis key prefix for BullMQ and the shared state (tests: unique per run). */
  prefix?: string;
  queueName?: string;
  /** Take jobs in this process (default true). */
  consume?: boolean;
  /** Jobs at once in this process. */
  concurrency?: number;
  /** Tries per job before its check run is completed as failed to scan (default 3). */
  attempts?: number;
  /** First retry delay, doubled each time (default 5 s). */
  backoffMs?: number;
  /** BullMQ job lock; a worker silent this long is presumed dead (default 60 s). */
  lockDurationMs?: number;
  /** How often workers look for jobs whose lock expired (default 30 s). */
  stalledIntervalMs?: number;
  /**
   * Per-PR/branch lease across workers, renewed while held (default: the job lock, so a dead
   * worker's lease is gone by the time BullMQ hands its job to another worker).
   */
  keyLockTtlMs?: number;
  reaper?: { maxAgeMs?: number; intervalMs?: number } | false;
  metrics?: ReadinessMetrics;
  log?: Logger;
}

/** Job ids are delivery ids; BullMQ refuses ids with ':' and all-digit ids. */
export function jobIdFor(deliveryId: string): string {
  const id = deliveryId.replace(/:/g, '_');
  return /^\d+$/.test(id) ? `d${id}` : id;
}

/** Scan queue plus what it needs to shut down and report depth. */
export interface ManagedQueue extends ScanQueue<ScanJob> {
  depth(): Promise<number>;
  close(): Promise<void>;
}

class SupervisedInProcessQueue implements ManagedQueue {
  private readonly inner: InProcessQueue<ScanJob>;
  constructor(
    private readonly sup: ScanSupervisor,
    concurrency: number,
    log: Logger,
  ) {
    this.inner = new InProcessQueue<ScanJob>((job) => sup.run(job, { number: 1, final: true }), concurrency, (err, job) =>
      log.error({ err, delivery: job.deliveryId, repo: `${job.owner}/${job.repo}` }, 'scan job failed'),
    );
  }
  async add(job: ScanJob): Promise<void> {
    if (await this.sup.accept(job)) await this.inner.add(job);
  }
  onIdle(): Promise<void> {
    return this.inner.onIdle();
  }
  async depth(): Promise<number> {
    return this.inner.depth;
  }
  async close(): Promise<void> {
    await this.inner.onIdle();
  }
}

class BullScanQueue implements ManagedQueue {
  readonly queue: Queue;
  readonly worker: Worker | undefined;

  constructor(
    private readonly sup: ScanSupervisor,
    private readonly o: Required<Pick<ScaleOptions, 'redisUrl' | 'prefix' | 'queueName' | 'attempts' | 'backoffMs' | 'lockDurationMs' | 'stalledIntervalMs'>> & {
      consume: boolean;
      concurrency: number;
    },
    private readonly log: Logger,
  ) {
    const connection = { url: o.redisUrl };
    this.queue = new Queue(o.queueName, { connection, prefix: o.prefix });
    this.queue.on('error', (err) => log.error({ err }, 'queue connection error'));
    if (o.consume) {
      this.worker = new Worker<ScanJob>(
        o.queueName,
        async (job: Job<ScanJob>) => {
          const number = job.attemptsMade + 1;
          await sup.run(job.data, { number, final: number >= (job.opts.attempts ?? 1), redelivered: (job.attemptsStarted ?? 0) > number });
        },
        {
          connection,
          prefix: o.prefix,
          concurrency: o.concurrency,
          lockDuration: o.lockDurationMs,
          stalledInterval: o.stalledIntervalMs,
          // A job whose worker died twice is more likely to kill the next one than to finish.
          maxStalledCount: 2,
        },
      );
      this.worker.on('error', (err) => log.error({ err }, 'worker connection error'));
      this.worker.on('stalled', (id) => log.warn({ job: id }, 'job stalled (its worker stopped); handed to another worker'));
    }
  }

  async add(job: ScanJob): Promise<void> {
    if (!(await this.sup.accept(job))) return;
    await this.queue.add(job.trigger, job, {
      jobId: jobIdFor(job.deliveryId),
      attempts: this.o.attempts,
      backoff: { type: 'exponential', delay: this.o.backoffMs },
      // Kept a day, so a redelivery within it is recognised by its id as well.
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  async depth(): Promise<number> {
    const c = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized');
    return (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
  }

  /** Waits until nothing is waiting, delayed or running (tests, benchmarks). */
  async onIdle(): Promise<void> {
    for (;;) {
      const c = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
      if (!c.waiting && !c.delayed && !c.prioritized && !c.active) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}

/** Builds the queue, shared state, metrics and reaper for one process from ScaleOptions. */
export class Scale {
  readonly metrics: ReadinessMetrics;
  readonly state: ScanState;
  private readonly redis: RespRedisClient | undefined;
  private readonly log: Logger;
  queue: ManagedQueue | undefined;
  supervisor: ScanSupervisor | undefined;
  reaper: Reaper | undefined;

  constructor(private readonly o: ScaleOptions = {}) {
    this.metrics = o.metrics ?? new ReadinessMetrics();
    this.log = o.log ?? pino({ level: 'info' });
    if (o.redisUrl) {
      useRespClientForBullMQ();
      this.redis = new RespRedisClient({ url: o.redisUrl, connectionName: 'readiness-state' });
      this.redis.on('error', (err: Error) => this.log.warn({ err: err.message }, 'redis connection error'));
      this.state = new RedisScanState(this.redis, { prefix: `${o.prefix ?? 'readiness'}:state`, keyLockTtlMs: o.keyLockTtlMs ?? Math.min(o.lockDurationMs ?? 60_000, 30_000) });
    } else this.state = new MemoryScanState();
  }

  get redisConfigured(): boolean {
    return this.redis !== undefined;
  }

  /** `ReadinessOptions.queue`: called once by setupReadiness with the worker and its deps. */
  readonly queueFactory = (work: (job: ScanJob) => Promise<void>, deps: WorkerDeps): ScanQueue<ScanJob> => {
    const o = this.o;
    const log = deps.log;
    this.supervisor = new ScanSupervisor({ deps, state: this.state, work, log, metrics: this.metrics });
    const consume = o.consume ?? true;
    const concurrency = o.concurrency ?? 4;
    this.queue = o.redisUrl
      ? new BullScanQueue(
          this.supervisor,
          {
            redisUrl: o.redisUrl,
            prefix: o.prefix ?? 'readiness',
            queueName: o.queueName ?? 'scans',
            attempts: o.attempts ?? 3,
            backoffMs: o.backoffMs ?? 5000,
            lockDurationMs: o.lockDurationMs ?? 60_000,
            stalledIntervalMs: o.stalledIntervalMs ?? 30_000,
            consume,
            concurrency,
          },
          log,
        )
      : new SupervisedInProcessQueue(this.supervisor, concurrency, log);
    const queue = this.queue;
    this.metrics.queueDepthFrom(() => queue.depth());
    this.metrics.factCacheFrom(() => deps.analyser.cacheStats());
    if (consume && o.reaper !== false) {
      this.reaper = new Reaper({ state: this.state, auth: (id) => deps.auth(id), log, ...(o.reaper ?? {}) }).start();
    }
    return queue;
  };

  /** Redis answers PING within a second (true when no Redis is configured). */
  async redisUp(): Promise<boolean> {
    if (!this.redis) return true;
    const timeout = new Promise<false>((r) => setTimeout(() => r(false), 1000).unref());
    return Promise.race([this.redis.ping().then((p) => p === 'PONG', () => false), timeout]);
  }

  /** `/healthz` (503 when Redis is configured and does not answer) and `/metrics`, for `addHandler`. */
  handler(): (req: IncomingMessage, res: ServerResponse) => boolean {
    const metrics = this.metrics.handler();
    return (req, res) => {
      if (metrics(req, res)) return true;
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/healthz') return false;
      void this.redisUp().then(async (up) => {
        const depth = up ? await within(1000, this.queue?.depth().catch(() => undefined)) : undefined;
        const body = { status: up ? 'ok' : 'unavailable', ...(this.redis ? { redis: up ? 'up' : 'down' } : {}), queue: this.redis ? 'bullmq' : 'in-process', depth };
        res.writeHead(up ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
      return true;
    };
  }

  /** Stops taking jobs, lets running ones finish, closes connections. */
  async close(): Promise<void> {
    await this.reaper?.stop();
    // BullMQ waits for a connection that may never come (Redis down): bounded.
    await within(CLOSE_MS, this.queue?.close());
    await within(CLOSE_MS, this.state.close());
  }
}

/** Running scans get this long to finish when the process stops. */
const CLOSE_MS = 20_000;

/** `p`, or undefined once `ms` passed. */
function within<T>(ms: number, p: Promise<T> | undefined): Promise<T | undefined> {
  if (!p) return Promise.resolve(undefined);
  return Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);
}

/** ScaleOptions from the environment (documented in .env.example). */
export function scaleOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ScaleOptions {
  const num = (v: string | undefined) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);
  const reaperMin = num(env.READINESS_REAPER_MINUTES);
  return {
    redisUrl: env.REDIS_URL || undefined,
    prefix: env.READINESS_QUEUE_PREFIX || undefined,
    consume: env.READINESS_WORKER !== 'off',
    concurrency: num(env.READINESS_CONCURRENCY),
    attempts: num(env.READINESS_SCAN_ATTEMPTS),
    lockDurationMs: num(env.READINESS_JOB_LOCK_MS),
    stalledIntervalMs: num(env.READINESS_STALLED_CHECK_MS),
    ...(reaperMin !== undefined ? { reaper: { maxAgeMs: reaperMin * 60_000 } } : {}),
  };
}
