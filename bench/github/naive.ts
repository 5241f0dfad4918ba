import type { ReadResult, Snapshot, SnapshotEntry } from '../../src/engine/snapshot.js';
import type { Skip } from '../../src/engine/types.js';

/**
 * The strategy readiness does not use, measured for comparison: one tree call, then one REST
 * contents call per file the checks want (what a straightforward Octokit integration does),
 * `concurrency` at a time.
 */
export class NaiveContentsSnapshot implements Snapshot {
  readonly label: string;
  requests = 0;
  private tree: { path: string; size: number; type: string; mode: string }[] | undefined;

  constructor(
    private readonly api: string,
    private readonly owner: string,
    private readonly repo: string,
    private readonly sha: string,
    private readonly concurrency = 16,
  ) {
    this.label = `${owner}/${repo}@${sha.slice(0, 7)} (naive)`;
  }

  private async get(path: string): Promise<Response> {
    this.requests++;
    return fetch(`${this.api}${path}`, { headers: { authorization: 'token naive', accept: 'application/vnd.github+json' } });
  }

  async list(): Promise<{ entries: SnapshotEntry[]; skipped: Skip[] }> {
    const res = await this.get(`/repos/${this.owner}/${this.repo}/git/trees/${this.sha}?recursive=1`);
    this.tree = ((await res.json()) as { tree: { path: string; size: number; type: string; mode: string }[] }).tree;
    return { entries: this.tree.filter((e) => e.type === 'blob').map((e) => ({ path: e.path, size: e.size, executable: e.mode === '100755' })), skipped: [] };
  }

  async read(paths: readonly string[]): Promise<ReadResult> {
    const files = new Map<string, Buffer>();
    const skipped: Skip[] = [];
    let next = 0;
    const lane = async () => {
      while (next < paths.length) {
        const p = paths[next++]!;
        const res = await this.get(`/repos/${this.owner}/${this.repo}/contents/${p.split('/').map(encodeURIComponent).join('/')}?ref=${this.sha}`);
        if (!res.ok) {
          await res.arrayBuffer();
          skipped.push({ path: p, reason: 'unreadable', detail: `HTTP ${res.status}` });
          continue;
        }
        const body = (await res.json()) as { content: string };
        files.set(p, Buffer.from(body.content, 'base64'));
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, lane));
    return { files, skipped };
  }
}
