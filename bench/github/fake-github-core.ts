import { gzipSync } from 'node:zlib';
import { gitBlobSha } from '../../src/github/snapshot.js';

/**
 * The git side of a fake GitHub, in memory: repositories' commits as file maps, answered the way
 * GitHub's API answers them (recursive trees with directory entries, blobs, the GraphQL blob
 * query the snapshot sends, `git archive`-shaped tarballs). One implementation behind both fakes:
 * the HTTP server of the benchmark and scale tests (bench/github/fake-server.ts) and the nock
 * helpers of the app tests (test/github/fake-github.ts).
 */

export interface FakeFile {
  content: Buffer;
  sha: string;
  /** Tree mode: 100644, 100755 (executable) or 120000 (symlink, content = target). */
  mode: string;
}

export type FakeFiles = Map<string, FakeFile>;

export interface FileModes {
  /** Paths given the executable mode. */
  executable?: string[];
  /** Symlinks to add: path → target. */
  symlinks?: Record<string, string>;
}

export interface TreeAnswer {
  sha: string;
  tree: unknown[];
  truncated: boolean;
}

/** Builds a commit's file map from contents (strings are UTF-8). */
export function fakeFiles(files: Map<string, Buffer> | Record<string, string | Buffer>, modes: FileModes = {}): FakeFiles {
  const m: FakeFiles = new Map();
  const entries = files instanceof Map ? [...files] : Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? Buffer.from(c) : c] as const);
  for (const [p, content] of entries) m.set(p, { content, sha: gitBlobSha(content), mode: modes.executable?.includes(p) ? '100755' : '100644' });
  for (const [p, target] of Object.entries(modes.symlinks ?? {})) {
    const content = Buffer.from(target);
    m.set(p, { content, sha: gitBlobSha(content), mode: '120000' });
  }
  return m;
}

/** Commits of any number of repositories (owner/repo compared case-insensitively, as GitHub does). */
export class FakeGitData {
  private readonly repos = new Map<string, Map<string, FakeFiles>>();

  private static key(owner: string, repo: string): string {
    return `${owner}/${repo}`.toLowerCase();
  }

  /** Stores (or replaces) a commit. */
  put(owner: string, repo: string, sha: string, files: FakeFiles): void {
    const key = FakeGitData.key(owner, repo);
    let r = this.repos.get(key);
    if (!r) this.repos.set(key, (r = new Map()));
    r.set(sha, files);
  }

  files(owner: string, repo: string, sha: string): FakeFiles | undefined {
    return this.repos.get(FakeGitData.key(owner, repo))?.get(sha);
  }

  /** `GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1`, a fresh object per call. */
  tree(owner: string, repo: string, sha: string): TreeAnswer | undefined {
    const files = this.files(owner, repo, sha);
    if (!files) return undefined;
    const entries: unknown[] = [];
    const dirs = new Set<string>();
    for (const [p, f] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
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
    return { sha, tree: entries, truncated: false };
  }

  /** `GET /repos/{owner}/{repo}/git/blobs/{sha}`: any commit of the repository holding it. */
  blob(owner: string, repo: string, blobSha: string): FakeFile | undefined {
    for (const c of this.repos.get(FakeGitData.key(owner, repo))?.values() ?? []) {
      for (const f of c.values()) if (f.sha === blobSha) return f;
    }
    return undefined;
  }

  /**
   * The snapshot's GraphQL blob query: variables `owner`, `name`, and `e<i>` = `<commit>:<path>`;
   * answers `f<i>` (null for a missing file). `served` sees every file answered.
   */
  blobQuery(variables: Record<string, string>, served?: (f: FakeFile, binary: boolean) => void): { data: { repository: Record<string, unknown> } } {
    const repository: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(variables)) {
      const m = /^e(\d+)$/.exec(k);
      if (!m) continue;
      const i = v.indexOf(':');
      const f = this.files(variables.owner ?? '', variables.name ?? '', v.slice(0, i))?.get(v.slice(i + 1));
      if (!f) {
        repository[`f${m[1]}`] = null;
        continue;
      }
      const binary = f.content.includes(0);
      served?.(f, binary);
      repository[`f${m[1]}`] = { text: binary ? null : f.content.toString('utf8'), isBinary: binary, isTruncated: false, byteSize: f.content.length };
    }
    return { data: { repository } };
  }

  /** `GET /repos/{owner}/{repo}/tarball/{sha}`, built on each call. */
  tarball(owner: string, repo: string, sha: string): Buffer | undefined {
    const files = this.files(owner, repo, sha);
    return files && tarball(`${owner}-${repo}-${sha.slice(0, 7)}/`, files);
  }
}

/** A `git archive`-shaped tar.gz (ustar; pax headers for long paths; symlinks left out). */
function tarball(prefix: string, files: FakeFiles): Buffer {
  const blocks: Buffer[] = [];
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
  for (const [p, f] of files) {
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
  return gzipSync(Buffer.concat(blocks));
}
