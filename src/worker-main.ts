import { createServer } from 'node:http';
import pino from 'pino';
import { createProbot } from 'probot';
import { readinessOptionsFromEnv, setupReadiness } from './app.js';
import { Scale, scaleOptionsFromEnv } from './github/bullmq-queue.js';
import { tuneHeapGrowth } from './github/heap.js';
import { ReadinessMetrics } from './github/metrics.js';
import { createReadinessOctokit } from './github/octokit.js';
import { withSharedThrottling } from './queue/shared-throttle.js';

/**
 * `npm run worker`: a scan worker without a webhook server. It takes jobs from the BullMQ queue
 * that app replicas (`npm start`) fill, so REDIS_URL is required. Reads APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, GHE_HOST/GHE_PROTOCOL like the app; METRICS_PORT serves `/metrics` and
 * `/healthz` (off when unset). SIGTERM lets running scans finish (BullMQ re-delivers the rest).
 */
const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { name: 'readiness-worker' } });
if (!process.env.REDIS_URL) {
  log.error('REDIS_URL is required: the worker takes its jobs from Redis (without it, `npm start` scans in-process)');
  process.exit(2);
}

tuneHeapGrowth();

const scale = new Scale({ ...scaleOptionsFromEnv(), consume: true, log, metrics: new ReadinessMetrics({ defaultMetrics: true }) });
// Probot would load its own Redis driver for REDIS_URL, which this project does not ship: the
// worker hands it the environment without it (the queue has its own connection).
// Probot's clustered throttling, so workers and app replicas share GitHub's rate limits.
const throttling = withSharedThrottling(createReadinessOctokit(), () => process.env.REDIS_URL, (err) => log.warn({ err }, 'shared throttling: Redis error'));
const probot = createProbot({ env: { ...process.env, REDIS_URL: '' }, overrides: { Octokit: throttling.Octokit, log } });
setupReadiness(probot, { ...readinessOptionsFromEnv(), queue: scale.queueFactory });
log.info({ concurrency: scaleOptionsFromEnv().concurrency ?? 4 }, 'worker started');

const port = Number(process.env.METRICS_PORT);
const server = port
  ? createServer((req, res) => {
      if (!scale.handler()(req, res)) res.writeHead(404).end();
    }).listen(port, process.env.HOST)
  : undefined;

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  log.info('stopping: finishing running scans');
  server?.close();
  void scale
    .close()
    .then(() => throttling.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
