import { pullRequestPayload } from '../../bench/github/driver.js';
import { FakeGitHub } from '../../bench/github/fake-server.js';
import { Reaper } from '../../src/github/reaper.js';
import { REDIS_URL, INSTALLATION, OWNER, deliver, describeWithRedis, dropPrefix, makeScaleApp, uniquePrefix, type TestApp } from './helpers.js';

/**
 * BullMQ on a real Redis, end to end through the fake GitHub on loopback: duplicate deliveries,
 * coalescing of queued and running scans, retries, failures that complete the run, the reaper.
 */

const d = await describeWithRedis();
const REPO = 'api';
const ref = { owner: OWNER, repo: REPO, installation: INSTALLATION };

let fake: FakeGitHub;
let app: TestApp | undefined;
let prefix: string;
let intercept: ((method: string, path: string) => { delayMs?: number; status?: number } | undefined) | undefined;
let base: string;

function commit(n: number, findings = 1): string {
  const files: Record<string, string> = { 'README.md': `# api ${n}\n` };
  for (let i = 0; i < findings; i++) files[`src/f${i}.txt`] = `FINDING high k${i}\n`;
  return fake.addCommit(OWNER, REPO, files);
}

beforeEach(async () => {
  intercept = undefined;
  fake = new FakeGitHub({ latencyMs: 5, intercept: (m, p) => intercept?.(m, p) });
  await fake.start();
  prefix = uniquePrefix('queue');
  base = commit(0, 0);
});

afterEach(async () => {
  await app?.scale.close();
  app = undefined;
  await fake.stop();
  await dropPrefix(prefix);
});

const start = (o: Parameters<typeof makeScaleApp>[1] = {}) =>
  (app = makeScaleApp(fake, { redisUrl: REDIS_URL, prefix, backoffMs: 50, stalledIntervalMs: 1000, reaper: false, ...o }));

const runs = () => [...fake.runs.values()];

d('BullMQ queue', () => {
  test('a redelivered webhook (same delivery id) runs once', async () => {
    const a = start();
    const head = commit(1);
    const payload = pullRequestPayload(ref, { action: 'synchronize', number: 7, head, base });
    await deliver(a, 'pull_request', payload, 'dup-1');
    await deliver(a, 'pull_request', payload, 'dup-1');
    await a.runtime.queue.onIdle();
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ headSha: head, status: 'completed', conclusion: 'success' });
  });

  test('a newer commit supersedes the running scan and the queued one; both end cancelled naming it', async () => {
    const a = start();
    const [c1, c2, c3] = [commit(1), commit(2), commit(3)];
    // The first scan's tree listing is slow, so the newer pushes arrive while it runs.
    intercept = (m, p) => (m === 'GET' && p.includes(`/git/trees/${c1}`) ? { delayMs: 800 } : undefined);
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 8, head: c1, base }), 'co-1');
    await fake.waitForRuns((rs) => rs.some((r) => r.headSha === c1), 5000);
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 8, head: c2, base }), 'co-2');
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 8, head: c3, base }), 'co-3');
    await a.runtime.queue.onIdle();

    const bySha = (sha: string) => runs().filter((r) => r.headSha === sha);
    expect(runs().every((r) => r.status === 'completed')).toBe(true);
    for (const old of [c1, c2]) {
      expect(bySha(old)).toHaveLength(1);
      expect(bySha(old)[0]).toMatchObject({ conclusion: 'cancelled', title: `Superseded by ${c3.slice(0, 7)}` });
      expect(bySha(old)[0]!.summary).toContain(c3);
    }
    expect(bySha(c3)).toHaveLength(1);
    expect(bySha(c3)[0]!.conclusion).toBe('success');
  });

  test('a job whose check run cannot be created is retried by BullMQ and then succeeds', async () => {
    const a = start({ attempts: 3 });
    const head = commit(4);
    // Octokit retries 5xx three times itself: 4 failures make the first attempt fail.
    let failures = 4;
    intercept = (m, p) => (m === 'POST' && p.endsWith('/check-runs') && failures-- > 0 ? { status: 502 } : undefined);
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 9, head, base }), 'retry-1');
    await a.runtime.queue.onIdle();
    expect(fake.requests.filter((r) => r.status === 502)).toHaveLength(4);
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
  }, 20_000);

  test('a run left open by a failed attempt is completed, and the retry reports in a new run', async () => {
    const a = start({ attempts: 2 });
    const head = commit(5);
    // Every completing PATCH of the first attempt fails (4 tries each, the worker tries twice).
    let failures = 8;
    intercept = (m, p) => (m === 'PATCH' && p.includes('/check-runs/') && failures-- > 0 ? { status: 502 } : undefined);
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 10, head, base }), 'open-1');
    await a.runtime.queue.onIdle();
    const [first, second] = runs();
    expect(first).toMatchObject({ status: 'completed', conclusion: 'cancelled', title: 'Restarted' });
    expect(first!.summary).toContain('earlier attempt');
    expect(second).toMatchObject({ status: 'completed', conclusion: 'success' });
  }, 20_000);

  test('a scan that keeps failing completes its check run neutral with the error in the summary', async () => {
    const a = start({ attempts: 2 });
    const head = commit(6);
    intercept = (m, p) => (m === 'GET' && p.includes(`/git/trees/${head}`) ? { status: 502 } : undefined);
    await deliver(a, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 11, head, base }), 'fail-1');
    await a.runtime.queue.onIdle();
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(runs()[0]!.summary).toContain('502');
  }, 20_000);

  test('the reaper completes a run left in progress past its bound, once', async () => {
    const a = start({ reaper: { maxAgeMs: 200, intervalMs: 60_000 } });
    const head = commit(7);
    // Created through the app's client, so the open-run ledger records it; nobody completes it.
    const octokit = await a.runtime.worker.auth(INSTALLATION);
    await octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'Deployment readiness', head_sha: head, status: 'in_progress' });
    expect(await a.scale.reaper!.sweep()).toBe(0);
    await new Promise((r) => setTimeout(r, 250));
    // Two sweeps at once (two workers): the lease lets one of them complete the run.
    const counts = await Promise.all([a.scale.reaper!.sweep(), new Reaper({ state: a.scale.state, auth: (id) => a.runtime.worker.auth(id), log: a.runtime.worker.log, maxAgeMs: 200 }).sweep()]);
    expect(counts.sort()).toEqual([0, 1]);
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ status: 'completed', conclusion: 'neutral', title: 'Scan timed out' });
    expect(await a.scale.state.staleRuns(Date.now(), 10)).toEqual([]);
  });
});
