import { DEFAULT_MAX_FILE_BYTES, type ReadResult, type Snapshot, type SnapshotEntry } from './snapshot.js';
import type { Skip } from './types.js';

/** A snapshot held in memory: test fixtures, and files already fetched by another reader. */
export class MemorySnapshot implements Snapshot {
  readonly label: string;
  private readonly files: Map<string, Buffer>;
  private readonly executable: Set<string>;
  private readonly maxBytes: number;

  constructor(
    files: Record<string, string | Buffer>,
    opts: { label?: string; executable?: readonly string[]; maxFileBytes?: number } = {},
  ) {
    this.label = opts.label ?? 'memory';
    this.files = new Map(Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? Buffer.from(c) : c]));
    this.executable = new Set(opts.executable ?? []);
    this.maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  async list(): Promise<{ entries: SnapshotEntry[]; skipped: Skip[] }> {
    const entries = [...this.files].map(([path, buf]) => ({ path, size: buf.length, executable: this.executable.has(path) }));
    return { entries, skipped: [] };
  }

  async read(paths: readonly string[]): Promise<ReadResult> {
    const files = new Map<string, Buffer>();
    const skipped: Skip[] = [];
    for (const p of paths) {
      const buf = this.files.get(p);
      if (!buf) skipped.push({ path: p, reason: 'unreadable', detail: 'no such file' });
      else if (buf.length > this.maxBytes) skipped.push({ path: p, reason: 'too-large', detail: `${buf.length} bytes > ${this.maxBytes}` });
      else files.set(p, buf);
    }
    return { files, skipped };
  }
}
