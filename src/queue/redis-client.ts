import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { ConnectionClosedError, RedisConnection } from 'bullmq';
import { RedisConnectionClosed, RespConnection, type RedisArg, type RedisReply, type RespOptions } from './resp.js';

/**
 * BullMQ's `IRedisClient` on our RESP connection (src/queue/resp.ts): the structured methods
 * BullMQ calls, Lua scripts by EVALSHA (loaded once per connection, EVAL when the server lost
 * them), pipelines and MULTI. `useRespClientForBullMQ()` makes BullMQ build every connection,
 * blocking ones included, through this class.
 */

interface Script {
  lua: string;
  sha: string;
  keys: number;
}

/** BullMQ's `IRedisTransaction` (plus a few commands our own code batches). */
export interface Transaction {
  hgetall(key: string): Transaction;
  hset(key: string, data: Record<string, string | number>): Transaction;
  hscan(key: string, cursor: string | number, o?: { COUNT?: number }): Transaction;
  smembers(key: string): Transaction;
  sscan(key: string, cursor: string | number, o?: { COUNT?: number }): Transaction;
  zrange(key: string, start: number, end: number): Transaction;
  lrange(key: string, start: number, end: number): Transaction;
  llen(key: string): Transaction;
  del(...keys: string[]): Transaction;
  get(key: string): Transaction;
  set(key: string, value: string | number): Transaction;
  zadd(key: string, score: number, member: string): Transaction;
  zrem(key: string, member: string): Transaction;
  expire(key: string, seconds: number): Transaction;
  runCommand(name: string, args: unknown[]): Transaction;
  exec(): Promise<[Error | null, unknown][] | null>;
}

/**
 * How long a command waits for Redis while it is down before it fails. BullMQ marks the
 * connections that must wait (blocking pops) with `maxRetriesPerRequest: null`, as for ioredis;
 * every other command fails after this, so a webhook arriving during an outage gets an error
 * (a 500 GitHub shows as a failed delivery) within GitHub's 10 s delivery timeout instead of
 * hanging, and a scan's Redis bookkeeping fails instead of stalling the scan.
 */
export const OFFLINE_TIMEOUT_MS = 3000;

export type RespClientOptions = RespOptions & { maxRetriesPerRequest?: number | null };

export class RespRedisClient extends EventEmitter {
  readonly isCluster = false;
  private readonly conn: RespConnection;
  private readonly scripts = new Map<string, Script>();
  /** Script SHAs known to be loaded on the server since this connection was last ready. */
  private loaded = new Set<string>();

  constructor(opts: RespClientOptions) {
    super();
    const offlineTimeoutMs = opts.offlineTimeoutMs ?? (opts.maxRetriesPerRequest === null ? undefined : OFFLINE_TIMEOUT_MS);
    this.conn = new RespConnection({ ...opts, offlineTimeoutMs, lazyConnect: true });
    for (const ev of ['connect', 'close', 'reconnecting', 'end', 'message']) this.conn.on(ev, (...a: unknown[]) => this.emit(ev, ...a));
    this.conn.on('ready', () => {
      this.loaded = new Set();
      this.emit('ready');
    });
    this.conn.on('error', (err: Error) => {
      if (this.listenerCount('error')) this.emit('error', err);
    });
    if (opts.lazyConnect !== true) void this.conn.connect().catch(() => {});
  }

  get status(): string {
    return this.conn.status;
  }
  set status(s: string) {
    // BullMQ marks a client it closed as 'end'; the connection keeps its own state.
    if (s === 'end') this.conn.status = 'end';
  }
  get options(): RespOptions {
    return this.conn.options;
  }

  connect(): Promise<void> {
    return this.conn.connect();
  }
  disconnect(reconnect?: boolean): void {
    this.conn.disconnect(reconnect);
  }
  quit(): Promise<string> {
    return this.conn.quit();
  }
  duplicate(overrides: Partial<RespClientOptions> = {}): RespRedisClient {
    // The offline timeout follows from the duplicate's own options (a blocking one waits).
    const { offlineTimeoutMs: _own, ...base } = this.conn.options;
    return new RespRedisClient({ ...base, ...overrides, lazyConnect: false });
  }

