import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';

/**
 * A small Redis connection speaking RESP2 over one socket: pipelined commands answered in order,
 * reconnection with backoff, an offline queue while (re)connecting, and pub/sub messages.
 *
 * Why our own: BullMQ 6 made its Redis driver an optional peer and accepts any client shaped
 * like its `IRedisClient` (src/queue/redis-client.ts adapts this class to it); the project does
 * not ship ioredis, and BullMQ only needs plain commands, EVALSHA, MULTI and one blocking pop.
 */

export type RedisArg = string | number | Buffer;
export type RedisReply = string | number | null | Error | RedisReply[];

/** Thrown for commands that cannot be answered because the connection closed. */
export class RedisConnectionClosed extends Error {
  constructor(message = 'Connection is closed.') {
    super(message);
    this.name = 'ConnectionClosedError';
  }
}

/** A `-ERR ...` answer from the server. */
export class RedisReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

export interface RespOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: boolean;
  /** `redis://user:pass@host:port/db` or `rediss://...`; fields above override it. */
  url?: string;
  connectionName?: string;
  /** Milliseconds before the next reconnect attempt, or null to give up. */
  retryStrategy?: (attempt: number) => number | null | undefined;
  connectTimeoutMs?: number;
  /** Connect at construction (default true); false waits for `connect()` or the first command. */
  lazyConnect?: boolean;
  /**
   * A command waiting for a connection (Redis down, reconnecting) is rejected with
   * RedisConnectionClosed after this long; unset, it waits for as long as reconnection goes on.
   */
  offlineTimeoutMs?: number;
}

/** Parses a redis:// URL into options (user, password, host, port, db, tls). */
export function parseRedisUrl(url: string): RespOptions {
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db && /^\d+$/.test(db) ? { db: Number(db) } : {}),
    tls: u.protocol === 'rediss:',
  };
}

interface Pending {
  resolve: (r: RedisReply) => void;
  reject: (e: Error) => void;
  /** Subscribe-style commands get one answer per channel. */
  answers: number;
}

interface Offline {
  args: RedisArg[];
  p: Pending;
  /** Rejects the command once it waited `offlineTimeoutMs`. */
  timer?: NodeJS.Timeout;
}

const CRLF = Buffer.from('\r\n');

/** Encodes one command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly RedisArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, CRLF);
  }
  return Buffer.concat(parts);
}

/**
 * Incremental RESP2 reader: `push` bytes, `next` returns one complete reply or `undefined` when
 * more bytes are needed. Errors nested in arrays (EXEC answers) stay values.
 */
export class RespReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  push(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  next(): { value: RedisReply } | undefined {
    const start = this.pos;
    const v = this.read();
    if (v === INCOMPLETE) {
      this.pos = start;
      return undefined;
    }
    return { value: v };
  }

  private line(): string | typeof INCOMPLETE {
    const end = this.buf.indexOf(CRLF, this.pos);
    if (end < 0) return INCOMPLETE;
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 2;
    return s;
  }

  private read(): RedisReply | typeof INCOMPLETE {
    if (this.pos >= this.buf.length) return INCOMPLETE;
    const type = String.fromCharCode(this.buf[this.pos]!);
    this.pos++;
    const l = this.line();
    if (l === INCOMPLETE) return INCOMPLETE;
    switch (type) {
      case '+':
        return l;
      case '-':
        return new RedisReplyError(l);
      case ':':
        return Number(l);
      case '$': {
        const n = Number(l);
        if (n < 0) return null;
        if (this.buf.length < this.pos + n + 2) return INCOMPLETE;
        const s = this.buf.toString('utf8', this.pos, this.pos + n);
        this.pos += n + 2;
        return s;
      }
      case '*': {
        const n = Number(l);
        if (n < 0) return null;
        const out: RedisReply[] = [];
        for (let i = 0; i < n; i++) {
          const v = this.read();
          if (v === INCOMPLETE) return INCOMPLETE;
          out.push(v);
        }
        return out;
      }
      default:
        throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
    }
  }
}
const INCOMPLETE = Symbol('incomplete');

