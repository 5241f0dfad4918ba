import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { ProbotOctokit } from 'probot';
import { DEFAULT_NOTIFICATION_GATE, DEFAULT_WRITE_GATE } from '../github/octokit.js';
import type { RateGateOptions } from '../github/rate-gate.js';
import { RedisReplyError, RespConnection, type RedisArg, type RedisReply, type RespOptions } from './resp.js';

/**
 * Probot's Redis-backed request throttling, so app replicas and workers share GitHub's rate
 * limits: Octokit's throttling plugin clusters its Bottleneck groups through a Redis connection
 * (`throttle: { Bottleneck, connection }`), which is what Probot builds from REDIS_URL. Probot
 * would load the ioredis driver for it, which this project does not ship; Bottleneck's
 * IORedisConnection accepts any client shaped like ioredis, and the part it uses is small
 * (scripts with callbacks, one-command pipelines, publish/subscribe, duplicate), so this file
 * provides that part on our RESP connection.
 */
export class IoredisLike extends EventEmitter {
  private readonly conn: RespConnection;
  private readonly channels = new Set<string>();
  private readied = false;
  [script: string]: unknown;

  constructor(opts: RespOptions) {
    super();
    this.conn = new RespConnection({ ...opts, lazyConnect: false });
    this.conn.on('ready', () => {
      // ioredis resubscribes after a reconnect; Bottleneck relies on it.
      if (this.readied && this.channels.size) void this.conn.call(['SUBSCRIBE', ...this.channels], this.channels.size).catch(() => {});
      this.readied = true;
      this.emit('ready');
    });
    this.conn.on('message', (channel: string, message: string) => this.emit('message', channel, message));
    this.conn.on('error', (err: Error) => {
      if (this.listenerCount('error')) this.emit('error', err);
    });
    for (const ev of ['close', 'end', 'reconnecting']) this.conn.on(ev, (...a: unknown[]) => this.emit(ev, ...a));
  }

  get status(): string {
    return this.conn.status;
  }

  duplicate(): IoredisLike {
    return new IoredisLike(this.conn.options);
  }

  /**
   * Registers `this[name](...args, callback?)`; without `numberOfKeys` the first argument is the
   * key count (how Bottleneck calls its scripts).
   */
  defineCommand(name: string, def: { lua: string; numberOfKeys?: number }): void {
    const sha = createHash('sha1').update(def.lua).digest('hex');
    this[name] = (...args: unknown[]) => {
      const cb = typeof args[args.length - 1] === 'function' ? (args.pop() as (err: Error | null, r?: RedisReply) => void) : undefined;
      const argv = (def.numberOfKeys === undefined ? args : [def.numberOfKeys, ...args]) as RedisArg[];
      const p = this.conn
        .call(['EVALSHA', sha, ...argv])
        .catch((err: Error) => {
          if (!err.message.startsWith('NOSCRIPT')) throw err;
          return this.conn.call(['EVAL', def.lua, ...argv]);
        })
        .catch((err: Error) => {
          throw bottleneckError(err);
        });
      if (cb) p.then((r) => cb(null, r), (e: Error) => cb(e));
      return p;
    };
  }

  pipeline(commands: RedisArg[][] = []): { exec(): Promise<[Error | null, RedisReply][]> } {
    return {
      exec: async () => (await this.conn.batch(commands)).map((r) => (r instanceof Error ? [r, null] : [null, r])),
    };
  }

  publish(channel: string, message: string): Promise<RedisReply> {
    return this.conn.call(['PUBLISH', channel, message]);
  }

  subscribe(channel: string, cb?: (err: Error | null, count?: RedisReply) => void): Promise<RedisReply> {
    this.channels.add(channel);
    const p = this.conn.call(['SUBSCRIBE', channel]);
    p.then((r) => cb?.(null, r), (e: Error) => cb?.(e));
    return p;
  }

  unsubscribe(channel: string): Promise<RedisReply> {
    this.channels.delete(channel);
    return this.conn.call(['UNSUBSCRIBE', channel]);
  }

