import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import pino from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { setupReadiness, type ReadinessOptions, type ReadinessRuntime } from '../../src/app.js';
import { defineCheck, type Check } from '../../src/engine/check.js';
import { isSeverity } from '../../src/engine/types.js';
import { createReadinessOctokit, type OctokitTuning } from '../../src/github/octokit.js';
import { gitBlobSha } from '../../src/github/snapshot.js';

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

interface FakeCommitFile {
  content: Buffer;
  sha: string;
  mode: string;
}

/** A repository's commits as GitHub would serve them. */
export class FakeRepo {
  private readonly commits = new Map<string, Map<string, FakeCommitFile>>();

  constructor(
    readonly owner = OWNER,
    readonly repo = REPO,
  ) {}

  /** Adds a commit; `executable` and `symlinks` set the tree modes. Returns the SHA. */
  commit(sha: string, files: Record<string, string | Buffer>, opts: { executable?: string[]; symlinks?: Record<string, string> } = {}): string {
    const m = new Map<string, FakeCommitFile>();
    for (const [p, c] of Object.entries(files)) {
      const content = typeof c === 'string' ? Buffer.from(c) : c;
      m.set(p, { content, sha: gitBlobSha(content), mode: opts.executable?.includes(p) ? '100755' : '100644' });
    }
    for (const [p, target] of Object.entries(opts.symlinks ?? {})) {
      const content = Buffer.from(target);
      m.set(p, { content, sha: gitBlobSha(content), mode: '120000' });
    }
    this.commits.set(sha, m);
    return sha;
  }

  files(sha: string): Map<string, FakeCommitFile> {
    const c = this.commits.get(sha);
    if (!c) throw new Error(`no fake commit ${sha}`);
    return c;
  }

  /** The recursive tree answer, with directory entries like GitHub's. */
  tree(sha: string): { sha: string; tree: unknown[]; truncated: boolean } {
    const entries: unknown[] = [];
    const dirs = new Set<string>();
    for (const [p, f] of [...this.files(sha)].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const parts = p.split('/');
      for (let i = 1; i < parts.length; i++) {
        const d = parts.slice(0, i).join('/');
        if (!dirs.has(d)) {
          dirs.add(d);
          entries.push({ path: d, mode: '040000', type: 'tree', sha: gitBlobSha(Buffer.from(`tree:${sha}:${d}`)) });
        }
      }
      entries.push({ path: p, mode: f.mode, type: 'blob', sha: f.sha, size: f.content.length });
    }
    return { sha: `tree${sha}`.slice(0, 40), tree: entries, truncated: false };
  }

  /** Answers the GraphQL blob query from the commits it names. */
  graphqlAnswer(body: { query: string; variables: Record<string, string> }): unknown {
    const repository: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body.variables)) {
      const m = /^e(\d+)$/.exec(k);
      if (!m) continue;
      const i = v.indexOf(':');
      const f = this.commits.get(v.slice(0, i))?.get(v.slice(i + 1));
      if (!f) {
        repository[`f${m[1]}`] = null;
        continue;
      }
      const binary = f.content.includes(0);
      repository[`f${m[1]}`] = { text: binary ? null : f.content.toString('utf8'), isBinary: binary, isTruncated: false, byteSize: f.content.length };
    }
    return { data: { repository } };
  }

  private readonly tarballs = new Map<string, Buffer>();

  /** A `git archive`-shaped tar.gz of a commit (ustar, pax path for long names); built once. */
  tarball(sha: string): Buffer {
    const cached = this.tarballs.get(sha);
    if (cached) return cached;
    const blocks: Buffer[] = [];
    const prefix = `${this.owner}-${this.repo}-${sha.slice(0, 7)}/`;
    const header = (name: string, size: number, type: string) => {
      const h = Buffer.alloc(512);
      h.write(name.slice(0, 99), 0, 'utf8');
      h.write('0000644\0', 100);
      h.write('0000000\0', 108);
      h.write('0000000\0', 116);
      h.write(size.toString(8).padStart(11, '0') + '\0', 124);
      h.write('00000000000\0', 136);
      h.write('        ', 148);
      h.write(type, 156);
      h.write('ustar\0', 257);
      h.write('00', 263);
      let sum = 0;
      for (const b of h) sum += b;
      h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
      return h;
    };
    const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
    for (const [p, f] of this.files(sha)) {
      if (f.mode === '120000') continue;
      const full = prefix + p;
      if (Buffer.byteLength(full) > 99) {
        const rec = (len: number) => `${len} path=${full}\n`;
        let len = rec(0).length;
        while (rec(len).length !== len) len = rec(len).length;
        const pax = Buffer.from(rec(len));
        blocks.push(header('pax', pax.length, 'x'), pax, pad(pax.length));
      }
      blocks.push(header(full, f.content.length, '0'), f.content, pad(f.content.length));
    }
    blocks.push(Buffer.alloc(1024));
    const tgz = gzipSync(Buffer.concat(blocks));
    this.tarballs.set(sha, tgz);
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
