import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { ProbotOctokit, type Probot } from 'probot';
import type { ReadinessRuntime } from '../../src/app.js';
import { GitHubSnapshot } from '../../src/github/snapshot.js';
import { CallLog, FakeRepo, finishNock, fixture, makeApp } from './fake-github.js';

/**
 * The numbers the issue asks for, measured against nock with 50 ms per request: API requests of
 * one PR scan on a 2,000-file repository of which 150 files are read, webhook-to-completed time,
 * and the two blob strategies side by side. Asserts the targets; `MEASURE=1` prints the table.
 */

const LATENCY_MS = 50;
const BASE = 'b5e0c0a1d2e3f405162738495a6b7c8d9e0f1a2b';
const HEAD1 = 'e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4';
const HEAD2 = '2f3e4d5c6b7a89012345678901234567890abcde';
const R = '/repos/acme/api';

/** 2,000 files: 150 read by the test check (.txt, 1-3 KB each, 40 findings), the rest not. */
function syntheticRepo(readCount = 150, total = 2000): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < readCount; i++) {
    const body = `# module ${i}\n` + `line of source text number ${i}\n`.repeat(40 + (i % 60));
    files[`svc/pkg${i % 12}/mod${i}.txt`] = (i < 40 ? `FINDING ${['critical', 'high', 'medium', 'low'][i % 4]} k${i}\n` : '') + body;
  }
  for (let i = readCount; i < total; i++) files[`assets/pkg${i % 30}/f${i}.${['svg', 'py', 'csv', 'rst'][i % 4]}`] = `asset ${i}\n`.repeat(20);
  return files;
}

const out: string[] = [];
const print = (l: string) => out.push(l);
afterAll(() => {
  if (process.env.MEASURE) process.stdout.write(`\n${out.join('\n')}\n`);
});

let log: CallLog;
beforeEach(() => {
  nock.disableNetConnect();
  log = new CallLog();
});
// The fake is served with persisted interceptors, so only unexpected requests are checked.
afterEach(() => expect(finishNock(log).unmatched).toEqual([]));

