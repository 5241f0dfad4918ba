/**
 * A streaming reader for the tar archives GitHub serves (`git archive` output: ustar with pax
 * extended headers for long paths, and a pax global header carrying the commit id). It keeps
 * only the entries the caller wants, never holds more than one 512-byte header plus the wanted
 * file being collected, and stops as soon as the caller says it has everything.
 */

const BLOCK = 512;
/** A pax or GNU long-name header larger than this is hostile, not a path. */
const MAX_META_BYTES = 64 * 1024;

export class TarError extends Error {
  override name = 'TarError';
}

export interface TarReadOptions {
  /** Keep this entry? `path` has its first `stripComponents` segments removed. */
  want(path: string, size: number): boolean;
  /** Receives each kept regular file; returning true stops the read (all wanted files seen). */
  onFile(path: string, data: Buffer): boolean | void;
  /** Leading path segments to drop (GitHub wraps everything in `owner-repo-sha/`). Default 1. */
  stripComponents?: number;
  /** Abort with TarError after this many uncompressed bytes, so a huge archive stays bounded. */
  maxTotalBytes?: number;
}

export interface TarReadStats {
  entries: number;
  bytes: number;
  /** True when onFile asked to stop before the end of the archive. */
  stopped: boolean;
}

type State =
  | { kind: 'header' }
  | { kind: 'data'; remaining: number; pad: number; collect?: { path: string; parts: Buffer[] }; meta?: 'pax' | 'long-name'; metaParts?: Buffer[] }
  | { kind: 'pad'; remaining: number }
  | { kind: 'end' };

/**
 * Reads an uncompressed tar stream chunk by chunk. Pipe a gunzip stream in for `.tar.gz`.
 *
 * @example
 * await readTar(gunzipped, { want: (p) => p.endsWith('.py'), onFile: (p, b) => files.set(p, b) });
 */
export async function readTar(chunks: AsyncIterable<Uint8Array>, opts: TarReadOptions): Promise<TarReadStats> {
  const strip = opts.stripComponents ?? 1;
  const max = opts.maxTotalBytes ?? Number.POSITIVE_INFINITY;
  const header = Buffer.alloc(BLOCK);
  let headerFill = 0;
  let state: State = { kind: 'header' };
  let nextPath: string | undefined;
  let nextSize: number | undefined;
  const stats: TarReadStats = { entries: 0, bytes: 0, stopped: false };

  for await (const raw of chunks) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    stats.bytes += chunk.length;
    if (stats.bytes > max) throw new TarError(`archive larger than ${max} bytes`);
    let off = 0;
    while (off < chunk.length) {
      if (state.kind === 'end') return stats;
      if (state.kind === 'header') {
        const n = Math.min(BLOCK - headerFill, chunk.length - off);
        chunk.copy(header, headerFill, off, off + n);
        headerFill += n;
        off += n;
        if (headerFill < BLOCK) continue;
        headerFill = 0;
        if (header.every((b) => b === 0)) {
          state = { kind: 'end' };
          continue;
        }
        const h = parseHeader(header);
        const size = nextSize ?? h.size;
        const fullPath = nextPath ?? h.path;
        const pad = (BLOCK - (size % BLOCK)) % BLOCK;
        if (h.type === 'x' || h.type === 'L') {
          if (h.size > MAX_META_BYTES) throw new TarError(`extended header of ${h.size} bytes`);
          state = { kind: 'data', remaining: h.size, pad: (BLOCK - (h.size % BLOCK)) % BLOCK, meta: h.type === 'x' ? 'pax' : 'long-name', metaParts: [] };
        } else {
          nextPath = undefined;
          nextSize = undefined;
          let collect: { path: string; parts: Buffer[] } | undefined;
          if (h.type === '0' || h.type === '\0' || h.type === '7') {
            stats.entries++;
            const rel = stripPath(fullPath, strip);
            if (rel && opts.want(rel, size)) collect = { path: rel, parts: [] };
          }
          state = { kind: 'data', remaining: size, pad, collect };
        }
        if (state.kind === 'data' && state.remaining === 0) {
          const stop = finishData(state);
          if (stop) {
            stats.stopped = true;
            return stats;
          }
          state = state.pad ? { kind: 'pad', remaining: state.pad } : { kind: 'header' };
        }
        continue;
      }
      if (state.kind === 'data') {
        const n = Math.min(state.remaining, chunk.length - off);
        const piece = chunk.subarray(off, off + n);
        // Copy: the stream may reuse its chunk buffers after we yield.
        if (state.collect) state.collect.parts.push(Buffer.from(piece));
        else if (state.metaParts) state.metaParts.push(Buffer.from(piece));
        state.remaining -= n;
        off += n;
        if (state.remaining === 0) {
          const stop = finishData(state);
          if (stop) {
            stats.stopped = true;
            return stats;
          }
          state = state.pad ? { kind: 'pad', remaining: state.pad } : { kind: 'header' };
        }
        continue;
      }
      // Padding after data, up to the next 512-byte boundary.
      const n = Math.min(state.remaining, chunk.length - off);
      state.remaining -= n;
      off += n;
      if (state.remaining === 0) state = { kind: 'header' };
    }
  }
  if (state.kind === 'data' || state.kind === 'pad' || headerFill !== 0) throw new TarError('archive ended in the middle of an entry');
  return stats;

  function finishData(s: Extract<State, { kind: 'data' }>): boolean {
    if (s.meta === 'pax' && s.metaParts) {
      const rec = parsePax(Buffer.concat(s.metaParts));
      if (rec.path !== undefined) nextPath = rec.path;
      if (rec.size !== undefined) nextSize = rec.size;
      return false;
    }
    if (s.meta === 'long-name' && s.metaParts) {
      nextPath = cString(Buffer.concat(s.metaParts), 0, MAX_META_BYTES);
      return false;
    }
    if (s.collect) return opts.onFile(s.collect.path, Buffer.concat(s.collect.parts)) === true;
    return false;
  }
}

