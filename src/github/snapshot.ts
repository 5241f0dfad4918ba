import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Octokit } from '@octokit/core';
import { MAX_LISTED_FILES } from '../engine/local-snapshot.js';
import { DEFAULT_MAX_FILE_BYTES, VENDORED_DIRS, type ReadResult, type Snapshot, type SnapshotEntry } from '../engine/snapshot.js';
import type { Skip } from '../engine/types.js';
import { BlobCache, LruMap, type CachedBlob } from './blob-cache.js';
import { readTar } from './tar.js';

/** The two calls the snapshot needs; satisfied by Probot's octokit and by @octokit/rest. */
export type GitHubClient = Pick<Octokit, 'request' | 'graphql'>;

/**
 * Blob fetch batching. GraphQL: up to GRAPHQL_MAX_ALIASES `object(expression:)` lookups per
 * query and about GRAPHQL_MAX_BYTES of expected text (sizes come from the tree), so one query
 * stays well inside GitHub's 10 s GraphQL timeout. Most PR scans read 50-200 files: one query.
 */
export const GRAPHQL_MAX_ALIASES = 200;
export const GRAPHQL_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The tarball wins when the GraphQL route would take several sequential queries: it is two
 * round trips (redirect, download) whatever the count, at the price of downloading every file
 * of the commit. Chosen by measurement (see test/github/fetch-strategy.test.ts): with 50 ms per
 * request, GraphQL costs about one round trip per 200 blobs and the tarball about two round
 * trips plus transfer, so the tarball pays off from the fourth GraphQL page on, as long as the
 * archive is not mostly files we do not need.
 */
export const TARBALL_MIN_MISSING_BLOBS = 3 * GRAPHQL_MAX_ALIASES + 1;
/** Skip the tarball when the commit's files add up to more than this many times what we need. */
export const TARBALL_MAX_OVERFETCH = 20;
/** Never stream more than this (uncompressed); past it the remaining blobs go through GraphQL. */
export const TARBALL_MAX_BYTES = 512 * 1024 * 1024;

/** REST blob fallback (truncated GraphQL text, tarball misses): this many at once. */
const REST_CONCURRENCY = 4;
/** Subtree walks when a recursive tree answer comes back truncated: this many at once. */
const TREE_CONCURRENCY = 4;

const SHA_RE = /^[0-9a-f]{40}$/;

/** Counters for one scan (or one job): what reading the repository cost. */
export interface FetchStats {
  requests: number;
  treeRequests: number;
  graphqlRequests: number;
  restBlobRequests: number;
  tarballRequests: number;
  /** Bytes of file content received (not counting JSON framing). */
  bytesFetched: number;
  blobsFromCache: number;
  blobsFetched: number;
  strategy: 'none' | 'graphql' | 'rest' | 'tarball' | 'tarball+graphql';
}

export function emptyStats(): FetchStats {
  return {
    requests: 0,
    treeRequests: 0,
    graphqlRequests: 0,
    restBlobRequests: 0,
    tarballRequests: 0,
    bytesFetched: 0,
    blobsFromCache: 0,
    blobsFetched: 0,
    strategy: 'none',
  };
}

/** A regular file in a commit's tree. */
export interface TreeFile {
  path: string;
  sha: string;
  size: number;
  executable: boolean;
}

export interface TreeListing {
  files: TreeFile[];
  skipped: Skip[];
  /** Sum of all blob sizes in the commit (vendored included): what a tarball would carry. */
  totalBytes: number;
}

/** Caches shared by every scan in the process (or one CLI run). */
export interface GitHubReadCache {
  blobs: BlobCache;
  /** Listings by `owner/repo@commitSha`; a commit's tree never changes. */
  trees: LruMap<string, TreeListing>;
}

/**
 * Tree listings kept: at most this many commits, and at most this many listed files in all (the
 * largest listing, MAX_LISTED_FILES, still fits). A listing costs about 170 bytes of heap per file
 * (path, blob SHA, entry object), so 32 listings of a 100,000-file monorepo would hold over half
 * a gigabyte; the file bound keeps the cache near 40 MB.
 */
