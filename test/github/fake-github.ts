import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import pino from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { setupReadiness, type ReadinessOptions, type ReadinessRuntime } from '../../src/app.js';
import { defineCheck, type Check } from '../../src/engine/check.js';
import { isSeverity } from '../../src/engine/types.js';
import { createReadinessOctokit, type OctokitTuning } from '../../src/github/octokit.js';
import { FakeGitData, fakeFiles, type FakeFiles, type FileModes, type TreeAnswer } from '../../bench/github/fake-github-core.js';

/**
 * Test helpers for the GitHub side: a repository served through nock (trees, the GraphQL blob
 * query, tarballs), a log of every API call with its body, a Probot instance wired like
 * production with waits shrunk, and a check whose findings the fixture files control.
 */

export const API = 'https://api.github.com';
export const INSTALLATION = 4242;
export const OWNER = 'acme';
export const REPO = 'api';

/** `FINDING <severity> <key>` on a line of any .txt file is one finding at that line. */
export const MARKER_CHECK: Check = defineCheck({
  id: 'test/marker',
  title: 'Marker finding',
  severity: 'high',
  files: ['**/*.txt'],
  docs: 'Fires on FINDING markers, for app tests.',
  fix: 'Remove the marker.',
  effort: 5,
  example: 'FINDING high x',
  run: (m) =>
    m.read('**/*.txt').flatMap((file) =>
      m.lines(file).flatMap((l, i) => {
        const x = /FINDING (\w+) (\S+)/.exec(l);
        if (!x || !isSeverity(x[1])) return [];
        return [{ file, line: i + 1, key: x[2]!, severity: x[1], message: `marker ${x[2]} in ${file}` }];
      }),
    ),
});

/** Files with `n` findings: 1 critical, then high, medium, low in turn, spread over a few files. */
export function findingFiles(n: number, keys: (i: number) => string = (i) => `k${i}`): Record<string, string> {
  const files: Record<string, string> = {};
  const sevs = ['high', 'medium', 'low'];
  for (let i = 0; i < n; i++) {
    const file = `src/part${i % 5}.txt`;
    const sev = i === 0 ? 'critical' : sevs[i % 3];
    files[file] = (files[file] ?? '') + `FINDING ${sev} ${keys(i)}\n`;
  }
  return files;
}

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** Every request nock answered, in order, with its parsed body. */
export class CallLog {
  readonly calls: Call[] = [];
  readonly unmatched: string[] = [];

  constructor() {
    nock.emitter.on('no match', (req: { method?: string; path?: string; href?: string; hostname?: string; host?: string }) => {
      // Requests to the test's own webhook server on loopback pass through; they are not API calls.
      const host = req.hostname ?? req.host ?? '';
      if (host.startsWith('127.0.0.1') || (req.href ?? '').startsWith('http://127.0.0.1')) return;
      this.unmatched.push(`${req.method} ${req.path ?? req.href}`);
    });
  }

  watch(scope: nock.Scope): nock.Scope {
    scope.on('request', (req: { method: string; path: string }, _i: unknown, body: string) => {
      let parsed: unknown = body;
      try {
        parsed = body ? JSON.parse(body) : undefined;
      } catch {
        // not JSON
      }
      this.calls.push({ method: req.method, path: req.path, body: parsed });
    });
    return scope;
  }

  /** `METHOD /path` lines without the query string, for exact sequence assertions. */
  lines(): string[] {
    return this.calls.map((c) => `${c.method} ${c.path.split('?')[0]}`);
  }

  find(method: string, pathPart: string | RegExp): Call[] {
    return this.calls.filter((c) => c.method === method && (typeof pathPart === 'string' ? c.path.includes(pathPart) : pathPart.test(c.path)));
  }
}

/** One repository's commits, answered by the git data shared with the bench's HTTP fake. */
export class FakeRepo {
  private readonly git = new FakeGitData();
  private readonly tarballs = new Map<string, Buffer>();

  constructor(
    readonly owner = OWNER,
    readonly repo = REPO,
  ) {}

