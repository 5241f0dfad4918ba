import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { pullRequestPayload } from '../../bench/github/driver.js';
import { FakeGitHub } from '../../bench/github/fake-server.js';
import { createReadinessOctokit } from '../../src/github/octokit.js';
import { RespConnection } from '../../src/queue/resp.js';
import { withSharedThrottling } from '../../src/queue/shared-throttle.js';
import { INSTALLATION, OWNER, deliver, makeScaleApp, sleep, type TestApp } from './helpers.js';

/**
 * Redis goes away while jobs are queued and running, and comes back empty (no persistence, as a
 * restarted memory-only Redis does). Runs its own redis-server on a free port (never the shared
 * one). What the app guarantees across that, and what this test pins:
 * - the process does not crash and no promise rejection goes unhandled;
 * - a webhook that arrives while Redis is down fails within seconds (the webhook middleware
 *   answers 500, so GitHub shows a failed delivery that can be redelivered), instead of hanging
 *   past GitHub's 10 s delivery timeout;
 * - a scan already running completes its check run: its GitHub writes wait in the throttle shared
 *   over Redis (as production wires it) until Redis is back, then Bottleneck sets its limiters
 *   up again on the empty server;
 * - queue and workers reconnect by themselves: webhooks accepted after the restart are scanned
 *   and their check runs completed;
 * - NOT guaranteed: a job that was only waiting in Redis is gone with it (no check run was
 *   created for it yet, so nothing is left in progress on GitHub; a new push or a redelivery
 *   scans again). A check run in progress whose worker died together with Redis is not reaped:
 *   the open-run ledger lived in that Redis too (src/github/reaper.ts).
 */

const REPO = 'restart';
const ref = { owner: OWNER, repo: REPO, installation: INSTALLATION };
const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
const d = hasRedisServer ? describe : describe.skip;
if (!hasRedisServer) {
  const msg = 'redis-server is not installed: the Redis restart test is SKIPPED (it starts its own server).';
  if (process.env.REQUIRE_REDIS === '1') throw new Error(`REQUIRE_REDIS=1 but ${msg}`);
  console.warn(msg);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A throwaway redis-server in the foreground, resolved once it answers PING. */
async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  const end = Date.now() + 5000;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
    const c = new RespConnection({ port, lazyConnect: true, retryStrategy: () => null, connectTimeoutMs: 500 });
    c.on('error', () => {});
    const pong = await c.call(['PING']).catch(() => undefined);
    c.disconnect();
    if (pong === 'PONG') return proc;
    await sleep(50);
  }
  proc.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer`);
}

async function stopRedis(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

let redis: ChildProcess | undefined;
let fake: FakeGitHub;
let app: TestApp | undefined;
let throttling: ReturnType<typeof withSharedThrottling> | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

afterEach(async () => {
  await app?.scale.close();
  app = undefined;
  await throttling?.close();
  await fake?.stop();
  await stopRedis(redis);
});

d('Redis restart', () => {
  test('killed mid-stream and restarted empty: no crash, loud failures meanwhile, a running scan completes, new webhooks are scanned after', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    let slowSha = '';
    fake = new FakeGitHub({ latencyMs: 2, intercept: (m, p) => (m === 'GET' && slowSha && p.includes(`/git/trees/${slowSha}`) ? { delayMs: 2500 } : undefined) });
    await fake.start();
    const base = fake.addCommit(OWNER, REPO, { 'README.md': '# restart\n' });
    const commit = (n: number) => fake.addCommit(OWNER, REPO, { 'README.md': `# ${n}\n`, 'src/a.txt': 'FINDING high k1\n' });
    const [running, waiting, during, after] = [commit(1), commit(2), commit(3), commit(4)];
    slowSha = running;

    // As production wires it: GitHub writes throttled through Redis too (Bottleneck clustering).
    const url = `redis://127.0.0.1:${port}`;
    throttling = withSharedThrottling(createReadinessOctokit({ retryAfterBaseMs: 1 }), () => url, () => {});
    // One job at a time, short locks and stall checks so recovery happens within the test.
    app = makeScaleApp(fake, { redisUrl: url, prefix: 'restart', concurrency: 1, backoffMs: 50, lockDurationMs: 2000, stalledIntervalMs: 500, reaper: false, Octokit: throttling.Octokit });
    const a = app;
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 1, head: running, base }), 'r-running');
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 2, head: waiting, base }), 'r-waiting');
    // The first scan has its check run in progress and is reading its (slow) tree; the second waits in Redis.
    await fake.waitForRuns((rs) => rs.some((r) => r.headSha === running && r.status === 'in_progress'), 10_000);
    expect(await a.scale.queue!.depth()).toBe(1);

    await stopRedis(redis);
    expect(await a.scale.redisUp()).toBe(false);

    // A webhook during the outage fails (500 to GitHub) well within GitHub's 10 s delivery timeout.
    const t0 = Date.now();
    const outcome = await Promise.race([
      deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 3, head: during, base }), 'r-during').then(
        () => 'accepted',
        (err: Error) => `failed: ${err.message}`,
      ),
      sleep(9000).then(() => 'hung'),
    ]);
    expect(outcome).toMatch(/^failed: /);
    expect(Date.now() - t0).toBeLessThan(9000);

    // Back, on the same port, empty.
    redis = await startRedis(port);
    // The running scan's check run completes.
    await fake.waitForRuns((rs) => rs.some((r) => r.headSha === running && r.status === 'completed'), 20_000);
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 4, head: after, base }), 'r-after');
    await fake.waitForRuns((rs) => rs.some((r) => r.headSha === after && r.status === 'completed'), 20_000);
    // A redelivery of the webhook that failed during the outage is scanned too.
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 3, head: during, base }), 'r-during');
    await fake.waitForRuns((rs) => rs.some((r) => r.headSha === during && r.status === 'completed'), 20_000);
    await a.runtime.queue.onIdle();
    expect(await a.scale.redisUp()).toBe(true);

    const runs = [...fake.runs.values()];
    const bySha = (sha: string) => runs.filter((r) => r.headSha === sha);
    for (const sha of [running, after, during]) {
      expect(bySha(sha)).toHaveLength(1);
      expect(bySha(sha)[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    }
    // The job that only waited in Redis is lost with it; it never created a run, so none is left open.
    expect(bySha(waiting)).toEqual([]);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(unhandled).toEqual([]);
  }, 30_000);
});