/** Serves the fake repository for any number of requests, each answered after LATENCY_MS. */
function serve(fake: FakeRepo, opts: { config?: string } = {}): void {
  const s = log.watch(nock('https://api.github.com').persist());
  s.post('/app/installations/4242/access_tokens').delay(LATENCY_MS).reply(201, { token: 't', expires_at: new Date(Date.now() + 3.6e6).toISOString() });
  s.post(`${R}/check-runs`).delay(LATENCY_MS).reply(201, { id: 1 });
  s.patch(`${R}/check-runs/1`).delay(LATENCY_MS).reply(200, { id: 1 });
  s.get(/\/repos\/acme\/api\/contents\/\.github/).delay(LATENCY_MS).reply(opts.config ? 200 : 404, opts.config ?? { message: 'Not Found' }, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
  s.get(/\/repos\/acme\/\.github\/contents\//).delay(LATENCY_MS).reply(404, { message: 'Not Found' });
  s.get(/\/repos\/acme\/api\/git\/trees\/[0-9a-f]{40}/).query(true).delay(LATENCY_MS).reply(200, (uri) => fake.tree(/trees\/([0-9a-f]{40})/.exec(uri)![1]!));
  s.post('/graphql').delay(LATENCY_MS).reply(200, (_u, b) => fake.graphqlAnswer(b as { query: string; variables: Record<string, string> }));
  s.get(`${R}/issues/42/comments`).query(true).delay(LATENCY_MS).reply(200, []);
  s.post(`${R}/issues/42/comments`).delay(LATENCY_MS).reply(201, { id: 9 });
  s.get(/\/repos\/acme\/api\/tarball\//).delay(LATENCY_MS).reply(200, (uri) => fake.tarball(/tarball\/([0-9a-f]{40})/.exec(uri)![1]!), { 'content-type': 'application/x-gzip' });
}

/** Time from handing Probot the webhook to the check run's completing PATCH, and the calls made. */
async function timedDelivery(probot: Probot, runtime: ReadinessRuntime, name: string, payload: object): Promise<{ ms: number; calls: string[] }> {
  const from = log.calls.length;
  let completedAt = 0;
  const t0 = performance.now();
  const watcher = setInterval(() => {
    if (!completedAt && log.calls.slice(from).some((c) => c.method === 'PATCH' && (c.body as { status?: string })?.status === 'completed')) completedAt = performance.now();
  }, 2);
  await probot.receive({ id: `d-${Math.random()}`, name, payload } as Parameters<Probot['receive']>[0]);
  await runtime.queue.onIdle();
  clearInterval(watcher);
  return { ms: (completedAt || performance.now()) - t0, calls: log.lines().slice(from) };
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Requests a scan makes, leaving out the hourly installation token and extra annotation batches. */
const scanRequests = (calls: string[]) => calls.filter((c) => !c.includes('/access_tokens')).length;

test('PR scan on a 2,000-file repository reading 150 files: requests and webhook-to-completed time', async () => {
  const fake = new FakeRepo();
  const files = syntheticRepo();
  fake.commit(BASE, { ...files, 'svc/pkg0/mod0.txt': 'changed on main\n' });
  fake.commit(HEAD1, files);
  fake.commit(HEAD2, { ...files, 'svc/pkg1/mod1.txt': 'FINDING high k1\nfixed one line\n' });
  serve(fake);

  const cold: number[] = [];
  const warm: number[] = [];
  const coldSync: number[] = [];
  let coldCalls: string[] = [];
  let warmCalls: string[] = [];
  let coldSyncCalls: string[] = [];
  let warmQuery: { variables: Record<string, string> } | undefined;
  for (let run = 0; run < 5; run++) {
    // A fresh process each time: nothing cached.
    const { probot, runtime } = makeApp({ configTtlMs: 5 * 60_000, tuning: {} });
    const a = await timedDelivery(probot, runtime, 'pull_request', fixture('pull_request.opened'));
    cold.push(a.ms);
    coldCalls = a.calls;
    const b = await timedDelivery(probot, runtime, 'pull_request', fixture('pull_request.synchronize'));
    warm.push(b.ms);
    warmCalls = b.calls;
    warmQuery = log.calls.filter((c) => c.path === '/graphql').at(-1)!.body as { variables: Record<string, string> };
    const fresh = makeApp({ configTtlMs: 5 * 60_000, tuning: {} });
    const c = await timedDelivery(fresh.probot, fresh.runtime, 'pull_request', fixture('pull_request.synchronize'));
    coldSync.push(c.ms);
    coldSyncCalls = c.calls;
  }
  print(`## One PR scan, 2,000 files, 150 read, ${LATENCY_MS} ms per request (5 runs each)`);
  print('| scan | API requests (no token) | sequence | webhook-to-completed p50 |');
  print('| --- | --: | --- | --: |');
  print(`| opened, cold process, no config file | ${scanRequests(coldCalls)} | ${coldCalls.filter((c) => !c.includes('access_tokens')).map(short).join(', ')} | ${p50(cold).toFixed(0)} ms |`);
  print(`| synchronize, same process (1 file changed) | ${scanRequests(warmCalls)} | ${warmCalls.map(short).join(', ')} | ${p50(warm).toFixed(0)} ms |`);
  print(`| synchronize, cold process, no config file | ${scanRequests(coldSyncCalls)} | ${coldSyncCalls.filter((c) => !c.includes('access_tokens')).map(short).join(', ')} | ${p50(coldSync).toFixed(0)} ms |`);
  // The same cold scan with Probot's stock throttling (writes and GraphQL 1 s apart, comments 3 s).
  const stock = makeApp({ configTtlMs: 5 * 60_000, Octokit: ProbotOctokit });
  const d = await timedDelivery(stock.probot, stock.runtime, 'pull_request', fixture('pull_request.opened'));
  print(`| opened, cold, Probot's default throttling instead (for comparison) | ${scanRequests(d.calls)} | same | ${d.ms.toFixed(0)} ms |`);
  expect(scanRequests(coldCalls)).toBeLessThanOrEqual(8);
  expect(scanRequests(warmCalls)).toBeLessThanOrEqual(6);
  expect(p50(cold)).toBeLessThan(1500);
  expect(p50(warm)).toBeLessThan(1500);
  expect(p50(coldSync)).toBeLessThan(1500);
  // The second push fetched exactly the one blob that changed.
  expect(Object.values(warmQuery!.variables).filter((v) => v.includes(':'))).toEqual([`${HEAD2}:svc/pkg1/mod1.txt`]);
});

test('blob strategies side by side: GraphQL pages vs one tarball', async () => {
  print('');
  print('## Blob fetch strategies (cold cache, 50 ms per request; nock has no bandwidth limit, so transfer time is not modelled)');
  print('| files in repo | blobs read | strategy | requests | bytes received (GraphQL: text; tarball: gzip) | wall ms |');
  print('| --: | --: | --- | --: | --: | --: |');
  for (const [read, total] of [
    [150, 2000],
    [1500, 2000],
  ] as const) {
    const fake = new FakeRepo();
    const files = syntheticRepo(read, total);
    fake.commit(HEAD1, files);
    fake.tarball(HEAD1); // built before timing: the fake's gzip is not GitHub's latency
    serve(fake);
    const paths = Object.keys(files).filter((p) => p.endsWith('.txt'));
    for (const strategy of ['graphql', 'tarball', 'auto'] as const) {
      const times: number[] = [];
      let snap: GitHubSnapshot | undefined;
      // Median of 3 cold reads: the machine is shared, single runs are noisy.
      for (let k = 0; k < 3; k++) {
        const client = new Octokit({ auth: 't', log: { debug() {}, info() {}, warn() {}, error() {} } });
        snap = new GitHubSnapshot({ client, owner: 'acme', repo: 'api', commit: HEAD1, strategy });
        const t0 = performance.now();
        const r = await snap.read(paths);
        times.push(performance.now() - t0);
        expect(r.files.size).toBe(read);
      }
      const st = snap!.stats;
      print(`| ${total} | ${read} | ${strategy} → ${st.strategy} | ${st.requests} | ${st.bytesFetched} | ${p50(times).toFixed(0)} |`);
      if (strategy === 'auto') expect(st.strategy).toBe(read > 600 ? 'tarball' : 'graphql');
    }
    nock.cleanAll();
  }
});

function short(line: string): string {
  return line
    .replace(/^(\w+) \/repos\/acme\/api\//, '$1 ')
    .replace(/[0-9a-f]{40}/, (s) => s.slice(0, 7))
    .replace(/^(\w+) \/repos\/acme\/\.github\/contents.*/, '$1 org .github config')
    .replace(/contents\/.*/, 'config');
}
