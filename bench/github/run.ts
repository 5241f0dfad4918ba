import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { ALL_CHECKS } from '../../checks/index.js';
import { GitHubSnapshot, createReadCache } from '../../src/github/snapshot.js';
import { globMatcher } from '../../src/model/project.js';
import { RespConnection } from '../../src/queue/resp.js';
import { writeSyntheticRepo } from '../synthetic.js';
import { pullRequestPayload, sendWebhook, type RepoRef } from './driver.js';
import { FakeGitHub, readDirFiles } from './fake-server.js';
import { NaiveContentsSnapshot } from './naive.js';

/**
 * `npm run bench`, GitHub part: the built app (`dist/src/server.js`, and `dist/src/worker-main.js`
 * for the burst with Redis) runs as child processes against the fake GitHub on 127.0.0.1 with a
 * set latency per request; the driver sends signed webhooks and waits for each check run to
 * complete. Prints markdown tables; targets are read by eye and recorded in the issue notes.
 */

export const SECRET = 'bench-webhook-secret';
const INSTALLATION = 1;
const OWNER = 'bench';
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const SERVER = path.join(DIST, 'server.js');
const WORKER = path.join(DIST, 'worker-main.js');
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Time between two pushes to one PR in the repository scenarios (BENCH_PUSH_GAP_MS). */
const PUSH_GAP_MS = Number(process.env.BENCH_PUSH_GAP_MS ?? 5000);

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Peak resident memory of a process (Linux VmHWM), MB. */
export function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

let privateKey: string | undefined;
function key(): string {
  privateKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return privateKey;
}

function appEnv(fake: FakeGitHub, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    APP_ID: '1',
    PRIVATE_KEY: key(),
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: `127.0.0.1:${fake.port}`,
    GHE_PROTOCOL: 'http',
    HOST: '127.0.0.1',
    ...extra,
  } as NodeJS.ProcessEnv;
}

interface AppProcess {
  child: ChildProcess;
  url: string;
  hooks: string;
  stop(): Promise<void>;
}

function spawnNode(file: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

export async function startApp(fake: FakeGitHub, extra: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const child = spawnNode(SERVER, appEnv(fake, { PORT: String(port), ...extra }));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} while starting`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error('the app did not answer /healthz within 30 s');
    await sleep(100);
  }
  return { child, url, hooks: `${url}/api/github/webhooks`, stop: () => stopChild(child) };
}

/** A commit like `files` with one Python file changed (each call changes it again). */
export function withChangedFile(files: Map<string, Buffer>, k: number): Map<string, Buffer> {
  const target = [...files.keys()].find((p) => p.endsWith('.py') && p.includes('/mod')) ?? 'README.md';
  const next = new Map(files);
  next.set(target, Buffer.concat([files.get(target) ?? Buffer.alloc(0), Buffer.from(`\n# change ${k}\n`)]));
  return next;
}

interface ScanSample {
  ms: number;
  requests: number;
  annotationPatches: number;
  bytes: number;
  blobs: number;
  /** The slowest `/healthz` answer while the scan ran: how long the app's event loop was blocked. */
  stallMs: number;
}

/** Asks `/healthz` every 50 ms until stopped; resolves to the slowest answer, ms. */
function watchStalls(app: AppProcess): { stop(): Promise<number> } {
  let running = true;
  let worst = 0;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      try {
        await (await fetch(`${app.url}/healthz`)).arrayBuffer();
      } catch {
        // counted as slow as it took
      }
      worst = Math.max(worst, performance.now() - t);
      await sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return Math.round(worst);
    },
  };
}

