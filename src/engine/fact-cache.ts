import { LruMap } from './lru.js';

/**
 * Per-file facts kept across scans. The models key an entry by what the facts are a pure function
 * of (the kind of facts, the file's path, the options they were extracted with, and a hash of the
 * file's content), so a second scan of a repository parses only the files that changed.
 *
 * Values are shared by every scan that hits them: they are deep-frozen when stored
 * (`freezeAndMeasure`) and nobody may mutate them (Maps and Sets inside cannot be frozen; their
 * readers must not change them either).
 */
export interface FactCache {
  get(key: string): unknown;
  /** `bytes`: the value's approximate size, which the cache bounds. */
  set(key: string, value: unknown, bytes: number): void;
}

export interface FactCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

export const DEFAULT_FACT_CACHE_ENTRIES = 100_000;
export const DEFAULT_FACT_CACHE_BYTES = 64 * 1024 * 1024;

/** A FactCache bounded by entry count and approximate bytes, least recently used evicted first. */
export class LruFactCache implements FactCache {
  private readonly lru: LruMap<string, unknown>;
  hits = 0;
  misses = 0;

  constructor(o: { maxEntries?: number; maxBytes?: number } = {}) {
    this.lru = new LruMap(o.maxEntries ?? DEFAULT_FACT_CACHE_ENTRIES, o.maxBytes ?? DEFAULT_FACT_CACHE_BYTES);
  }

  get(key: string): unknown {
    const v = this.lru.get(key);
    if (v === undefined) this.misses++;
    else this.hits++;
    return v;
  }

  set(key: string, value: unknown, bytes: number): void {
    // The key is held too; it is about as long as the path plus a 40-character hash.
    this.lru.set(key, value, bytes + 2 * key.length);
  }

  stats(): FactCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.lru.size, bytes: this.lru.totalCost };
  }
}

/**
 * Deep-freezes plain data (objects and arrays; Maps and Sets are walked but stay mutable), shares
 * one empty array for all empty ones, and returns its approximate heap size in bytes. Shared
 * references are counted once.
 */
/**
 * Most per-file facts are lists, most of them empty (a module without routes, env reads or
 * migrations): every empty array in a cached value is replaced by this one (12,000 cached files
 * of a synthetic 20,000-file repository: 94 MB of heap after collection down to 88 MB).
 */
const EMPTY: readonly unknown[] = Object.freeze([]);

function isEmptyArray(x: unknown): boolean {
  return Array.isArray(x) && x.length === 0 && x !== EMPTY;
}

export function freezeAndMeasure(value: unknown): number {
  const seen = new Set<object>();
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    switch (typeof v) {
      case 'string':
        bytes += 16 + 2 * v.length;
        continue;
      case 'number':
      case 'boolean':
      case 'bigint':
        bytes += 8;
        continue;
      case 'object':
        break;
      default:
        continue; // undefined, functions and symbols: not data, nothing to hold
    }
    if (v === null || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Map) {
      bytes += 32 + 24 * v.size;
      for (const [k, x] of v) stack.push(k, x);
    } else if (v instanceof Set) {
      bytes += 32 + 16 * v.size;
      for (const x of v) stack.push(x);
    } else if (Array.isArray(v)) {
      bytes += 32 + 8 * v.length;
      const arr = v as unknown[];
      for (let i = 0; i < arr.length; i++) {
        if (isEmptyArray(arr[i])) arr[i] = EMPTY;
        else stack.push(arr[i]);
      }
      Object.freeze(v);
    } else {
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj);
      bytes += 32 + 16 * keys.length;
      for (const k of keys) {
        if (isEmptyArray(obj[k])) obj[k] = EMPTY;
        else stack.push(obj[k]);
      }
      Object.freeze(v);
    }
  }
  return bytes;
}