export const TREE_CACHE_MAX_LISTINGS = 32;
export const TREE_CACHE_MAX_FILES = 250_000;

export function createReadCache(maxBlobBytes?: number, maxTreeFiles: number = TREE_CACHE_MAX_FILES): GitHubReadCache {
  return { blobs: new BlobCache(maxBlobBytes), trees: new LruMap(TREE_CACHE_MAX_LISTINGS, maxTreeFiles) };
}

interface RawTreeEntry {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}

interface RawTree {
  sha: string;
  tree: RawTreeEntry[];
  truncated: boolean;
}

/**
 * Lists the files of a commit with one recursive tree call. GitHub truncates recursive answers
 * past 100,000 entries or 7 MB; then the walk lists the root and fetches each subtree on its own
 * (recursively again, splitting further only where a subtree is itself too big). Vendored folders
 * are never walked. Executable bit from mode 100755; symlinks (120000) and submodules (160000)
 * are reported as skipped, never followed.
 */
export async function listCommitTree(client: GitHubClient, owner: string, repo: string, sha: string, stats: FetchStats): Promise<TreeListing> {
  const files: TreeFile[] = [];
  const skipped: Skip[] = [];
  let totalBytes = 0;
  let capped = false;

  const getTree = async (treeSha: string, recursive: boolean): Promise<RawTree> => {
    stats.requests++;
    stats.treeRequests++;
    const res = await client.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner,
      repo,
      tree_sha: treeSha,
      ...(recursive ? { recursive: '1' } : {}),
    });
    return res.data as RawTree;
  };

  /** Adds entries of a tree answer whose paths are relative to `prefix`; returns subtrees to walk. */
  const take = (prefix: string, entries: RawTreeEntry[], venvDirs: Set<string>): { path: string; sha: string }[] => {
    const subtrees: { path: string; sha: string }[] = [];
    const vendoredSeen = new Set<string>();
    for (const e of entries) {
      if (!e.path || !e.sha) continue;
      const full = prefix ? `${prefix}/${e.path}` : e.path;
      const parts = full.split('/');
      const vi = parts.findIndex((p, i) => (i < parts.length - 1 || e.type === 'tree') && VENDORED_DIRS.has(p));
      if (vi >= 0) {
        const dir = parts.slice(0, vi + 1).join('/');
        if (!vendoredSeen.has(dir) && parts[vi] !== '.git') skipped.push({ path: dir, reason: 'vendored' });
        vendoredSeen.add(dir);
        if (e.type === 'blob') totalBytes += e.size ?? 0;
        continue;
      }
      const venv = [...venvDirs].find((d) => full === d || full.startsWith(`${d}/`));
      if (venv) {
        if (e.type === 'blob') totalBytes += e.size ?? 0;
        continue;
      }
      if (e.type === 'tree') {
        subtrees.push({ path: full, sha: e.sha });
      } else if (e.type === 'commit') {
        skipped.push({ path: full, reason: 'unreadable', detail: 'git submodule' });
      } else if (e.type === 'blob') {
        totalBytes += e.size ?? 0;
        if (e.mode === '120000') {
          skipped.push({ path: full, reason: 'symlink' });
        } else if (files.length >= MAX_LISTED_FILES) {
          if (!capped) skipped.push({ path: full, reason: 'too-large', detail: `listing stopped at ${MAX_LISTED_FILES} files` });
          capped = true;
        } else {
          files.push({ path: full, sha: e.sha, size: e.size ?? 0, executable: e.mode === '100755' });
        }
      }
    }
    return subtrees;
  };

  /** Folders holding a `pyvenv.cfg` are virtual environments, whatever their name. */
  const venvDirsOf = (prefix: string, entries: RawTreeEntry[]): Set<string> => {
    const dirs = new Set<string>();
    for (const e of entries) {
      if (e.type !== 'blob' || !e.path) continue;
      const full = prefix ? `${prefix}/${e.path}` : e.path;
      if (full.endsWith('/pyvenv.cfg')) dirs.add(full.slice(0, -'/pyvenv.cfg'.length));
    }
    for (const d of dirs) skipped.push({ path: d, reason: 'vendored', detail: 'Python virtual environment' });
    return dirs;
  };

  const root = await getTree(sha, true);
  if (!root.truncated) {
    take('', root.tree, venvDirsOf('', root.tree));
    return { files: sortByPath(files), skipped, totalBytes };
  }

  // Truncated: walk level by level. Each subtree is asked for recursively; only a subtree that is
  // itself truncated is split further.
  const top = await getTree(sha, false);
  let pending = take('', top.tree, new Set());
  while (pending.length && !capped) {
    const next: { path: string; sha: string }[] = [];
    for (let i = 0; i < pending.length; i += TREE_CONCURRENCY) {
      const slice = pending.slice(i, i + TREE_CONCURRENCY);
      const answers = await Promise.all(slice.map((t) => getTree(t.sha, true)));
      for (const [k, t] of slice.entries()) {
        const a = answers[k]!;
        if (!a.truncated) {
          take(t.path, a.tree, venvDirsOf(t.path, a.tree));
        } else {
          const flat = await getTree(t.sha, false);
          next.push(...take(t.path, flat.tree, venvDirsOf(t.path, flat.tree)));
        }
      }
    }
    pending = next;
  }
  return { files: sortByPath(files), skipped, totalBytes };
}