  /** Adds a commit; `executable` and `symlinks` set the tree modes. Returns the SHA. */
  commit(sha: string, files: Record<string, string | Buffer>, opts: FileModes = {}): string {
    this.git.put(this.owner, this.repo, sha, fakeFiles(files, opts));
    this.tarballs.delete(sha);
    return sha;
  }

  files(sha: string): FakeFiles {
    const c = this.git.files(this.owner, this.repo, sha);
    if (!c) throw new Error(`no fake commit ${sha}`);
    return c;
  }

  /** The recursive tree answer, with directory entries like GitHub's. */
  tree(sha: string): TreeAnswer {
    this.files(sha);
    return this.git.tree(this.owner, this.repo, sha)!;
  }

  /** Answers the GraphQL blob query from the commits it names. */
  graphqlAnswer(body: { query: string; variables: Record<string, string> }): unknown {
    return this.git.blobQuery({ ...body.variables, owner: this.owner, name: this.repo });
  }

  /** A `git archive`-shaped tar.gz of a commit (symlinks left out); built once. */
  tarball(sha: string): Buffer {
    this.files(sha);
    let tgz = this.tarballs.get(sha);
    if (!tgz) this.tarballs.set(sha, (tgz = this.git.tarball(this.owner, this.repo, sha)!));
    return tgz;
  }
}

/** Ends a test's nock state whatever happened, then reports unmatched and unused mocks. */
export function finishNock(log: CallLog): { unmatched: string[]; pending: string[] } {
  const result = { unmatched: [...log.unmatched], pending: nock.pendingMocks() };
  nock.cleanAll();
  nock.emitter.removeAllListeners('no match');
  return result;
}

/** One nock scope for the API host with the call log attached. */
export function api(log: CallLog, base = API): nock.Scope {
  return log.watch(nock(base));
}

export function mockTree(scope: nock.Scope, fake: FakeRepo, sha: string): nock.Scope {
  return scope.get(`/repos/${fake.owner}/${fake.repo}/git/trees/${sha}`).query({ recursive: '1' }).reply(200, fake.tree(sha));
}

export function mockGraphql(scope: nock.Scope, fake: FakeRepo, path = '/graphql'): nock.Scope {
  return scope.post(path).reply(200, (_uri, body) => fake.graphqlAnswer(body as { query: string; variables: Record<string, string> }));
}

let key: string | undefined;
/** An RSA key for app authentication (generated once per test file). */
export function privateKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return key;
}

export function mockToken(scope: nock.Scope, opts: { installation?: number; delayMs?: number } = {}): nock.Scope {
  return scope
    .post(`/app/installations/${opts.installation ?? INSTALLATION}/access_tokens`)
    .delay(opts.delayMs ?? 0)
    .reply(201, {
    token: 'ghs_test',
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: { checks: 'write', contents: 'read', pull_requests: 'write', issues: 'write', metadata: 'read' },
    repository_selection: 'all',
  });
}

export const TEST_SECRET = 'test-webhook-secret';
export const FIXED_NOW = new Date('2026-01-18T12:00:00Z');

/** Probot as production runs it (app auth, tuned Octokit), with waits shrunk to milliseconds. */
export function makeApp(
  opts: ReadinessOptions & { tuning?: OctokitTuning; baseUrl?: string; Octokit?: typeof ProbotOctokit } = {},
): { probot: Probot; runtime: ReadinessRuntime } {
  const probot = new Probot({
    appId: 123,
    privateKey: privateKey(),
    secret: TEST_SECRET,
    baseUrl: opts.baseUrl,
    Octokit: opts.Octokit ?? createReadinessOctokit({ retryAfterBaseMs: 1, ...opts.tuning }),
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  const runtime = setupReadiness(probot, { checks: [MARKER_CHECK], now: () => FIXED_NOW, configTtlMs: 0, ...opts });
  return { probot, runtime };
}

/** A webhook fixture from test/fixtures/github, parsed. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/github/${name}.json`, import.meta.url), 'utf8')) as T;
}
