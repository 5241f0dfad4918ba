import type { ApplicationFunctionOptions, Probot, ProbotOctokit } from 'probot';
import type { Check } from './engine/check.js';
import { inProcessAnalyser } from './engine/analyser.js';
import { LruFactCache } from './engine/fact-cache.js';
import { AnalysisPool } from './engine/threads.js';
import { LruMap } from './github/blob-cache.js';
import { ConfigCache } from './github/config.js';
import { onCheckRun } from './github/handlers/check-run.js';
import { onCheckSuite } from './github/handlers/check-suite.js';
import type { HandlerDeps } from './github/handlers/deps.js';
import { onIssueComment } from './github/handlers/issue-comment.js';
import { onMergeGroup } from './github/handlers/merge-group.js';
import { onPullRequest } from './github/handlers/pull-request.js';
import { onPush } from './github/handlers/push.js';
import type { ScanJob } from './github/jobs.js';
import { InProcessQueue, KeyedMutex, type ScanQueue } from './github/queue.js';
import { RecentScans } from './github/recent.js';
import { createReadCache } from './github/snapshot.js';
import { runJob, type ScanReport, type WorkerDeps } from './github/worker.js';

/** Settings of one app instance; `readinessOptionsFromEnv` fills them in production. */
export interface ReadinessOptions {
  /** Rule catalogue override (tests). */
  checks?: readonly Check[];
  /** Scans running at once in this process (embedded queue). */
  concurrency?: number;
  /** Builds the queue around the worker; default: the in-process queue. Issue 7 plugs BullMQ in here. */
  queue?: (work: (job: ScanJob) => Promise<void>, worker: WorkerDeps) => ScanQueue<ScanJob>;
  /** Blob cache size in bytes. */
  blobCacheBytes?: number;
  /** How long a repository's config is reused (ms; default 1 h, pushes invalidate it); 0 reads it for every scan. */
  configTtlMs?: number;
  strategy?: WorkerDeps['strategy'];
  /**
   * Worker threads that analyse scans (default 1), so webhooks are answered while a big
   * repository is parsed, and a stuck or runaway scan can be stopped; 0 analyses in this thread.
   * Custom `checks` (tests) always analyse in this thread: functions cannot cross to a thread.
   */
  analysisThreads?: number;
  /** Bound of one scan's analysis in a thread, ms. */
  analysisTimeoutMs?: number;
  /** Heap limit of each analysis thread, MB. */
  analysisHeapMb?: number;
  now?: () => Date;
  onReport?: (r: ScanReport) => void;
}

/** What `setupReadiness` returns: the queue (tests wait on it, shutdown drains it). */
export interface ReadinessRuntime {
  queue: ScanQueue<ScanJob>;
  worker: WorkerDeps;
  /** The analysis threads, when used (shutdown closes them after the queue drained). */
  pool?: AnalysisPool;
}

/**
 * Wires the app: a routing table of webhook events to handlers (one file each under
 * src/github/handlers/). Handlers only read the payload and enqueue; the worker does the API work
 * after the webhook has been answered.
 */
export function setupReadiness(app: Probot, opts: ReadinessOptions = {}, addHandler?: ApplicationFunctionOptions['addHandler']): ReadinessRuntime {
  const configCache = new ConfigCache(opts.configTtlMs);
  const threads = opts.checks ? 0 : (opts.analysisThreads ?? 1);
  const pool = threads > 0 ? new AnalysisPool({ size: threads, timeoutMs: opts.analysisTimeoutMs, maxHeapMb: opts.analysisHeapMb }) : undefined;
  const worker: WorkerDeps = {
    auth: (id) => app.auth(id) as Promise<ProbotOctokit>,
    log: app.log.child({ name: 'readiness' }),
    readCache: createReadCache(opts.blobCacheBytes),
    configCache,
    baseScans: new LruMap(256),
    commentLock: new KeyedMutex(),
    deniedReplies: new LruMap(10_000),
    now: opts.now ?? (() => new Date()),
    strategy: opts.strategy,
    // Each analysis thread keeps its own fact cache; scans analysed in this thread share one. With
    // a pool, this thread never loads the checks or the model (inProcessAnalyser imports them lazily).
    analyser: pool ?? inProcessAnalyser({ checks: opts.checks, factCache: new LruFactCache() }),
    onReport: opts.onReport,
  };
  const work = async (job: ScanJob) => {
    await runJob(worker, job);
  };
  const queue =
    opts.queue?.(work, worker) ??
    new InProcessQueue<ScanJob>(work, opts.concurrency ?? 4, (err, job) =>
      worker.log.error({ err, delivery: job.deliveryId, repo: `${job.owner}/${job.repo}` }, 'scan job failed'),
    );
  const deps: HandlerDeps = { queue, recent: new RecentScans(), configCache };

  // The routing table.
  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], onPullRequest(deps));
  app.on('push', onPush(deps));
  app.on(['check_suite.requested', 'check_suite.rerequested'], onCheckSuite(deps));
  app.on(['check_run.rerequested', 'check_run.requested_action'], onCheckRun(deps));
  app.on('merge_group.checks_requested', onMergeGroup(deps));
  app.on('issue_comment.created', onIssueComment(deps));

  addHandler?.((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/healthz') return false;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
    return true;
  });
  return { queue, worker, pool };
}

/** Production settings from the environment (documented in .env.example). */
export function readinessOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ReadinessOptions {
  const num = (v: string | undefined) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);
  const mb = num(env.READINESS_BLOB_CACHE_MB);
  return {
    concurrency: num(env.READINESS_CONCURRENCY),
    analysisThreads: num(env.READINESS_SCAN_THREADS),
    analysisTimeoutMs: num(env.READINESS_SCAN_TIMEOUT_S) === undefined ? undefined : num(env.READINESS_SCAN_TIMEOUT_S)! * 1000,
    analysisHeapMb: num(env.READINESS_SCAN_MEMORY_MB),
    blobCacheBytes: mb === undefined ? undefined : mb * 1024 * 1024,
  };
}

/** The Probot entry point (`probot run`, or src/server.ts). */
export default (app: Probot, options?: ApplicationFunctionOptions): void => {
  setupReadiness(app, readinessOptionsFromEnv(), options?.addHandler);
};