function sortByPath(files: TreeFile[]): TreeFile[] {
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One blob to get: where it is (commit and path, for GraphQL and the tarball) and what it is. */
export interface BlobRequest {
  commit: string;
  path: string;
  sha: string;
  size: number;
}

/** What fetching one blob came to. */
export type BlobOutcome = { blob: CachedBlob } | { error: string };

export interface BlobFetcherOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  cache: GitHubReadCache;
  stats: FetchStats;
  /** Force a strategy (benchmarks, tests); default chooses per batch. */
  strategy?: 'auto' | 'graphql' | 'tarball';
  /**
   * False for anonymous clients: GitHub's GraphQL API requires a token, so blobs come from the
   * tarball (public repositories) or one REST call each.
   */
  graphql?: boolean;
  /** Missing blobs from which the tarball is preferred (default TARBALL_MIN_MISSING_BLOBS). */
  tarballMinBlobs?: number;
}

/**
 * Fetches blobs for every snapshot of one repository in a job, content-addressed: identical
 * blobs in head and base commits are fetched once, cached blobs never. Reads that arrive in the
 * same turn of the event loop (a PR's head and base scans) are merged into one batch, so both
 * commits share one GraphQL query.
 */
export class BlobFetcher {
  private queue: { reqs: BlobRequest[]; totalBytes: Map<string, number>; resolve: (m: Map<string, BlobOutcome>) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly o: BlobFetcherOptions) {}

