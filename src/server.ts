import { run } from 'probot';
import { readinessOptionsFromEnv, setupReadiness, type ReadinessRuntime } from './app.js';
import { Scale, scaleOptionsFromEnv } from './github/bullmq-queue.js';
import { tuneHeapGrowth } from './github/heap.js';
import { ReadinessMetrics } from './github/metrics.js';
import { createReadinessOctokit } from './github/octokit.js';
import { withSharedThrottling } from './queue/shared-throttle.js';

/**
 * `npm start`: Probot's server (webhook route, `/ping`, `/healthz`; a WEBHOOK_PROXY_URL relay in
 * development) with the app's tuned Octokit. Reads APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH,
 * WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL, GHE_HOST and GHE_PROTOCOL like any Probot app.
 * With REDIS_URL, scans go through BullMQ (src/github/bullmq-queue.ts) and this process also
 * works the queue unless READINESS_WORKER=off; `/metrics` and `/healthz` come from Scale.
 */

/** On SIGTERM (docker stop, a deploy), give running scans this long to finish their check runs. */
const DRAIN_MS = 25_000;

tuneHeapGrowth();

let runtime: ReadinessRuntime | undefined;
let scale: Scale | undefined;
// With REDIS_URL, replicas and workers share GitHub's rate limits (Probot's clustered throttling).
const throttling = withSharedThrottling(createReadinessOctokit(), () => process.env.REDIS_URL || undefined, (err) =>
  runtime?.worker.log.warn({ err }, 'shared throttling: Redis error'),
);
const server = await run(
  (app, options) => {
    // Built here, after Probot has loaded .env into process.env.
    scale = new Scale({ ...scaleOptionsFromEnv(), log: app.log.child({ name: 'readiness-queue' }), metrics: new ReadinessMetrics({ defaultMetrics: true }) });
    // Registered first, so its /healthz (which checks Redis) answers before the app's plain one.
    options.addHandler?.(scale.handler());
    runtime = setupReadiness(app, { ...readinessOptionsFromEnv(), queue: scale.queueFactory }, options.addHandler);
  },
  // Probot would load its own Redis driver for REDIS_URL, which this project does not ship (the
  // queue has its own connection): Probot reads the environment without it.
  { Octokit: throttling.Octokit, env: new Proxy(process.env, { get: (env, k) => (k === 'REDIS_URL' ? undefined : env[k as string]) }) },
);

process.once('SIGTERM', () => {
  void (async () => {
    await server.stop().catch(() => {});
    // In-process: queued and running scans finish; BullMQ: running ones finish, queued ones wait
    // in Redis for another worker.
    const drained = runtime && scale ? scale.close() : Promise.resolve();
    await Promise.race([drained, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
    await throttling.close();
    process.exit(0);
  })();
});
