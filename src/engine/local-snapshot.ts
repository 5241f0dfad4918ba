import type { Dirent } from 'node:fs';
import { lstat, open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import {
  DEFAULT_MAX_FILE_BYTES,
  VENDORED_DIRS,
  type ReadResult,
  type Snapshot,
  type SnapshotEntry,
} from './snapshot.js';
import type { Skip } from './types.js';

/** Hard bound on how many entries a listing walks, so a hostile tree cannot exhaust memory. */
export const MAX_LISTED_FILES = 200_000;

interface IgnoreLayer {
  /** Directory the .gitignore sits in, relative to the root ('' for the root). */
  base: string;
  rules: Ignore;
}

/**
 * A snapshot of a directory on disk. Honours .gitignore files at every level, skips vendored
 * folders and virtualenvs, never follows a symlink (a link is reported as skipped), and never
 * reads a path that resolves outside the root.
 */
export class LocalSnapshot implements Snapshot {
  readonly label: string;
  private readonly root: string;
  private readonly maxBytes: number;

  constructor(root: string, opts: { maxFileBytes?: number } = {}) {
    this.root = path.resolve(root);
    this.label = root;
    this.maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  async list(): Promise<{ entries: SnapshotEntry[]; skipped: Skip[] }> {
    const entries: SnapshotEntry[] = [];
    const skipped: Skip[] = [];
    let truncated = false;
    const walk = async (rel: string, layers: IgnoreLayer[]): Promise<void> => {
      const abs = rel ? path.join(this.root, rel) : this.root;
      let dirents: Dirent[];
      try {
        dirents = (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (err) {
        skipped.push({ path: rel || '.', reason: 'unreadable', detail: (err as Error).message });
        return;
      }
      const names = dirents.map((d) => d.name);
      if (rel && names.includes('pyvenv.cfg')) {
        skipped.push({ path: rel, reason: 'vendored', detail: 'Python virtual environment' });
        return;
      }
      let here = layers;
      if (names.includes('.gitignore')) {
        try {
          const text = await readFile(path.join(abs, '.gitignore'), 'utf8');
          here = [...layers, { base: rel, rules: ignore().add(text) }];
        } catch {
          // An unreadable .gitignore ignores nothing.
        }
      }
      const files: string[] = [];
      const subdirs: string[] = [];
      for (const d of dirents) {
        const childRel = rel ? `${rel}/${d.name}` : d.name;
        // Dirent types come from lstat semantics: a symlink is never followed.
        if (d.isSymbolicLink()) {
          skipped.push({ path: childRel, reason: 'symlink' });
        } else if (d.isDirectory()) {
          if (VENDORED_DIRS.has(d.name)) {
            if (d.name !== '.git') skipped.push({ path: childRel, reason: 'vendored' });
          } else if (isIgnored(here, childRel, true)) skipped.push({ path: childRel, reason: 'gitignored' });
          else subdirs.push(childRel);
        } else if (d.isFile() && !isIgnored(here, childRel, false)) files.push(childRel);
      }
      // Sizes and modes of one directory's files are read concurrently; order is kept.
      const stats = await Promise.all(files.map((f) => lstat(path.join(this.root, f)).catch(() => undefined)));
      files.forEach((f, i) => {
        const st = stats[i];
        if (!st || !st.isFile()) return;
        if (entries.length >= MAX_LISTED_FILES) {
          if (!truncated) skipped.push({ path: f, reason: 'too-large', detail: `listing stopped at ${MAX_LISTED_FILES} files` });
          truncated = true;
          return;
        }
        entries.push({ path: f, size: st.size, executable: (st.mode & 0o111) !== 0 });
      });
      for (const d of subdirs) {
        if (truncated) return;
        await walk(d, here);
      }
    };
    await walk('', []);
    return { entries, skipped };
  }

  async read(paths: readonly string[]): Promise<ReadResult> {
    const files = new Map<string, Buffer>();
    const skipped: Skip[] = [];
    for (const rel of paths) {
      const abs = path.resolve(this.root, rel);
      if (!abs.startsWith(this.root + path.sep)) {
        skipped.push({ path: rel, reason: 'unreadable', detail: 'outside the scanned directory' });
        continue;
      }
      try {
        const st = await lstat(abs);
        if (st.isSymbolicLink()) {
          skipped.push({ path: rel, reason: 'symlink' });
          continue;
        }
        if (st.size > this.maxBytes) {
          skipped.push({ path: rel, reason: 'too-large', detail: `${st.size} bytes > ${this.maxBytes}` });
          continue;
        }
        files.set(rel, await readBounded(abs, st.size, this.maxBytes));
      } catch (err) {
        skipped.push({ path: rel, reason: 'unreadable', detail: (err as NodeJS.ErrnoException).code ?? 'read failed' });
      }
    }
    return { files, skipped };
  }
}

/**
 * Reads at most `max` bytes, so a file that grows between list and read stays bounded. The buffer
 * is sized from the listed size (one byte more, to notice growth), never the cap: a 1 MiB buffer
 * per small file would hold gigabytes on a large repository.
 */
async function readBounded(abs: string, size: number, max: number): Promise<Buffer> {
  const fh = await open(abs, 'r');
  try {
    let buf = Buffer.allocUnsafe(Math.min(size, max) + 1);
    let len = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, len, buf.length - len, len);
      len += bytesRead;
      if (bytesRead === 0 || len < buf.length || len > max) break;
      // The file grew since it was listed: keep reading, still bounded by `max`.
      const next = Buffer.allocUnsafe(Math.min(buf.length * 2, max + 1));
      buf.copy(next, 0, 0, len);
      buf = next;
    }
    return Buffer.from(buf.subarray(0, Math.min(len, max)));
  } finally {
    await fh.close();
  }
}

function isIgnored(layers: IgnoreLayer[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const sub = layer.base ? rel.slice(layer.base.length + 1) : rel;
    const r = layer.rules.test(isDir ? `${sub}/` : sub);
    if (r.ignored) ignored = true;
    if (r.unignored) ignored = false;
  }
  return ignored;
}