  /** Resolves with an outcome per requested blob SHA. `commitBytes` is the commit's total size. */
  load(reqs: BlobRequest[], commitBytes: number): Promise<Map<string, BlobOutcome>> {
    return new Promise((resolve, reject) => {
      const totalBytes = new Map<string, number>();
      for (const r of reqs) totalBytes.set(r.commit, commitBytes);
      this.queue.push({ reqs, totalBytes, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          const batch = this.queue;
          this.queue = [];
          this.run(batch.flatMap((b) => b.reqs), new Map(batch.flatMap((b) => [...b.totalBytes])))
            .then((out) => batch.forEach((b) => b.resolve(out)))
            .catch((err: unknown) => batch.forEach((b) => b.reject(err)));
        });
      }
    });
  }

  private async run(reqs: BlobRequest[], commitBytes: Map<string, number>): Promise<Map<string, BlobOutcome>> {
    const { cache, stats } = this.o;
    const out = new Map<string, BlobOutcome>();
    // One request per distinct blob SHA; the first path seen names it.
    const missing = new Map<string, BlobRequest>();
    for (const r of reqs) {
      if (out.has(r.sha) || missing.has(r.sha)) continue;
      const hit = cache.blobs.get(r.sha);
      if (hit !== undefined) {
        out.set(r.sha, { blob: hit });
        stats.blobsFromCache++;
      } else missing.set(r.sha, r);
    }
    if (!missing.size) return out;

    let todo = [...missing.values()];
    const strategy = this.o.strategy ?? 'auto';
    const tarCommit =
      strategy === 'graphql' ? undefined : pickTarballCommit(todo, commitBytes, strategy === 'tarball', this.o.tarballMinBlobs ?? TARBALL_MIN_MISSING_BLOBS);
    if (tarCommit) {
      stats.strategy = 'tarball';
      const got = await this.fromTarball(tarCommit, todo);
      for (const [sha, buf] of got) out.set(sha, { blob: buf });
      todo = todo.filter((r) => !got.has(r.sha));
      if (todo.length) stats.strategy = 'tarball+graphql';
    } else stats.strategy = this.o.graphql === false ? 'rest' : 'graphql';

    if (todo.length) {
      const fallback: BlobRequest[] = this.o.graphql === false ? todo : [];
      for (const batch of this.o.graphql === false ? [] : graphqlBatches(todo)) {
        const got = await this.fromGraphql(batch);
        for (const r of batch) {
          const g = got.get(r.sha);
          if (g === 'retry-rest') fallback.push(r);
          else if (g === undefined) out.set(r.sha, { error: 'not found at this commit' });
          else out.set(r.sha, { blob: g });
        }
      }
      for (let i = 0; i < fallback.length; i += REST_CONCURRENCY) {
        const slice = fallback.slice(i, i + REST_CONCURRENCY);
        const bufs = await Promise.all(slice.map((r) => this.fromRest(r)));
        slice.forEach((r, k) => out.set(r.sha, bufs[k]!));
      }
    }
    for (const [sha, o] of out) if ('blob' in o && missing.has(sha)) cache.blobs.set(sha, o.blob);
    return out;
  }

  private async fromGraphql(batch: BlobRequest[]): Promise<Map<string, CachedBlob | 'retry-rest'>> {
    const { client, owner, repo, stats } = this.o;
    const vars: Record<string, string> = { owner, name: repo };
    const decls = ['$owner: String!', '$name: String!'];
    const fields: string[] = [];
    batch.forEach((r, i) => {
      vars[`e${i}`] = `${r.commit}:${r.path}`;
      decls.push(`$e${i}: String!`);
      fields.push(`f${i}: object(expression: $e${i}) { ... on Blob { text isBinary isTruncated byteSize } }`);
    });
    const query = `query readinessBlobs(${decls.join(', ')}) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`;
    stats.requests++;
    stats.graphqlRequests++;
    type BlobNode = { text: string | null; isBinary: boolean | null; isTruncated: boolean; byteSize: number } | null;
    const data = await client.graphql<{ repository: Record<string, BlobNode> | null }>(query, vars);
    const out = new Map<string, CachedBlob | 'retry-rest'>();
    batch.forEach((r, i) => {
      const node = data.repository?.[`f${i}`];
      if (!node) return;
      if (node.isBinary) out.set(r.sha, 'binary');
      else if (node.text === null || node.isTruncated) out.set(r.sha, 'retry-rest');
      else {
        const buf = Buffer.from(node.text, 'utf8');
        // GraphQL hands back decoded text; if re-encoding does not give the blob's size, the
        // file is not valid UTF-8 and the exact bytes must come from REST.
        if (buf.length !== node.byteSize) out.set(r.sha, 'retry-rest');
        else {
          out.set(r.sha, buf);
          stats.blobsFetched++;
          stats.bytesFetched += buf.length;
        }
      }
    });
    return out;
  }

  private async fromRest(r: BlobRequest): Promise<BlobOutcome> {
    const { client, owner, repo, stats } = this.o;
    stats.requests++;
    stats.restBlobRequests++;
    try {
      const res = await client.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner, repo, file_sha: r.sha });
      const data = res.data as { content?: string; encoding?: string };
      const buf = Buffer.from(data.content ?? '', data.encoding === 'base64' ? 'base64' : 'utf8');
      stats.blobsFetched++;
      stats.bytesFetched += buf.length;
      return { blob: buf };
    } catch (err) {
      return { error: `blob fetch failed: ${(err as { status?: number }).status ?? (err as Error).message}` };
    }
  }

  /**
   * Streams the commit's tarball through gunzip and a tar reader, keeping only requested paths
   * whose content hashes to the requested blob SHA (`git archive` applies export-subst and
   * export-ignore, so a file can differ from its blob or be missing: those go to GraphQL).
   */
  private async fromTarball(commit: string, reqs: BlobRequest[]): Promise<Map<string, Buffer>> {
    const { client, owner, repo, stats } = this.o;
    const byPath = new Map<string, BlobRequest>();
    for (const r of reqs) if (r.commit === commit) byPath.set(r.path, r);
    const wantedShas = new Set(reqs.map((r) => r.sha));
    const got = new Map<string, Buffer>();
    stats.requests++;
    stats.tarballRequests++;
    let body: ReadableStream<Uint8Array> | undefined;
    try {
      const res = await client.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
        owner,
        repo,
        ref: commit,
        request: { parseSuccessResponseBody: false },
      });
      body = res.data as unknown as ReadableStream<Uint8Array>;
      const gunzip = createGunzip();
      const source = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
      source.on('error', (e) => gunzip.destroy(e));
      source.pipe(gunzip);
      let remaining = byPath.size;
      try {
        await readTar(gunzip, {
          maxTotalBytes: TARBALL_MAX_BYTES,
          want: (p, size) => byPath.has(p) && size === byPath.get(p)!.size,
          onFile: (p, data) => {
            const r = byPath.get(p)!;
            if (gitBlobSha(data) === r.sha && wantedShas.has(r.sha)) {
              got.set(r.sha, data);
              stats.blobsFetched++;
            }
            return --remaining === 0;
          },
        });
      } finally {
        source.unpipe(gunzip);
        source.destroy();
        gunzip.destroy();
        stats.bytesFetched += gunzip.bytesWritten;
      }
    } catch {
      // A failed download is not a failed scan: whatever is missing goes through GraphQL.
    }
    return got;
  }
}

