import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FakeGitData, fakeFiles } from './fake-github-core.js';

/**
 * A fake GitHub API on 127.0.0.1 for the benchmark and the scale tests: it serves directories
 * (or file maps) as repositories (recursive trees, blobs, the GraphQL blob query, contents,
 * tarballs: the git data of ./fake-github-core.ts, which the nock helpers of the app tests
 * share) and keeps check runs, comments and reactions in memory, answering every request
 * after a set latency. It counts requests and content bytes so a run can be measured.
 * Routes accept the GHE `/api/v3` prefix, which is how the app is pointed here
 * (GHE_HOST=127.0.0.1:<port>, GHE_PROTOCOL=http).
 */

export type { FakeFile } from './fake-github-core.js';

export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  headSha: string;
  status: string;
  conclusion?: string;
  title?: string;
  summary?: string;
  externalId?: string;
  createdAt: number;
  completedAt?: number;
  /** PATCH calls received (annotation batches and the completing one). */
  updates: number;
}

export interface RequestRecord {
  method: string;
  /** Path without /api/v3 and query. */
  path: string;
  status: number;
  at: number;
  installation?: number;
}

export interface FakeGitHubOptions {
  /** Milliseconds before each answer (default 50, GitHub's typical latency). */
  latencyMs?: number;
  /** Extra delay or a forced status for matching requests (tests). */
  intercept?: (method: string, path: string) => { delayMs?: number; status?: number } | undefined;
}

/** Reads a directory into a file map (paths with `/`). */
export function readDirFiles(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && statSync(full).size < 50 * 1024 * 1024) out.set(path.relative(root, full).split(path.sep).join('/'), readFileSync(full));
    }
  };
  walk(root);
  return out;
}

export class FakeGitHub {
  private server: Server | undefined;
  readonly requests: RequestRecord[] = [];
  readonly runs = new Map<number, FakeCheckRun>();
  readonly comments = new Map<number, { id: number; issue: string; body: string }>();
  readonly reactions: { commentId: number; content: string }[] = [];
  /** Bytes of file content served (blob text, base64-decoded contents, tarball). */
  contentBytes = 0;
  /** File contents served (GraphQL entries, REST blobs and contents, tarball members). */
  blobsServed = 0;
  latencyMs: number;
  /** Requests received and not yet answered. */
  inflight = 0;
  private readonly git = new FakeGitData();
  private readonly trees = new Map<string, string>();
  private readonly pulls = new Map<string, { number: number; head: string; base: string; baseRef: string }>();
  private nextRunId = 1000;
  private nextCommentId = 5000;
  private runWaiters: (() => void)[] = [];

  constructor(private readonly o: FakeGitHubOptions = {}) {
    this.latencyMs = o.latencyMs ?? 50;
  }

  /** Adds a commit of owner/repo with these files; returns its SHA (derived from content unless given). */
  addCommit(owner: string, repo: string, files: Map<string, Buffer> | Record<string, string | Buffer>, sha?: string): string {
    const m = fakeFiles(files);
    const key = `${owner}/${repo}`.toLowerCase();
    // Derived from the repository too: identical trees in two repositories are two commits.
    const id = sha ?? createHash('sha1').update(key).update([...m].map(([p, f]) => `${p}\0${f.sha}`).sort().join('\n')).digest('hex');
    this.git.put(owner, repo, id, m);
    this.trees.delete(`${key}@${id}`);
    return id;
  }

  /** Registers a PR so `GET /pulls/{n}` answers (slash commands, fork re-runs). */
  addPull(owner: string, repo: string, number: number, head: string, base: string, baseRef = 'main'): void {
    this.pulls.set(`${owner}/${repo}#${number}`.toLowerCase(), { number, head, base, baseRef });
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    return this.url;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = undefined;
  }

  /** Requests since index `from` (take `requests.length` before an action). */
  since(from: number): RequestRecord[] {
    return this.requests.slice(from);
  }