  /** One command; connection losses surface as BullMQ's ConnectionClosedError. */
  async call(...args: RedisArg[]): Promise<RedisReply> {
    try {
      return await this.conn.call(args);
    } catch (err) {
      throw err instanceof RedisConnectionClosed ? new ConnectionClosedError(err.message) : err;
    }
  }

  defineCommand(name: string, def: { numberOfKeys: number; lua: string }): void {
    this.scripts.set(name, { lua: def.lua, keys: def.numberOfKeys, sha: createHash('sha1').update(def.lua).digest('hex') });
  }

  private script(name: string): Script {
    const s = this.scripts.get(name);
    if (!s) throw new Error(`Redis script ${name} is not defined`);
    return s;
  }

  private async ensureLoaded(scripts: Script[]): Promise<void> {
    const missing = [...new Set(scripts.filter((s) => !this.loaded.has(s.sha)))];
    if (!missing.length) return;
    await Promise.all(missing.map((s) => this.call('SCRIPT', 'LOAD', s.lua)));
    for (const s of missing) this.loaded.add(s.sha);
  }

  async runCommand(name: string, args: unknown[]): Promise<unknown> {
    const s = this.script(name);
    const flat = flatten(args);
    await this.ensureLoaded([s]);
    try {
      return await this.call('EVALSHA', s.sha, s.keys, ...flat);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      this.loaded.delete(s.sha);
      return this.call('EVAL', s.lua, s.keys, ...flat);
    }
  }

  multi(): Transaction {
    return this.transaction(true);
  }
  pipeline(): Transaction {
    return this.transaction(false);
  }