  quit(): Promise<string> {
    return this.conn.quit();
  }

  disconnect(): void {
    this.conn.disconnect();
  }
}

/**
 * Redis 7 answers a script's `redis.error_reply('SETTINGS_KEY_NOT_FOUND')` as
 * `ERR SETTINGS_KEY_NOT_FOUND`; Bottleneck compares the message to the bare code to know that
 * its keys are gone (a Redis restarted empty, keys expired) and must be set up again, so without
 * the prefix removed every throttled request failed after such a restart.
 */
function bottleneckError(err: Error): Error {
  const m = /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.exec(err.message);
  return m ? new RedisReplyError(m[1]!) : err;
}

interface BottleneckModule {
  IORedisConnection: new (o: { client: IoredisLike; Redis: unknown }) => EventEmitter & { disconnect(flush?: boolean): Promise<unknown> };
  Group: new (o: Record<string, unknown>) => unknown;
}

/** Redis keys of the clustered groups expire this long after their last use (as Probot's). */
const GROUP_TIMEOUT_MS = 2 * 60_000;

/**
 * The app's write and comment gates (octokit.ts: a burst, then a sustained rate) as clustered
 * Bottleneck groups: a reservoir refilled one token per `refillMs`, kept in Redis, so every
 * replica and worker draws from one budget per installation. Probot's own clustered groups
 * would space every write 1 s apart instead (a PR scan could not finish in under 4 s).
 */
function gateGroup(Bottleneck: BottleneckModule, id: string, gate: RateGateOptions, connection: unknown): unknown {
  return new Bottleneck.Group({
    id,
    maxConcurrent: 1,
    reservoir: gate.burst,
    reservoirIncreaseInterval: gate.refillMs,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseMaximum: gate.burst,
    // Clustered reservoirs refill on the limiter's heartbeat (Bottleneck's default: every 5 s).
    heartbeatInterval: gate.refillMs,
    connection,
    timeout: GROUP_TIMEOUT_MS,
  });
}

/**
 * The Octokit class with throttling clustered over Redis when `redisUrl()` names one (read when
 * the first client is made, so after Probot loaded .env). Bottleneck is Probot's own dependency
 * (the one Probot clusters with), loaded from Probot's location.
 */
export function withSharedThrottling(
  Octokit: typeof ProbotOctokit,
  redisUrl: () => string | undefined,
  onError: (err: Error) => void,
): { Octokit: typeof ProbotOctokit; close(): Promise<void> } {
  let shared: { Bottleneck: BottleneckModule; connection: EventEmitter & { disconnect(flush?: boolean): Promise<unknown> }; write: unknown; notifications: unknown } | undefined;
  const connect = (url: string) => {
    const requireFromProbot = createRequire(createRequire(import.meta.url).resolve('probot'));
    const Bottleneck = requireFromProbot('bottleneck') as BottleneckModule;
    const client = new IoredisLike({ url, connectionName: 'readiness-throttle' });
    const connection = new Bottleneck.IORedisConnection({ client, Redis: IoredisLike });
    connection.on('error', onError);
    const write = gateGroup(Bottleneck, 'readiness-write', DEFAULT_WRITE_GATE, connection);
    const notifications = gateGroup(Bottleneck, 'readiness-notifications', DEFAULT_NOTIFICATION_GATE, connection);
    return { Bottleneck, connection, write, notifications };
  };
  return {
    Octokit: Octokit.defaults((instance: Record<string, unknown>) => {
      const url = redisUrl();
      if (!url) return instance;
      shared ??= connect(url);
      const { Bottleneck, connection, write, notifications } = shared;
      return { ...instance, throttle: { ...((instance.throttle as object | undefined) ?? {}), Bottleneck, connection, write, notifications } };
    }) as typeof ProbotOctokit,
    close: async () => {
      await shared?.connection.disconnect(true).catch(() => {});
    },
  };
}
