import { generateKeyPairSync } from 'node:crypto';
import pino from 'pino';
import { Probot, type ProbotOctokit } from 'probot';
import { FakeGitHub } from '../../bench/github/fake-server.js';
import { setupReadiness, type ReadinessRuntime } from '../../src/app.js';
import { defineCheck, type Check } from '../../src/engine/check.js';
import { Scale, type ScaleOptions } from '../../src/github/bullmq-queue.js';
import { createReadinessOctokit } from '../../src/github/octokit.js';
import { RespConnection } from '../../src/queue/resp.js';

/**
 * Scale tests run against a real Redis (REDIS_URL, default redis://127.0.0.1:6379) and the fake
 * GitHub server on loopback. Without Redis they skip with a notice, unless REQUIRE_REDIS=1 (CI),
 * where they fail.
 */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Resolves true when Redis answers PING within a second. */
export async function probeRedis(): Promise<boolean> {
  const c = new RespConnection({ url: REDIS_URL, lazyConnect: true, retryStrategy: () => null, connectTimeoutMs: 1000 });
  c.on('error', () => {});
  try {
    const pong = await Promise.race([c.call(['PING']), new Promise((r) => setTimeout(() => r('timeout'), 1000))]);
    return pong === 'PONG';
  } catch {
    return false;
  } finally {
    c.disconnect();
  }
}

/** `describe` when Redis answers, else `describe.skip` with a visible notice (or a failure under REQUIRE_REDIS=1). */
export async function describeWithRedis(): Promise<jest.Describe> {
  if (await probeRedis()) return describe;
  const msg = `No Redis at ${REDIS_URL}: Redis-backed scale tests are SKIPPED. Start redis-server or set REDIS_URL; CI sets REQUIRE_REDIS=1.`;
  if (process.env.REQUIRE_REDIS === '1') throw new Error(`REQUIRE_REDIS=1 but ${msg}`);
  console.warn(msg);
  return describe.skip;
}

/** A unique Redis prefix per test run, so runs never see each other's jobs. */
export function uniquePrefix(name: string): string {
  return `rtest-${name}-${process.pid}-${Date.now().toString(36)}`;
}

/** Deletes every key under a prefix (test clean-up). */
export async function dropPrefix(prefix: string): Promise<void> {
  const c = new RespConnection({ url: REDIS_URL, lazyConnect: true });
  c.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = (await c.call(['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', 500])) as [string, string[]];
      cursor = next;
      if (keys.length) await c.call(['DEL', ...keys]);
    } while (cursor !== '0');
  } finally {
    await c.quit();
  }
}

export const INSTALLATION = 77;
export const OWNER = 'acme';
export const SECRET = 'scale-test-secret';

let key: string | undefined;
export function privateKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return key;
}

/** `FINDING <severity> <key>` lines in .txt files are findings (as in the app tests). */
export const MARKER_CHECK: Check = defineCheck({
  id: 'test/marker',
  title: 'Marker finding',
  severity: 'high',
  files: ['**/*.txt'],
  docs: 'Fires on FINDING markers, for scale tests.',
  fix: 'Remove the marker.',
  effort: 5,
  example: 'FINDING high x',
  run: (m) =>
    m.read('**/*.txt').flatMap((file) =>
      m.lines(file).flatMap((l, i) => {
        const x = /FINDING (\w+) (\S+)/.exec(l);
        return x ? [{ file, line: i + 1, key: x[2]!, severity: 'high' as const, message: `marker ${x[2]} in ${file}` }] : [];
      }),
    ),
});

export interface TestApp {
  probot: Probot;
  runtime: ReadinessRuntime;
  scale: Scale;
}

/**
 * An app process (Probot + Scale) talking to the fake GitHub; `consume: false` makes a producer
 * only; `Octokit` replaces the app's client class (e.g. with throttling shared over Redis).
 */
export function makeScaleApp(fake: FakeGitHub, o: ScaleOptions & { Octokit?: typeof ProbotOctokit }): TestApp {
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const probot = new Probot({
    appId: 123,
    privateKey: privateKey(),
    secret: SECRET,
    baseUrl: fake.url,
    Octokit: o.Octokit ?? createReadinessOctokit({ retryAfterBaseMs: 1 }),
    log,
  });
  const { Octokit: _octokit, ...scaleOptions } = o;
  const scale = new Scale({ log, ...scaleOptions });
  const runtime = setupReadiness(probot, { checks: [MARKER_CHECK], configTtlMs: 0, queue: scale.queueFactory });
  return { probot, runtime, scale };
}

export async function deliver(app: TestApp, name: string, payload: object, id: string): Promise<void> {
  await app.probot.receive({ id, name, payload } as Parameters<Probot['receive']>[0]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