/**
 * One connection. `status` follows ioredis' names (wait, connecting, connect, ready,
 * reconnecting, end) because BullMQ reads them; events: connect, ready, error, close,
 * reconnecting, end, message (channel, payload).
 */
export class RespConnection extends EventEmitter {
  status: 'wait' | 'connecting' | 'connect' | 'ready' | 'reconnecting' | 'end' = 'wait';
  readonly options: RespOptions;
  private socket: net.Socket | undefined;
  private reader = new RespReader();
  private inflight: Pending[] = [];
  private offline: Offline[] = [];
  private attempts = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private connecting: Promise<void> | undefined;
  private subscribed = 0;

  constructor(opts: RespOptions = {}) {
    super();
    // A URL wins over host/port: BullMQ merges its own host and port defaults into the options.
    this.options = { ...stripUndefined(opts), ...(opts.url ? parseRedisUrl(opts.url) : {}) };
    if (opts.lazyConnect === false || opts.lazyConnect === undefined) void this.connect().catch(() => {});
  }

  /** Opens the socket (once) and resolves when the connection is ready for commands. */
  connect(): Promise<void> {
    if (this.status === 'ready') return Promise.resolve();
    if (this.status === 'end' && this.closing) return Promise.reject(new RedisConnectionClosed());
    if (!this.connecting) {
      this.closing = false;
      this.connecting = new Promise<void>((resolve, reject) => {
        const onReady = () => {
          cleanup();
          resolve();
        };
        const onEnd = () => {
          cleanup();
          reject(new RedisConnectionClosed());
        };
        const cleanup = () => {
          this.off('ready', onReady);
          this.off('end', onEnd);
        };
        this.on('ready', onReady);
        this.on('end', onEnd);
        this.open();
      });
      this.connecting.catch(() => {}).finally(() => (this.connecting = undefined));
    }
    return this.connecting;
  }

