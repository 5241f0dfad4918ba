/**
 * A least-recently-used map bounded by entry count and, optionally, by a total cost (approximate
 * bytes, say) that each `set` declares. Used for immutable things: trees and base scans keyed by
 * commit SHA, per-file facts keyed by content hash.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, { v: V; cost: number }>();
  private cost = 0;

  constructor(
    private readonly max: number,
    private readonly maxCost: number = Infinity,
  ) {}

  get(k: K): V | undefined {
    const e = this.map.get(k);
    if (e === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as most recently used.
    this.map.delete(k);
    this.map.set(k, e);
    return e.v;
  }

  /** Stores `v`, evicting the least recently used entries past either bound; a value costing more than the whole bound is not kept. */
  set(k: K, v: V, cost = 0): void {
    this.delete(k);
    if (cost > this.maxCost) return;
    this.map.set(k, { v, cost });
    this.cost += cost;
    for (const [key, e] of this.map) {
      if (this.map.size <= this.max && this.cost <= this.maxCost) break;
      this.map.delete(key);
      this.cost -= e.cost;
    }
  }

  delete(k: K): void {
    const e = this.map.get(k);
    if (e === undefined) return;
    this.map.delete(k);
    this.cost -= e.cost;
  }

  clear(): void {
    this.map.clear();
    this.cost = 0;
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  get size(): number {
    return this.map.size;
  }

  /** Sum of the costs of the entries held. */
  get totalCost(): number {
    return this.cost;
  }
}
