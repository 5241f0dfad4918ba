import type { Skip } from './types.js';

/** One regular file in a snapshot. */
export interface SnapshotEntry {
  /** Relative, forward slashes. */
  path: string;
  size: number;
  /** Executable bit as git or the file system records it (for scripts run directly). */
  executable: boolean;
}

/** The result of reading files: contents for those that could be read, skips for the rest. */
export interface ReadResult {
  files: Map<string, Buffer>;
  skipped: Skip[];
}

/**
 * A repository at one point in time: a local directory or a commit read through the GitHub API.
 * Checks never see this; the engine lists, selects and reads, then builds the model.
 */
export interface Snapshot {
  /** For messages: a directory or `owner/repo@sha`. */
  readonly label: string;
  /** All regular files the scan may consider, plus what was left out while listing. */
  list(): Promise<{ entries: SnapshotEntry[]; skipped: Skip[] }>;
  /** Reads many files at once (the GitHub implementation batches them). */
  read(paths: readonly string[]): Promise<ReadResult>;
}

/** Files above this size are not read (bytes). Lockfiles and minified bundles are not evidence. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/**
 * Folders that hold dependencies, caches or virtual environments, never the project's own code.
 * Virtual environments under other names are recognised by their `pyvenv.cfg`.
 */
export const VENDORED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  'bower_components',
  'vendor',
  'third_party',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  '.yarn',
  '.pnpm-store',
  '.terraform',
  '.idea',
  '.vscode',
]);

/** True when the buffer looks binary: a NUL byte in the first 8 KiB, as git decides. */
export function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}