/** Sends one webhook and measures until its check run completed and the trailing calls ended. */
export async function measuredScan(fake: FakeGitHub, app: AppProcess, name: string, payload: object, head: string): Promise<ScanSample> {
  const r0 = fake.requests.length;
  const b0 = fake.contentBytes;
  const n0 = fake.blobsServed;
  const t0 = Date.now();
  const stalls = watchStalls(app);
  const res = await sendWebhook(app.hooks, SECRET, name, payload);
  if (res.status >= 300) throw new Error(`webhook answered ${res.status}`);
  await fake.waitForRuns((rs) => rs.some((r) => r.headSha === head && r.status === 'completed'), 900_000);
  const stallMs = await stalls.stop();
  const run = [...fake.runs.values()].find((r) => r.headSha === head && r.status === 'completed')!;
  await fake.settle();
  const reqs = fake.since(r0);
  const patches = reqs.filter((q) => q.method === 'PATCH' && q.path.includes('/check-runs/')).length;
  return { ms: run.completedAt! - t0, requests: reqs.length, annotationPatches: Math.max(0, patches - 1), bytes: fake.contentBytes - b0, blobs: fake.blobsServed - n0, stallMs };
}

const kb = (b: number) => (b >= 10 * 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : b >= 10 * 1024 ? `${(b / 1024).toFixed(0)} KB` : `${b} B`);

interface RepoRow {
  label: string;
  files: number;
  cold: ScanSample;
  warm: ScanSample[];
  p50: number;
  p95: number;
  rss: number;
  /** Reading the files the checks select, cold, without the engine: readiness's fetcher vs naive. */
  fetch: FetchCost;
  naive: FetchCost;
}

interface FetchCost {
  requests: number;
  bytes: number;
  ms: number;
}

/** Paths the engine would read (the union of the checks' globs), as runner.ts selects them. */
function wantedPaths(paths: string[]): string[] {
  const patterns = [...new Set(ALL_CHECKS.flatMap((c) => c.files))].map((g) => globMatcher(g));
  return paths.filter((p) => patterns.some((m) => m(p)));
}

async function fetchCost(fake: FakeGitHub, read: () => Promise<unknown>): Promise<FetchCost> {
  const r0 = fake.requests.length;
  const b0 = fake.contentBytes;
  const t0 = performance.now();
  await read();
  const ms = performance.now() - t0;
  await fake.settle(50);
  return { requests: fake.requests.length - r0, bytes: fake.contentBytes - b0, ms };
}