  private transaction(atomic: boolean): Transaction {
    const cmds: RedisArg[][] = [];
    const used: Script[] = [];
    const shapes: ((r: RedisReply) => unknown)[] = [];
    const add = (args: RedisArg[], shape: (r: RedisReply) => unknown = (r) => r) => {
      cmds.push(args);
      shapes.push(shape);
      return tx;
    };
    const tx: Transaction = {
      hgetall: (key: string) => add(['HGETALL', key], toObject),
      hset: (key: string, data: Record<string, string | number>) => add(['HSET', key, ...Object.entries(data).flat()]),
      hscan: (key: string, cursor: string | number, o?: { COUNT?: number }) => add(['HSCAN', key, cursor, ...(o?.COUNT ? ['COUNT', o.COUNT] : [])]),
      smembers: (key: string) => add(['SMEMBERS', key]),
      sscan: (key: string, cursor: string | number, o?: { COUNT?: number }) => add(['SSCAN', key, cursor, ...(o?.COUNT ? ['COUNT', o.COUNT] : [])]),
      zrange: (key: string, start: number, end: number) => add(['ZRANGE', key, start, end]),
      lrange: (key: string, start: number, end: number) => add(['LRANGE', key, start, end]),
      llen: (key: string) => add(['LLEN', key]),
      del: (...keys: string[]) => add(['DEL', ...keys.flat()]),
      get: (key: string) => add(['GET', key]),
      set: (key: string, value: string | number) => add(['SET', key, value]),
      zadd: (key: string, score: number, member: string) => add(['ZADD', key, score, member]),
      zrem: (key: string, member: string) => add(['ZREM', key, member]),
      expire: (key: string, seconds: number) => add(['EXPIRE', key, seconds]),
      runCommand: (name: string, args: unknown[]) => {
        const s = this.script(name);
        used.push(s);
        return add(['EVALSHA', s.sha, s.keys, ...flatten(args)]);
      },
      exec: async (): Promise<[Error | null, unknown][] | null> => {
        await this.ensureLoaded(used);
        const send = atomic ? [['MULTI'], ...cmds, ['EXEC']] : cmds;
        const replies = await this.conn.batch(send).catch((e: unknown) => {
          throw e instanceof RedisConnectionClosed ? new ConnectionClosedError(e.message) : e;
        });
        let results: RedisReply[];
        if (atomic) {
          const execReply = replies[replies.length - 1];
          if (execReply instanceof Error) throw execReply;
          if (execReply === null) return null;
          results = execReply as RedisReply[];
        } else results = replies;
        if (results.some((r) => r instanceof RedisConnectionClosed)) throw new ConnectionClosedError();
        return results.map((r, i) => (r instanceof Error ? [r, undefined] : [null, shapes[i]!(r)]));
      },
    };
    return tx;
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return toObject(await this.call('HGETALL', key));
  }
  async hget(key: string, field: string): Promise<string | null> {
    return (await this.call('HGET', key, field)) as string | null;
  }
  async hmget(key: string, ...fields: string[]): Promise<(string | null)[]> {
    return (await this.call('HMGET', key, ...fields.flat())) as (string | null)[];
  }
  async hset(key: string, data: Record<string, string | number> | string, ...rest: (string | number)[]): Promise<number> {
    const pairs = typeof data === 'string' ? [data, ...rest] : Object.entries(data).flat();
    return (await this.call('HSET', key, ...pairs)) as number;
  }
  async hdel(key: string, ...fields: string[]): Promise<number> {
    return (await this.call('HDEL', key, ...fields.flat())) as number;
  }
  async hexists(key: string, field: string): Promise<number> {
    return (await this.call('HEXISTS', key, field)) as number;
  }
  async get(key: string): Promise<string | null> {
    return (await this.call('GET', key)) as string | null;
  }
  async set(key: string, value: string | number, o?: { PX?: number; EX?: number; NX?: boolean }): Promise<string | null> {
    const extra: RedisArg[] = o?.PX !== undefined ? ['PX', o.PX] : o?.EX !== undefined ? ['EX', o.EX] : [];
    if (o?.NX) extra.push('NX');
    return (await this.call('SET', key, value, ...extra)) as string | null;
  }
  async del(...keys: string[]): Promise<number> {
    return (await this.call('DEL', ...keys.flat())) as number;
  }
  async zrange(key: string, start: number, end: number, o?: { WITHSCORES?: boolean }): Promise<string[]> {
    return (await this.call('ZRANGE', key, start, end, ...(o?.WITHSCORES ? ['WITHSCORES'] : []))) as string[];
  }
  async zrevrange(key: string, start: number, end: number, o?: { WITHSCORES?: boolean }): Promise<string[]> {
    return (await this.call('ZREVRANGE', key, start, end, ...(o?.WITHSCORES ? ['WITHSCORES'] : []))) as string[];
  }
  async zcard(key: string): Promise<number> {
    return (await this.call('ZCARD', key)) as number;
  }
  async zscore(key: string, member: string): Promise<string | null> {
    return (await this.call('ZSCORE', key, member)) as string | null;
  }
  async zadd(key: string, ...scoreMembers: (string | number)[]): Promise<number> {
    return (await this.call('ZADD', key, ...scoreMembers)) as number;
  }
  async zrem(key: string, ...members: string[]): Promise<number> {
    return (await this.call('ZREM', key, ...members)) as number;
  }
  async lrange(key: string, start: number, end: number): Promise<string[]> {
    return (await this.call('LRANGE', key, start, end)) as string[];
  }
  async llen(key: string): Promise<number> {
    return (await this.call('LLEN', key)) as number;
  }
  async ltrim(key: string, start: number, end: number): Promise<string> {
    return (await this.call('LTRIM', key, start, end)) as string;
  }
  async lpos(key: string, value: string): Promise<number | null> {
    return (await this.call('LPOS', key, value)) as number | null;
  }
  async smembers(key: string): Promise<string[]> {
    return (await this.call('SMEMBERS', key)) as string[];
  }
  async xadd(key: string, id: string, fields: Record<string, string | number>, o?: { MAXLEN?: number; approximate?: boolean }): Promise<string> {
    const trim: RedisArg[] = o?.MAXLEN !== undefined ? ['MAXLEN', ...(o.approximate !== false ? ['~'] : []), o.MAXLEN] : [];
    return (await this.call('XADD', key, ...trim, id, ...Object.entries(fields).flat())) as string;
  }
  async xread(streams: { key: string; id: string }[], o?: { BLOCK?: number; COUNT?: number }): Promise<unknown> {
    const args: RedisArg[] = [];
    if (o?.BLOCK !== undefined) args.push('BLOCK', o.BLOCK);
    if (o?.COUNT !== undefined) args.push('COUNT', o.COUNT);
    return this.call('XREAD', ...args, 'STREAMS', ...streams.map((s) => s.key), ...streams.map((s) => s.id));
  }
  async xtrim(key: string, strategy: 'MAXLEN', threshold: number, o?: { approximate?: boolean }): Promise<number> {
    return (await this.call('XTRIM', key, strategy, ...(o?.approximate !== false ? ['~'] : []), threshold)) as number;
  }
  async bzpopmin(key: string, timeout: number): Promise<[string, string, string] | null> {
    return (await this.call('BZPOPMIN', key, timeout)) as [string, string, string] | null;
  }
  async info(): Promise<string> {
    return (await this.call('INFO')) as string;
  }
  async clientSetName(name: string): Promise<unknown> {
    return this.call('CLIENT', 'SETNAME', name);
  }
  async clientList(): Promise<string> {
    return (await this.call('CLIENT', 'LIST')) as string;
  }
  async clientInfo(): Promise<string> {
    return (await this.call('CLIENT', 'INFO')) as string;
  }
  async scan(cursor: string | number, o: { MATCH?: string; COUNT?: number } = {}): Promise<[string, string[]]> {
    const args: RedisArg[] = [cursor];
    if (o.MATCH !== undefined) args.push('MATCH', o.MATCH);
    if (o.COUNT !== undefined) args.push('COUNT', o.COUNT);
    return (await this.call('SCAN', ...args)) as [string, string[]];
  }
  scanStream(o: { match: string; count?: number }): Readable {
    let cursor = '0';
    let done = false;
    const stream: Readable = new Readable({
      objectMode: true,
      read: () => {
        if (done) return;
        this.scan(cursor, { MATCH: o.match, COUNT: o.count ?? 100 }).then(
          ([next, keys]) => {
            cursor = next;
            done = next === '0';
            stream.push(keys);
            if (done) stream.push(null);
          },
          (err: Error) => stream.destroy(err),
        );
      },
    });
    return stream;
  }
  async keys(pattern: string): Promise<string[]> {
    return (await this.call('KEYS', pattern)) as string[];
  }
  async exists(...keys: string[]): Promise<number> {
    return (await this.call('EXISTS', ...keys.flat())) as number;
  }
  async incr(key: string): Promise<number> {
    return (await this.call('INCR', key)) as number;
  }
  async eval(lua: string, keys: string[], argv: RedisArg[]): Promise<RedisReply> {
    return this.call('EVAL', lua, keys.length, ...keys, ...argv);
  }
  async ping(): Promise<string> {
    return (await this.call('PING')) as string;
  }
}

function flatten(args: unknown[]): RedisArg[] {
  const out: RedisArg[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (Buffer.isBuffer(v)) out.push(v);
    else if (v instanceof Uint8Array) out.push(Buffer.from(v));
    else if (v === null || v === undefined) out.push('');
    else out.push(typeof v === 'number' ? v : String(v));
  };
  args.forEach(walk);
  return out;
}

function toObject(r: RedisReply): Record<string, string> {
  const o: Record<string, string> = {};
  if (!Array.isArray(r)) return o;
  for (let i = 0; i + 1 < r.length; i += 2) o[String(r[i])] = String(r[i + 1]);
  return o;
}

let installed = false;
/** Makes BullMQ create its connections (the blocking one too) with RespRedisClient. */
export function useRespClientForBullMQ(): void {
  if (installed) return;
  installed = true;
  RedisConnection.clientFactory = (opts) => new RespRedisClient(opts as RespClientOptions) as never;
}
