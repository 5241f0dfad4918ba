import { run } from 'probot';
import { readinessOptionsFromEnv, setupReadiness, type ReadinessRuntime } from './app.js';
import { createReadinessOctokit } from './github/octokit.js';

/**
 * `npm start`: Probot's server (webhook route, `/ping`, `/healthz`; a WEBHOOK_PROXY_URL relay in
 * development) with the app's tuned Octokit. Reads APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH,
 * WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL, GHE_HOST and GHE_PROTOCOL like any Probot app.
 */

/** On SIGTERM (docker stop, a deploy), give running scans this long to finish their check runs. */
const DRAIN_MS = 25_000;

let runtime: ReadinessRuntime | undefined;
const server = await run(
  (app, options) => {
    runtime = setupReadiness(app, readinessOptionsFromEnv(), options.addHandler);
  },
  { Octokit: createReadinessOctokit() },
);

process.once('SIGTERM', () => {
  void (async () => {
    await server.stop().catch(() => {});
    const drained = runtime?.queue.onIdle() ?? Promise.resolve();
    await Promise.race([drained, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
    process.exit(0);
  })();
});
