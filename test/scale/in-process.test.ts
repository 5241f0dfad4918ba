import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { Probot } from 'probot';
import { pullRequestPayload } from '../../bench/github/driver.js';
import { FakeGitHub, readDirFiles } from '../../bench/github/fake-server.js';
import { setupReadiness } from '../../src/app.js';
import { createReadinessOctokit } from '../../src/github/octokit.js';
import { INSTALLATION, OWNER, SECRET, deliver, makeScaleApp, privateKey, type TestApp } from './helpers.js';

/**
 * Without REDIS_URL: the in-process queue with the same supervision (duplicate deliveries,
 * coalescing), and the `/metrics` and `/healthz` routes. No Redis needed.
 */

const REPO = 'web';
const ref = { owner: OWNER, repo: REPO, installation: INSTALLATION };
let fake: FakeGitHub;
let app: TestApp | undefined;
let slow = '';

beforeEach(async () => {
  fake = new FakeGitHub({ latencyMs: 2, intercept: (m, p) => (slow && p.includes(`/git/trees/${slow}`) ? { delayMs: 400 } : undefined) });
  await fake.start();
});
afterEach(async () => {
  await app?.scale.close();
  app = undefined;
  slow = '';
  await fake.stop();
});

/** Through fetch: an earlier test file's nock patches node:http in this worker, not fetch. */
async function get(server: Server, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
  return { status: res.status, body: await res.text() };
}

async function serve(handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean): Promise<Server> {
  const s = createServer((req, res) => {
    if (!handler(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}

test('duplicate deliveries run once and a newer commit supersedes a running scan', async () => {
  app = makeScaleApp(fake, {});
  const base = fake.addCommit(OWNER, REPO, { 'README.md': '#\n' });
  const c1 = fake.addCommit(OWNER, REPO, { 'a.txt': 'FINDING high a\n' });
  const c2 = fake.addCommit(OWNER, REPO, { 'a.txt': 'FINDING high b\n' });
  slow = c1;
  const p1 = pullRequestPayload(ref, { action: 'synchronize', number: 1, head: c1, base });
  await deliver(app, 'pull_request', p1, 'ip-1');
  await deliver(app, 'pull_request', p1, 'ip-1');
  await fake.waitForRuns((rs) => rs.length === 1, 5000);
  await deliver(app, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 1, head: c2, base }), 'ip-2');
  await app.runtime.queue.onIdle();
  const runs = [...fake.runs.values()];
  expect(runs.map((r) => [r.headSha, r.status, r.conclusion])).toEqual([
    [c1, 'completed', 'cancelled'],
    [c2, 'completed', 'success'],
  ]);
  expect(runs[0]!.summary).toContain(c2);
});

test('a late delivery of an older commit is cancelled and does not cancel the newer scan', async () => {
  app = makeScaleApp(fake, {});
  const base = fake.addCommit(OWNER, REPO, { 'README.md': '#\n' });
  const older = fake.addCommit(OWNER, REPO, { 'a.txt': 'FINDING high old\n' });
  const newer = fake.addCommit(OWNER, REPO, { 'a.txt': 'FINDING high new\n' });
  slow = newer;
  // GitHub sent the older push first, but its delivery arrives second, while the newer one scans.
  const at = (s: number) => new Date(Date.parse('2026-12-07T10:00:00Z') + s * 1000).toISOString();
  await deliver(app, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 3, head: newer, base, updatedAt: at(5) }), 'late-2');
  await fake.waitForRuns((rs) => rs.length === 1, 5000);
  await deliver(app, 'pull_request', pullRequestPayload(ref, { action: 'synchronize', number: 3, head: older, base, updatedAt: at(1) }), 'late-1');
  await app.runtime.queue.onIdle();
  const runs = [...fake.runs.values()];
  expect(runs.map((r) => [r.headSha, r.status, r.conclusion])).toEqual([
    [newer, 'completed', 'success'],
    [older, 'completed', 'cancelled'],
  ]);
  expect(runs[1]!.title).toBe(`Superseded by ${newer.slice(0, 7)}`);
});

test('the real catalogue runs in an analysis thread: the report reaches the check run', async () => {
  const log = pino({ level: 'silent' });
  const probot = new Probot({ appId: 123, privateKey: privateKey(), secret: SECRET, baseUrl: fake.url, Octokit: createReadinessOctokit({ retryAfterBaseMs: 1 }), log });
  const runtime = setupReadiness(probot, { configTtlMs: 0 });
  try {
    expect(runtime.pool).toBeDefined();
    const files = readDirFiles(path.resolve(import.meta.dirname, '../../examples/broken-fastapi'));
    const base = fake.addCommit(OWNER, 'svc', { 'README.md': '#\n' });
    const head = fake.addCommit(OWNER, 'svc', files);
    await probot.receive({ id: 'thread-1', name: 'pull_request', payload: pullRequestPayload({ ...ref, repo: 'svc' }, { action: 'opened', number: 9, head, base }) } as Parameters<Probot['receive']>[0]);
    await runtime.queue.onIdle();
    const run = [...fake.runs.values()].find((r) => r.headSha === head)!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.title).toMatch(/critical/);
  } finally {
    await runtime.pool?.close();
  }
});

test('/metrics counts scans, durations, GitHub requests by status, queue depth and cache hits', async () => {
  app = makeScaleApp(fake, {});
  const base = fake.addCommit(OWNER, REPO, { 'README.md': '#\n' });
  const head = fake.addCommit(OWNER, REPO, { 'README.md': '#\n', 'x.txt': 'FINDING high x\n' });
  await deliver(app, 'pull_request', pullRequestPayload(ref, { action: 'opened', number: 2, head, base }), 'm-1');
  await app.runtime.queue.onIdle();
  const server = await serve(app.scale.handler());
  try {
    const { status, body } = await get(server, '/metrics');
    expect(status).toBe(200);
    expect(body).toMatch(/readiness_scans_total\{outcome="completed",conclusion="success",trigger="pull_request"\} 1/);
    expect(body).toMatch(/readiness_scan_duration_seconds_count\{outcome="completed"\} 1/);
    expect(body).toMatch(/readiness_github_requests_total\{method="POST",route="\/repos\/\{owner\}\/\{repo\}\/check-runs",status="201"\} 1/);
    expect(body).toMatch(/readiness_queue_depth 0/);
    expect(body).toMatch(/readiness_blob_cache_hit_ratio 0/);
    const health = await get(server, '/healthz');
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', queue: 'in-process' });
  } finally {
    server.close();
  }
});

test('/healthz answers 503 when the configured Redis does not answer', async () => {
  app = makeScaleApp(fake, { redisUrl: 'redis://127.0.0.1:1', consume: false });
  const server = await serve(app.scale.handler());
  try {
    const health = await get(server, '/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'unavailable', redis: 'down' });
  } finally {
    server.close();
  }
});
