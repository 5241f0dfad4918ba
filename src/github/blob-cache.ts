/**
 * What the cache holds for one blob: its bytes, or the fact that GitHub called it binary (so we
 * never ask for it again and never hold its bytes).
 */
export type CachedBlob = Buffer | 'binary';

/** Bytes a `binary` marker is charged, so a flood of markers is bounded too. */
const MARKER_COST = 64;

/**
 * A content-addressed cache of git blobs, keyed by blob SHA and bounded by total bytes (least
 * recently used evicted first). Because the key is the content's own hash, an entry is valid for
 * every commit, branch and fork that contains the same file: a second push re-reads only the
 * blobs whose SHA changed, and a PR's base scan reuses nearly everything its head scan fetched.
 */
export class BlobCache {
  private readonly entries = new Map<string, CachedBlob>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number = 64 * 1024 * 1024) {}

  get(sha: string): CachedBlob | undefined {
    const v = this.entries.get(sha);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Map keeps insertion order: re-inserting marks the entry as most recently used.
    this.entries.delete(sha);
    this.entries.set(sha, v);
    return v;
  }

  has(sha: string): boolean {
    return this.entries.has(sha);
  }

  set(sha: string, value: CachedBlob): void {
    const cost = costOf(value);
    if (cost > this.maxBytes) return;
    const old = this.entries.get(sha);
    if (old !== undefined) {
      this.bytes -= costOf(old);
      this.entries.delete(sha);
    }
    this.entries.set(sha, value);
    this.bytes += cost;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= costOf(v);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}

function costOf(v: CachedBlob): number {
  return v === 'binary' ? MARKER_COST : v.length + MARKER_COST;
}

/** Moved to the engine (the fact cache uses it too); re-exported for the app's importers. */
export { LruMap } from '../engine/lru.js';