/**
 * Chooses the commit whose tarball to download, or none: only when its missing blobs would take
 * more than three GraphQL pages and the archive is not mostly unneeded bytes.
 */
function pickTarballCommit(todo: BlobRequest[], commitBytes: Map<string, number>, force: boolean, minBlobs: number): string | undefined {
  const byCommit = new Map<string, { n: number; bytes: number }>();
  for (const r of todo) {
    const c = byCommit.get(r.commit) ?? { n: 0, bytes: 0 };
    c.n++;
    c.bytes += r.size;
    byCommit.set(r.commit, c);
  }
  let best: [string, { n: number; bytes: number }] | undefined;
  for (const e of byCommit) if (!best || e[1].n > best[1].n) best = e;
  if (!best) return undefined;
  if (force) return best[0];
  const total = commitBytes.get(best[0]) ?? Number.POSITIVE_INFINITY;
  if (best[1].n < minBlobs) return undefined;
  if (total > TARBALL_MAX_BYTES || total > TARBALL_MAX_OVERFETCH * Math.max(best[1].bytes, 1)) return undefined;
  return best[0];
}

/** Splits requests into GraphQL queries bounded by alias count and expected bytes. */
function graphqlBatches(reqs: BlobRequest[]): BlobRequest[][] {
  const out: BlobRequest[][] = [];
  let cur: BlobRequest[] = [];
  let bytes = 0;
  for (const r of reqs) {
    if (cur.length && (cur.length >= GRAPHQL_MAX_ALIASES || bytes + r.size > GRAPHQL_MAX_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(r);
    bytes += r.size;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The git object id of a blob with this content: sha1("blob <len>\0" + content). */
export function gitBlobSha(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

export interface GitHubSnapshotOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  /** A commit SHA (or, for the CLI, a ref name; listings are cached only for SHAs). */
  commit: string;
  cache?: GitHubReadCache;
  /** Shared by the snapshots of one job so their reads coalesce; made per snapshot otherwise. */
  fetcher?: BlobFetcher;
  stats?: FetchStats;
  maxFileBytes?: number;
  strategy?: BlobFetcherOptions['strategy'];
  graphql?: boolean;
  tarballMinBlobs?: number;
}

/**
 * A commit read through the GitHub API, no clone: one tree call lists it, then only the files
 * the checks select are fetched (see BlobFetcher). Fork PRs are read through the base repository,
 * which holds the PR's head commits.
 */
export class GitHubSnapshot implements Snapshot {
  readonly label: string;
  readonly stats: FetchStats;
  private readonly o: GitHubSnapshotOptions;
  private readonly cache: GitHubReadCache;
  private readonly fetcher: BlobFetcher;
  private readonly maxBytes: number;
  private listing: Promise<TreeListing> | undefined;

  constructor(o: GitHubSnapshotOptions) {
    this.o = o;
    this.label = `${o.owner}/${o.repo}@${SHA_RE.test(o.commit) ? o.commit.slice(0, 7) : o.commit}`;
    this.cache = o.cache ?? createReadCache();
    this.stats = o.stats ?? emptyStats();
    this.maxBytes = o.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.fetcher =
      o.fetcher ??
      new BlobFetcher({
        client: o.client,
        owner: o.owner,
        repo: o.repo,
        cache: this.cache,
        stats: this.stats,
        strategy: o.strategy,
        graphql: o.graphql,
        tarballMinBlobs: o.tarballMinBlobs,
      });
  }

  /** The commit's files with blob SHAs (memoised; cached across scans by commit SHA). */
  tree(): Promise<TreeListing> {
    if (!this.listing) {
      const key = `${this.o.owner}/${this.o.repo}@${this.o.commit}`;
      const cached = SHA_RE.test(this.o.commit) ? this.cache.trees.get(key) : undefined;
      this.listing = cached
        ? Promise.resolve(cached)
        : listCommitTree(this.o.client, this.o.owner, this.o.repo, this.o.commit, this.stats).then((l) => {
            if (SHA_RE.test(this.o.commit)) this.cache.trees.set(key, l, l.files.length + l.skipped.length);
            return l;
          });
      // A failure is memoised too (the client already retried 5xx): callers see one error.
      this.listing.catch(() => {});
    }
    return this.listing;
  }

  async list(): Promise<{ entries: SnapshotEntry[]; skipped: Skip[] }> {
    const t = await this.tree();
    return { entries: t.files.map((f) => ({ path: f.path, size: f.size, executable: f.executable })), skipped: [...t.skipped] };
  }

  async read(paths: readonly string[]): Promise<ReadResult> {
    const t = await this.tree();
    const byPath = new Map(t.files.map((f) => [f.path, f]));
    const files = new Map<string, Buffer>();
    const skipped: Skip[] = [];
    const want: TreeFile[] = [];
    for (const p of paths) {
      const f = byPath.get(p);
      if (!f) skipped.push({ path: p, reason: 'unreadable', detail: 'not in the commit' });
      else if (f.size > this.maxBytes) skipped.push({ path: p, reason: 'too-large', detail: `${f.size} bytes > ${this.maxBytes}` });
      else want.push(f);
    }
    const got = await this.fetcher.load(
      want.map((f) => ({ commit: this.o.commit, path: f.path, sha: f.sha, size: f.size })),
      t.totalBytes,
    );
    for (const f of want) {
      const o = got.get(f.sha);
      if (!o) skipped.push({ path: f.path, reason: 'unreadable', detail: 'not fetched' });
      else if ('error' in o) skipped.push({ path: f.path, reason: 'unreadable', detail: o.error });
      else if (o.blob === 'binary') skipped.push({ path: f.path, reason: 'binary' });
      else files.set(f.path, o.blob);
    }
    return { files, skipped };
  }
}