async function repoScenario(fake: FakeGitHub, label: string, n: number, pushes: number, env: Record<string, string> = {}, compareFetch = true): Promise<RepoRow> {
  const root = mkdtempSync(path.join(tmpdir(), 'readiness-ghbench-'));
  let files: Map<string, Buffer>;
  try {
    writeSyntheticRepo(root, n);
    files = readDirFiles(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const repo = `synthetic-${n}${Object.entries(env).map(([k, v]) => `-${k}-${v}`).join('')}`.toLowerCase();
  const ref: RepoRef = { owner: OWNER, repo, installation: INSTALLATION };
  const base = fake.addCommit(OWNER, repo, files);
  const heads: string[] = [];
  let cur = files;
  for (let k = 1; k <= pushes; k++) {
    cur = withChangedFile(cur, k);
    heads.push(fake.addCommit(OWNER, repo, cur));
  }

  const app = await startApp(fake, env);
  const samples: ScanSample[] = [];
  let rss: number;
  try {
    // A first scan of another small repository warms the process (JIT, parsers, token), so
    // "cold" below means a cold cache, not a cold process.
    const wu = `warmup-${repo}`;
    const wuBase = fake.addCommit(OWNER, wu, { 'README.md': '# w\n', 'app.py': 'import os\n' });
    const wuHead = fake.addCommit(OWNER, wu, { 'README.md': '# w\n', 'app.py': 'import os\nprint(1)\n' });
    await measuredScan(fake, app, 'pull_request', pullRequestPayload({ ...ref, repo: wu }, { action: 'opened', number: 1, head: wuHead, base: wuBase }), wuHead);
    for (const [i, head] of heads.entries()) {
      // People push seconds apart at the fastest; back to back, a scan would also wait for the
      // per-installation write pacing (rate-gate.ts) that the previous scan's writes used up.
      if (i > 0) await sleep(PUSH_GAP_MS);
      const payload = pullRequestPayload(ref, { action: i === 0 ? 'opened' : 'synchronize', number: 1, head, base });
      samples.push(await measuredScan(fake, app, 'pull_request', payload, head));
    }
    rss = peakRssMb(app.child.pid);
  } finally {
    await app.stop();
  }

  const all = samples.map((s) => s.ms);
  const row = { label, files: files.size, cold: samples[0]!, warm: samples.slice(1), p50: percentile(all, 50), p95: percentile(all, 95), rss };
  if (!compareFetch) return { ...row, fetch: { requests: 0, bytes: 0, ms: 0 }, naive: { requests: 0, bytes: 0, ms: 0 } };
  // Fetching alone, cold, in this process: readiness's snapshot (one tree call, GraphQL batches or
  // the tarball) against one REST contents call per selected file (16 at a time).
  const api = `${fake.url}/api/v3`;
  const wanted = wantedPaths([...files.keys()]);
  const octokit = new Octokit({ baseUrl: api, auth: 'bench' });
  const own = await fetchCost(fake, async () => {
    const snap = new GitHubSnapshot({ client: octokit, owner: OWNER, repo, commit: heads[0]!, cache: createReadCache() });
    await snap.list();
    await snap.read(wanted);
  });
  const naive = await fetchCost(fake, async () => {
    const snap = new NaiveContentsSnapshot(api, OWNER, repo, heads[0]!);
    await snap.list();
    await snap.read(wanted);
  });
  return { ...row, fetch: own, naive };
}

async function redisAnswers(): Promise<boolean> {
  const c = new RespConnection({ url: REDIS_URL, lazyConnect: true, retryStrategy: () => null, connectTimeoutMs: 1000 });
  c.on('error', () => {});
  try {
    return (await Promise.race([c.call(['PING']), sleep(1000).then(() => 'timeout')])) === 'PONG';
  } catch {
    return false;
  } finally {
    c.disconnect();
  }
}

async function dropRedisPrefix(prefix: string): Promise<void> {
  const c = new RespConnection({ url: REDIS_URL, lazyConnect: true });
  c.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = (await c.call(['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000])) as [string, string[]];
      cursor = next;
      if (keys.length) await c.call(['DEL', ...keys]);
    } while (cursor !== '0');
  } finally {
    await c.quit();
  }
}

interface BurstRow {
  mode: string;
  workers: number;
  seconds: number;
  throughput: number;
  maxDepth: number;
  completed: number;
  open: number;
  hookP95: number;
  p50: number;
  p95: number;
}

/** 200 PR webhooks across 20 repositories, sent at once; the queue drains through `workers`. */
async function burst(fake: FakeGitHub, workers: number, redis: boolean): Promise<BurstRow> {
  const repos = 20;
  const perRepo = 10;
  const tag = `b${workers}${redis ? 'r' : 'p'}`;
  const jobs: { ref: RepoRef; number: number; head: string; base: string }[] = [];
  for (let r = 0; r < repos; r++) {
    const root = mkdtempSync(path.join(tmpdir(), 'readiness-burst-'));
    let files: Map<string, Buffer>;
    try {
      // Small services: the burst measures the queue and GitHub's limits, not the engine.
      writeSyntheticRepo(root, 24 + r);
      files = readDirFiles(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    // One installation per repository (20 organisations): GitHub's write limits are per installation.
    const ref: RepoRef = { owner: `${OWNER}${r}`, repo: `${tag}-svc-${r}`, installation: 100 + r };
    const base = fake.addCommit(ref.owner, ref.repo, files);
    for (let k = 1; k <= perRepo; k++) jobs.push({ ref, number: k, head: fake.addCommit(ref.owner, ref.repo, withChangedFile(files, k)), base });
  }
  const prefix = `readiness-bench-${process.pid}-${tag}`;
  const env: Record<string, string> = redis
    ? { REDIS_URL, READINESS_QUEUE_PREFIX: prefix, READINESS_WORKER: 'off' }
    : { READINESS_CONCURRENCY: String(workers * 4) };
  const app = await startApp(fake, env);
  const workerProcs = redis ? Array.from({ length: workers }, () => spawnNode(WORKER, appEnv(fake, env))) : [];
  const heads = new Set(jobs.map((j) => j.head));
  const done = () => [...fake.runs.values()].filter((r) => heads.has(r.headSha) && r.status === 'completed');
  let maxDepth = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      try {
        const text = await (await fetch(`${app.url}/metrics`)).text();
        const m = /^readiness_queue_depth (\d+)/m.exec(text);
        if (m) maxDepth = Math.max(maxDepth, Number(m[1]));
      } catch {
        // app busy; next poll
      }
      await sleep(100);
    }
  })();
  const hookMs: number[] = [];
  const sentAt = new Map<string, number>();
  const t0 = Date.now();
  try {
    // Activity in 20 repositories at once arrives interleaved; GitHub delivers concurrently, 20 at a time.
    const order = Array.from({ length: perRepo }, (_, k) => jobs.filter((j) => j.number === k + 1)).flat();
    for (let i = 0; i < order.length; i += 20) {
      await Promise.all(
        order.slice(i, i + 20).map(async (j) => {
          sentAt.set(j.head, Date.now());
          const res = await sendWebhook(app.hooks, SECRET, 'pull_request', pullRequestPayload(j.ref, { action: 'opened', number: j.number, head: j.head, base: j.base }));
          hookMs.push(res.ms);
        }),
      );
    }
    await fake.waitForRuns(() => done().length >= jobs.length, 600_000);
    await fake.settle();
  } finally {
    polling = false;
    await poller;
    await Promise.all([app.stop(), ...workerProcs.map(stopChild)]);
    if (redis) await dropRedisPrefix(prefix);
  }
  const seconds = (Date.now() - t0) / 1000;
  const finished = done();
  const lat = finished.map((r) => r.completedAt! - (sentAt.get(r.headSha) ?? t0));
  const open = [...fake.runs.values()].filter((r) => heads.has(r.headSha) && r.status !== 'completed').length;
  return {
    mode: redis ? 'BullMQ' : 'in-process',
    workers,
    seconds,
    throughput: finished.length / seconds,
    maxDepth,
    completed: finished.length,
    open,
    hookP95: percentile(hookMs, 95),
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
  };
}

/** The GitHub App benchmark; prints markdown tables. */
export async function githubBench(o: { latencyMs?: number; parts?: string[] } = {}): Promise<void> {
  // BENCH_GITHUB=repos or BENCH_GITHUB=burst runs one part.
  const parts = o.parts ?? (process.env.BENCH_GITHUB ? process.env.BENCH_GITHUB.split(',') : ['repos', 'threads', 'burst']);
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first`);
  const latency = o.latencyMs ?? Number(process.env.BENCH_LATENCY_MS ?? 50);
  const fake = new FakeGitHub({ latencyMs: latency });
  await fake.start();
  try {
    if (parts.includes('repos')) await repoTables(fake, latency);
    if (parts.includes('threads')) await threadsTable(fake);
    if (parts.includes('burst')) await burstTable(fake);
  } finally {
    await fake.stop();
  }
}

async function repoTables(fake: FakeGitHub, latency: number): Promise<void> {
  {
    console.log(`\n## GitHub App: PR scans against a fake GitHub on 127.0.0.1 (${latency} ms per request)`);
    console.log(`Cold = first scan of the repo (PR opened), warm = later pushes that change one file, ${PUSH_GAP_MS / 1000} s apart (BENCH_PUSH_GAP_MS). "besides annotations" leaves out the annotation-batch updates.`);
    console.log('| repo | files | requests cold (besides annotation batches) | requests warm | bytes cold | bytes warm | blobs read on a 1-file push | webhook→completed p50 / p95 ms (cold) | slowest /healthz answer during scans, ms | app peak RSS MB |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    const fetchRows: string[] = [];
    for (const [label, n, pushes] of [
      ['small', 60, 6],
      ['2,000 files', 2000, 4],
      ['20,000 files', 20000, 2],
    ] as const) {
      const r = await repoScenario(fake, label, n, pushes);
      const warmReq = percentile(r.warm.map((s) => s.requests), 50);
      const warmBytes = percentile(r.warm.map((s) => s.bytes), 50);
      const warmBlobs = Math.max(...r.warm.map((s) => s.blobs));
      console.log(
        `| ${r.label} | ${r.files} | ${r.cold.requests} (${r.cold.requests - r.cold.annotationPatches}) | ${warmReq} | ${kb(r.cold.bytes)} | ${kb(warmBytes)} | ${warmBlobs} | ${r.p50} / ${r.p95} (${r.cold.ms}) | ${maxStall(r)} | ${r.rss.toFixed(0)} |`,
      );
      const ratio = (a: number, b: number) => `${(a / Math.max(b, 1)).toFixed(1)}×`;
      fetchRows.push(
        `| ${r.label} | ${r.fetch.requests} / ${kb(r.fetch.bytes)} / ${r.fetch.ms.toFixed(0)} | ${r.naive.requests} / ${kb(r.naive.bytes)} / ${r.naive.ms.toFixed(0)} | ${ratio(r.naive.requests, r.fetch.requests)} / ${ratio(r.naive.bytes, r.fetch.bytes)} / ${ratio(r.naive.ms, r.fetch.ms)} |`,
      );
    }
    console.log('\nReading the files the checks select, cold cache, without the engine (same run, same latency):');
    console.log('| repo | readiness: requests / bytes / ms | naive, one REST contents call per file (16 at a time): requests / bytes / ms | naive ÷ readiness |');
    console.log('| --- | --- | --- | --- |');
    for (const row of fetchRows) console.log(row);

  }
}

const maxStall = (r: RepoRow) => Math.max(r.cold.stallMs, ...r.warm.map((s) => s.stallMs));

/**
 * The same 20,000-file PR scan and one push with the analysis in a worker thread (the default)
 * and in the main thread: what the thread buys (webhooks and /healthz answered during the parse)
 * and what it costs (a second copy of the engine in memory).
 */
async function threadsTable(fake: FakeGitHub): Promise<void> {
  console.log('\n## GitHub App: where the analysis runs (20,000 files, PR opened then one push)');
  console.log('| READINESS_SCAN_THREADS | cold ms | push ms | slowest /healthz answer during scans, ms | app peak RSS MB |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const threads of ['1', '0']) {
    const r = await repoScenario(fake, `threads ${threads}`, 20000, 2, { READINESS_SCAN_THREADS: threads }, false);
    console.log(`| ${threads} | ${r.cold.ms} | ${r.warm[0]?.ms ?? NaN} | ${maxStall(r)} | ${r.rss.toFixed(0)} |`);
  }
}

async function burstTable(fake: FakeGitHub): Promise<void> {
  {
    const redis = await redisAnswers();
    console.log(`\n## GitHub App: burst of 200 PR webhooks across 20 repositories of 20 installations (${redis ? 'BullMQ on Redis, app replica enqueues only, N worker processes' : `no Redis at ${REDIS_URL}: in-process queue, concurrency 4 per "worker"`})`);
    console.log('| queue | workers | seconds | scans/s | max queue depth | completed | left open | webhook answer p95 ms | webhook→completed p50 / p95 ms |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const workers of [1, 2]) {
      const b = await burst(fake, workers, redis);
      console.log(
        `| ${b.mode} | ${b.workers} | ${b.seconds.toFixed(1)} | ${b.throughput.toFixed(1)} | ${b.maxDepth} | ${b.completed}/200 | ${b.open} | ${b.hookP95.toFixed(0)} | ${b.p50} / ${b.p95} |`,
      );
    }
  }
}

// `node dist/bench/github/run.js` runs only this part.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await githubBench();