interface Header {
  path: string;
  size: number;
  type: string;
}

function parseHeader(b: Buffer): Header {
  const stored = parseOctal(b, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  if (stored !== sum) throw new TarError('header checksum mismatch (not a tar archive, or corrupted)');
  const name = cString(b, 0, 100);
  const isUstar = b.toString('latin1', 257, 262) === 'ustar';
  const prefix = isUstar ? cString(b, 345, 155) : '';
  return {
    path: prefix ? `${prefix}/${name}` : name,
    size: parseSize(b),
    type: String.fromCharCode(b[156]!),
  };
}

function parseSize(b: Buffer): number {
  // GNU base-256 for sizes past 8 GiB: high bit of the first byte set.
  if (b[124]! & 0x80) {
    let n = 0;
    for (let i = 125; i < 136; i++) n = n * 256 + b[i]!;
    return n;
  }
  return parseOctal(b, 124, 12);
}

function parseOctal(b: Buffer, start: number, len: number): number {
  const s = b.toString('latin1', start, start + len).replace(/\0.*$/s, '').trim();
  if (!s) return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`bad number in header: ${JSON.stringify(s)} (not a tar archive, or corrupted)`);
  return Number.parseInt(s, 8);
}

function cString(b: Buffer, start: number, len: number): string {
  const end = Math.min(b.length, start + len);
  let i = start;
  while (i < end && b[i] !== 0) i++;
  return b.toString('utf8', start, i);
}

/** Pax records: `<length> <key>=<value>\n`, length counting the whole record. */
function parsePax(b: Buffer): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  let off = 0;
  while (off < b.length) {
    const sp = b.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number.parseInt(b.toString('latin1', off, sp), 10);
    if (!Number.isFinite(len) || len <= 0 || off + len > b.length) break;
    const rec = b.toString('utf8', sp + 1, off + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) {
      const key = rec.slice(0, eq);
      const value = rec.slice(eq + 1);
      if (key === 'path') out.path = value;
      else if (key === 'size') {
        const n = Number(value);
        if (Number.isSafeInteger(n) && n >= 0) out.size = n;
      }
    }
    off += len;
  }
  return out;
}

function stripPath(p: string, n: number): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.some((s) => s === '..')) return '';
  return parts.slice(n).join('/');
}