  /** Resolves when `pred` holds for the runs (checked on every run change), or rejects after `timeoutMs`. */
  waitForRuns(pred: (runs: FakeCheckRun[]) => boolean, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pred([...this.runs.values()])) {
          clearTimeout(t);
          this.runWaiters = this.runWaiters.filter((w) => w !== check);
          resolve();
        }
      };
      const t = setTimeout(() => {
        this.runWaiters = this.runWaiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for check runs: ${JSON.stringify([...this.runs.values()].map((r) => [r.id, r.headSha.slice(0, 7), r.status, r.conclusion]))}`));
      }, timeoutMs);
      this.runWaiters.push(check);
      check();
    });
  }

  private runsChanged(): void {
    for (const w of [...this.runWaiters]) w();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inflight++;
    try {
      await this.answer(req, res);
    } finally {
      this.inflight--;
    }
  }

  /** Resolves once no request has been in flight for `quietMs` (a scan's trailing calls are done). */
  async settle(quietMs = 120, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let quietSince = Date.now();
    let seen = this.requests.length;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
      if (this.inflight > 0 || this.requests.length !== seen) {
        quietSince = Date.now();
        seen = this.requests.length;
      } else if (Date.now() - quietSince >= quietMs) return;
    }
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname.replace(/^\/api\/v3(?=\/)/, '').replace(/^\/api(?=\/graphql)/, '');
    const method = req.method ?? 'GET';
    const extra = this.o.intercept?.(method, p);
    const delay = this.latencyMs + (extra?.delayMs ?? 0);
    // Unref'd: a request still waiting must not keep a finished test or benchmark alive.
    if (delay > 0) await new Promise((r) => setTimeout(r, delay).unref());
    let status = 500;
    const send = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      status = code;
      const buf = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
      res.writeHead(code, { 'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json; charset=utf-8', 'content-length': String(buf.length), ...headers });
      res.end(buf);
    };
    try {
      if (extra?.status) send(extra.status, { message: `fake ${extra.status}` });
      else this.route(method, p, url, raw, req, send);
    } catch (err) {
      send(500, { message: (err as Error).message });
    }
    this.requests.push({ method, path: p, status, at: Date.now() });
  }

  private route(method: string, p: string, url: URL, raw: string, req: IncomingMessage, send: (code: number, body: unknown, headers?: Record<string, string>) => void): void {
    const body = (): Record<string, unknown> => (raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(p))) {
      return send(201, { token: `ghs_fake${m[1]}`, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: 'all' });
    }
    if (method === 'POST' && p === '/graphql') {
      return send(
        200,
        this.git.blobQuery((body() as { variables?: Record<string, string> }).variables ?? {}, (f, binary) => {
          if (!binary) this.contentBytes += f.content.length;
          this.blobsServed++;
        }),
      );
    }
    if (!(m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(p))) return send(404, { message: 'Not Found' });
    const owner = decodeURIComponent(m[1]!);
    const repo = decodeURIComponent(m[2]!);
    const rest = m[3] ?? '';
    const key = `${owner}/${repo}`.toLowerCase();

    if (method === 'GET' && (m = /^\/git\/trees\/([^/]+)$/.exec(rest))) {
      const sha = decodeURIComponent(m[1]!);
      let tree = this.trees.get(`${key}@${sha}`);
      if (!tree) {
        const answer = this.git.tree(owner, repo, sha);
        if (!answer) return send(404, { message: 'Not Found' });
        this.trees.set(`${key}@${sha}`, (tree = JSON.stringify(answer)));
      }
      return send(200, tree);
    }
    if (method === 'GET' && (m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest))) {
      const f = this.git.blob(owner, repo, m[1]!);
      if (!f) return send(404, { message: 'Not Found' });
      this.contentBytes += f.content.length;
      this.blobsServed++;
      return send(200, { sha: f.sha, size: f.content.length, encoding: 'base64', content: f.content.toString('base64') });
    }
    if (method === 'GET' && (m = /^\/contents\/(.+)$/.exec(rest))) {
      const file = decodeURIComponent(m[1]!);
      const ref = url.searchParams.get('ref');
      const commit = ref ? this.git.files(owner, repo, ref) : undefined;
      const f = commit?.get(file);
      if (!f) return send(404, { message: 'Not Found' });
      this.contentBytes += f.content.length;
      this.blobsServed++;
      if ((req.headers.accept ?? '').includes('raw')) return send(200, f.content.toString('utf8'), { 'content-type': 'application/vnd.github.raw' });
      return send(200, { type: 'file', path: file, sha: f.sha, size: f.content.length, encoding: 'base64', content: f.content.toString('base64') });
    }
    if (method === 'GET' && (m = /^\/tarball\/(.+)$/.exec(rest))) {
      const sha = decodeURIComponent(m[1]!);
      const files = this.git.files(owner, repo, sha);
      const tgz = this.git.tarball(owner, repo, sha);
      if (!files || !tgz) return send(404, { message: 'Not Found' });
      for (const f of files.values()) this.contentBytes += f.content.length;
      this.blobsServed += files.size;
      return send(200, tgz, { 'content-type': 'application/x-gzip' });
    }
    if (method === 'POST' && rest === '/check-runs') {
      const b = body();
      const id = this.nextRunId++;
      const out = b.output as { title?: string; summary?: string } | undefined;
      this.runs.set(id, {
        id,
        owner,
        repo,
        headSha: String(b.head_sha),
        status: String(b.status ?? 'queued'),
        conclusion: b.conclusion as string | undefined,
        title: out?.title,
        summary: out?.summary,
        externalId: b.external_id as string | undefined,
        createdAt: Date.now(),
        ...(b.status === 'completed' ? { completedAt: Date.now() } : {}),
        updates: 0,
      });
      this.runsChanged();
      return send(201, { id, html_url: `https://github.com/${owner}/${repo}/runs/${id}` });
    }
    if (method === 'GET' && (m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest))) {
      const sha = decodeURIComponent(m[1]!);
      const status = url.searchParams.get('status');
      const list = [...this.runs.values()].filter((r) => r.owner === owner && r.repo === repo && r.headSha === sha && (!status || r.status === status));
      return send(200, { total_count: list.length, check_runs: list.map((r) => ({ id: r.id, head_sha: r.headSha, status: r.status, conclusion: r.conclusion ?? null, name: 'Deployment readiness' })) });
    }
    if (method === 'PATCH' && (m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.runs.get(Number(m[1]));
      if (!run) return send(404, { message: 'Not Found' });
      const b = body();
      run.updates++;
      if (b.status) run.status = String(b.status);
      if (b.conclusion) run.conclusion = String(b.conclusion);
      const out = b.output as { title?: string; summary?: string } | undefined;
      if (out?.title) run.title = out.title;
      if (out?.summary) run.summary = out.summary;
      if (b.status === 'completed') run.completedAt = Date.now();
      this.runsChanged();
      return send(200, { id: run.id });
    }
    if (method === 'GET' && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      return send(200, [...this.comments.values()].filter((c) => c.issue === `${key}#${m![1]}`).map((c) => ({ id: c.id, body: c.body, user: { login: 'readiness[bot]', type: 'Bot' } })));
    }
    if (method === 'POST' && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const id = this.nextCommentId++;
      this.comments.set(id, { id, issue: `${key}#${m[1]}`, body: String(body().body) });
      return send(201, { id });
    }
    if ((m = /^\/issues\/comments\/(\d+)(\/reactions)?$/.exec(rest))) {
      const id = Number(m[1]);
      if (method === 'POST' && m[2]) {
        this.reactions.push({ commentId: id, content: String(body().content) });
        return send(201, { id: this.reactions.length });
      }
      const c = this.comments.get(id);
      if (!c) return send(404, { message: 'Not Found' });
      if (method === 'PATCH') {
        c.body = String(body().body);
        return send(200, { id });
      }
      if (method === 'DELETE') {
        this.comments.delete(id);
        return send(204, '');
      }
    }
    if (method === 'GET' && (m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest))) {
      return send(200, { permission: 'write', role_name: 'write', user: { login: m[1] } });
    }
    if (method === 'GET' && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const pr = this.pulls.get(`${key}#${m[1]}`);
      if (!pr) return send(404, { message: 'Not Found' });
      return send(200, { number: pr.number, state: 'open', head: { sha: pr.head }, base: { sha: pr.base, ref: pr.baseRef } });
    }
    if (method === 'GET' && /^\/commits\/[^/]+\/pulls$/.test(rest)) return send(200, []);
    return send(404, { message: 'Not Found' });
  }
}
