import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pullRequestPayload } from '../../bench/github/driver.js';
import { FakeGitHub } from '../../bench/github/fake-server.js';
import { INSTALLATION, OWNER, REDIS_URL, deliver, describeWithRedis, dropPrefix, makeScaleApp, privateKey, uniquePrefix, type TestApp } from './helpers.js';

/**
 * A worker process killed mid-scan: its job's lock expires, BullMQ hands the job to another
 * worker, which completes the dead worker's check run ("Restarted") and reports in a new one.
 * The killed worker is the built `npm run worker` entry (dist/, built by `npm run build` before
 * the tests in CI).
 */

const d = await describeWithRedis();
const WORKER = fileURLToPath(new URL('../../dist/src/worker-main.js', import.meta.url));
const REPO = 'svc';

let fake: FakeGitHub;
let producer: TestApp | undefined;
let taker: TestApp | undefined;
let child: ChildProcess | undefined;
let prefix: string;
let slowTrees = true;

beforeEach(async () => {
  fake = new FakeGitHub({ latencyMs: 5, intercept: (m, p) => (slowTrees && m === 'GET' && p.includes('/git/trees/') ? { delayMs: 60_000 } : undefined) });
  await fake.start();
  prefix = uniquePrefix('takeover');
});

afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await producer?.scale.close();
  await taker?.scale.close();
  await fake.stop();
  await dropPrefix(prefix);
});

d('worker crash', () => {
  test('a worker killed mid-scan: another worker takes the job over and every check run ends completed', async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` before this test`);
    const base = fake.addCommit(OWNER, REPO, { 'README.md': '# svc\n' });
    const head = fake.addCommit(OWNER, REPO, { 'README.md': '# svc\n', 'src/a.txt': 'FINDING high k1\n' });
    // Short locks so the takeover happens within the test's time.
    const tuning = { lockDurationMs: 1500, stalledIntervalMs: 500 };

    const proc = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH,
        REDIS_URL,
        READINESS_QUEUE_PREFIX: prefix,
        READINESS_JOB_LOCK_MS: String(tuning.lockDurationMs),
        READINESS_STALLED_CHECK_MS: String(tuning.stalledIntervalMs),
        APP_ID: '123',
        PRIVATE_KEY: privateKey(),
        GHE_HOST: `127.0.0.1:${fake.port}`,
        GHE_PROTOCOL: 'http',
        LOG_LEVEL: (process.env.TEST_LOG_LEVEL ?? 'error') as 'error',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child = proc;
    producer = makeScaleApp(fake, { redisUrl: REDIS_URL, prefix, consume: false });
    await deliver(producer, 'pull_request', pullRequestPayload({ owner: OWNER, repo: REPO, installation: INSTALLATION }, { action: 'opened', number: 3, head, base }), 'crash-1');

    // The child has created (and recorded) its check run and is stuck reading the tree: kill it there.
    await fake.waitForRuns((rs) => rs.some((r) => r.status === 'in_progress'), 15_000);
    for (let i = 0; i < 100 && !(await producer.scale.state.openRunsOf('crash-1')).length; i++) await new Promise((r) => setTimeout(r, 50));
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    slowTrees = false;

    taker = makeScaleApp(fake, { redisUrl: REDIS_URL, prefix, reaper: false, ...tuning });
    await fake.waitForRuns((rs) => rs.length === 2 && rs.every((r) => r.status === 'completed'), 15_000);
    const [dead, fresh] = [...fake.runs.values()];
    expect(dead).toMatchObject({ headSha: head, conclusion: 'cancelled', title: 'Restarted' });
    expect(dead!.summary).toContain('stopped before it finished');
    expect(fresh).toMatchObject({ headSha: head, conclusion: 'success' });
    await taker.runtime.queue.onIdle();
    expect(await taker.scale.state.openRunsOf('crash-1')).toEqual([]);
  }, 30_000);
});