  private open(): void {
    const o = this.options;
    this.status = this.attempts ? 'reconnecting' : 'connecting';
    this.reader = new RespReader();
    const host = o.host ?? '127.0.0.1';
    const port = o.port ?? 6379;
    const sock = o.tls ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    this.socket = sock;
    sock.setNoDelay(true);
    sock.setKeepAlive(true, 30_000);
    const timeout = setTimeout(() => sock.destroy(new Error(`connect ETIMEDOUT ${host}:${port}`)), o.connectTimeoutMs ?? 10_000);
    sock.once(o.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timeout);
      this.status = 'connect';
      this.emit('connect');
      void this.handshake();
    });
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('error', (err) => {
      clearTimeout(timeout);
      if (this.listenerCount('error')) this.emit('error', err);
    });
    sock.on('close', () => {
      clearTimeout(timeout);
      if (this.socket === sock) this.onClose();
    });
  }

  /** AUTH, SELECT and CLIENT SETNAME go out ahead of anything queued offline. */
  private async handshake(): Promise<void> {
    const o = this.options;
    try {
      if (o.password) await this.raw(o.username ? ['AUTH', o.username, o.password] : ['AUTH', o.password]);
      if (o.db) await this.raw(['SELECT', o.db]);
      if (o.connectionName) await this.raw(['CLIENT', 'SETNAME', o.connectionName]);
    } catch (err) {
      if (this.listenerCount('error')) this.emit('error', err);
      this.socket?.destroy();
      return;
    }
    this.attempts = 0;
    this.status = 'ready';
    const queued = this.offline;
    this.offline = [];
    for (const q of queued) {
      clearTimeout(q.timer);
      this.write(q.args, q.p);
    }
    this.emit('ready');
  }

  private raw(args: RedisArg[]): Promise<RedisReply> {
    return new Promise((resolve, reject) => this.write(args, { resolve, reject, answers: 1 }));
  }

  private write(args: RedisArg[], p: Pending): void {
    this.inflight.push(p);
    this.socket!.write(encodeCommand(args));
  }

  private onData(chunk: Buffer): void {
    this.reader.push(chunk);
    for (;;) {
      let r: { value: RedisReply } | undefined;
      try {
        r = this.reader.next();
      } catch (err) {
        this.socket?.destroy(err as Error);
        return;
      }
      if (!r) return;
      const v = r.value;
      // Pub/sub deliveries are not answers to a command.
      if (this.subscribed && Array.isArray(v) && (v[0] === 'message' || v[0] === 'pmessage')) {
        if (v[0] === 'message') this.emit('message', v[1], v[2]);
        else this.emit('pmessage', v[1], v[2], v[3]);
        continue;
      }
      const p = this.inflight[0];
      if (!p) continue;
      if (Array.isArray(v) && (v[0] === 'subscribe' || v[0] === 'unsubscribe' || v[0] === 'psubscribe' || v[0] === 'punsubscribe')) {
        this.subscribed = Number(v[2]);
        if (--p.answers > 0) continue;
      }
      this.inflight.shift();
      if (v instanceof Error) p.reject(v);
      else p.resolve(v);
    }
  }

  private onClose(): void {
    this.socket = undefined;
    const lost = this.inflight;
    this.inflight = [];
    this.subscribed = 0;
    for (const p of lost) p.reject(new RedisConnectionClosed());
    const wasReady = this.status === 'ready' || this.status === 'connect';
    if (wasReady) this.emit('close');
    if (this.closing) return this.end();
    const delay = (this.options.retryStrategy ?? defaultRetry)(++this.attempts);
    if (delay === null || delay === undefined) return this.end();
    this.status = 'reconnecting';
    this.emit('reconnecting', delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, delay);
  }

  private end(): void {
    this.status = 'end';
    const queued = this.offline;
    this.offline = [];
    for (const q of queued) {
      clearTimeout(q.timer);
      q.p.reject(new RedisConnectionClosed());
    }
    this.emit('end');
  }

  /**
   * Sends one command; while not yet connected it waits in the offline queue. A reply error
   * rejects with RedisReplyError; a dropped connection with RedisConnectionClosed.
   */
  call(args: RedisArg[], answers = 1): Promise<RedisReply> {
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve, reject, answers };
      if (this.status === 'ready') return this.write(args, p);
      if (this.status === 'end' && this.closing) return reject(new RedisConnectionClosed());
      const q: Offline = { args, p };
      const wait = this.options.offlineTimeoutMs;
      if (wait !== undefined) {
        q.timer = setTimeout(() => {
          const i = this.offline.indexOf(q);
          if (i < 0) return;
          this.offline.splice(i, 1);
          reject(new RedisConnectionClosed(`Redis unavailable: no connection within ${wait} ms (${this.status})`));
        }, wait);
        q.timer.unref();
      }
      this.offline.push(q);
      if (this.status === 'wait' || (this.status === 'end' && !this.closing)) void this.connect().catch(() => {});
    });
  }

  /** Sends commands back to back and collects every answer (errors as values). */
  async batch(commands: RedisArg[][]): Promise<RedisReply[]> {
    return Promise.all(commands.map((c) => this.call(c).catch((e: Error) => e)));
  }

  /** QUIT after pending answers; resolves when the socket closed. */
  async quit(): Promise<string> {
    this.closing = true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    if (!this.socket || this.status !== 'ready') {
      this.disconnect();
      return 'OK';
    }
    const closed = new Promise<void>((r) => this.once('end', () => r()));
    const sock = this.socket;
    await this.call(['QUIT']).catch(() => {});
    sock.end();
    // A server that does not close within a second is cut off.
    const t = setTimeout(() => sock.destroy(), 1000);
    await closed;
    clearTimeout(t);
    return 'OK';
  }

  /** Closes now; with `reconnect`, opens again (BullMQ uses that to unblock a blocking pop). */
  disconnect(reconnect = false): void {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    if (reconnect) {
      this.socket?.destroy();
      return;
    }
    this.closing = true;
    if (this.socket) this.socket.destroy();
    else if (this.status !== 'end') this.end();
  }
}

/** ioredis' default shape: 50 ms more per attempt, at most 2 s. */
function defaultRetry(attempt: number): number {
  return Math.min(attempt * 50, 2000);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
