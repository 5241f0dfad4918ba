import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { freezeAndMeasure, type FactCache } from '../engine/fact-cache.js';
import type { SnapshotEntry } from '../engine/snapshot.js';
import type { Notice } from '../engine/types.js';

/**
 * A named, memoised computation over the project: parsed compose files, Python imports, env
 * reads... Each runs at most once per scan, the first time a check asks for it.
 */
export interface Facts<T> {
  readonly name: string;
  compute(model: ProjectModel): T;
}

/** Declares a fact extractor. */
export function defineFacts<T>(name: string, compute: (model: ProjectModel) => T): Facts<T> {
  return { name, compute };
}

const globCache = new Map<string, (p: string) => boolean>();

/** Compiles a glob once per process; `dot: true` so `.env` and `.github/**` match. */
export function globMatcher(glob: string): (p: string) => boolean {
  let m = globCache.get(glob);
  if (!m) {
    m = picomatch(glob, { dot: true });
    globCache.set(glob, m);
  }
  return m;
}

/**
 * What the checks see of a repository: the listing (every file that exists, read or not) and the
 * text of the files the checks asked for. Facts are derived lazily and shared by all checks.
 */
export class ProjectModel {
  private readonly entries: Map<string, SnapshotEntry>;
  private readonly texts: Map<string, string>;
  private readonly dirs = new Set<string>();
  private readonly memo = new Map<Facts<unknown>, unknown>();
  private readonly lineCache = new Map<string, string[]>();
  readonly notices: Notice[] = [];
  /** Milliseconds spent computing shared facts; the runner does not bill them to one check. */
  factMs = 0;
  private computing = 0;

  /**
   * Per-file facts kept across scans (the GitHub App holds one per process); absent, every file
   * is parsed afresh.
   */
  readonly factCache: FactCache | undefined;

  constructor(entries: readonly SnapshotEntry[], texts: Map<string, string>, opts: { factCache?: FactCache } = {}) {
    this.factCache = opts.factCache;
    this.entries = new Map(entries.map((e) => [e.path, e]));
    this.texts = texts;
    for (const e of entries) {
      let i = e.path.lastIndexOf('/');
      while (i > 0) {
        const d = e.path.slice(0, i);
        if (this.dirs.has(d)) break;
        this.dirs.add(d);
        i = d.lastIndexOf('/');
      }
    }
  }

  /** Builds a model from an inline file map (tests, examples). */
  static fromFiles(files: Record<string, string>, opts: { executable?: string[]; factCache?: FactCache } = {}): ProjectModel {
    const entries = Object.keys(files).map((p) => ({
      path: p,
      size: Buffer.byteLength(files[p] ?? ''),
      executable: opts.executable?.includes(p) ?? false,
    }));
    return new ProjectModel(entries, new Map(Object.entries(files)), { factCache: opts.factCache });
  }

  /** Every listed path, read or not. */
  allPaths(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** True when the repository has this file (whether or not the scan read it). */
  exists(p: string): boolean {
    return this.entries.has(normalise(p));
  }

  /** True when some listed file lives under this directory. */
  dirExists(p: string): boolean {
    const n = normalise(p).replace(/\/$/, '');
    return n === '' || this.dirs.has(n);
  }

  isExecutable(p: string): boolean {
    return this.entries.get(normalise(p))?.executable ?? false;
  }

  /** The text of a file the scan read; undefined when it was not read or does not exist. */
  text(p: string): string | undefined {
    return this.texts.get(normalise(p));
  }

  /** Lines of a read file (no line terminators). */
  lines(p: string): string[] {
    const n = normalise(p);
    let l = this.lineCache.get(n);
    if (!l) {
      l = (this.texts.get(n) ?? '').split(/\r?\n/);
      this.lineCache.set(n, l);
    }
    return l;
  }

  /** Read files whose path matches the glob, sorted. */
  read(glob: string): string[] {
    const m = globMatcher(glob);
    return [...this.texts.keys()].filter((p) => m(p)).sort();
  }

  /** Listed files (read or not) whose path matches the glob, sorted. */
  listed(glob: string): string[] {
    const m = globMatcher(glob);
    return [...this.entries.keys()].filter((p) => m(p)).sort();
  }

  /** Computes a fact once per scan. */
  get<T>(facts: Facts<T>): T {
    if (this.memo.has(facts)) return this.memo.get(facts) as T;
    const t0 = this.computing === 0 ? performance.now() : 0;
    this.computing++;
    try {
      const v = facts.compute(this);
      this.memo.set(facts, v);
      return v;
    } finally {
      this.computing--;
      if (this.computing === 0) this.factMs += performance.now() - t0;
    }
  }

  /**
   * Facts of one file that are a pure function of `kind`, `path`, `variant` (the options they
   * are extracted with) and `content`: served from the fact cache when an earlier scan computed
   * them for the same content, else computed (and cached, deep-frozen: callers must not mutate the
   * result). A computation that throws is not cached. Notices are the caller's to derive from the
   * value, so a hit reports them exactly as a fresh parse would.
   */
  perFile<T>(kind: string, path: string, variant: string, content: string, compute: () => T): T {
    const cache = this.factCache;
    if (!cache) return compute();
    const key = `${kind}\0${variant}\0${path}\0${createHash('sha1').update(content).digest('base64')}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit as T;
    const v = compute();
    if (v !== undefined) cache.set(key, v, freezeAndMeasure(v));
    return v;
  }

  /** Records that a file could not be parsed (a notice, not a finding). */
  parseNotice(file: string, message: string): void {
    if (!this.notices.some((n) => n.file === file && n.message === message)) {
      this.notices.push({ kind: 'parse', file, message });
    }
  }
}

/** Repository-relative, forward slashes, no leading `./`. */
export function normalise(p: string): string {
  let s = p.replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  return s.replace(/\/{2,}/g, '/');
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
