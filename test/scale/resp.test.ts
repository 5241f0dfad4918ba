import { createServer, type AddressInfo } from 'node:net';
import { RespRedisClient } from '../../src/queue/redis-client.js';
import { RespConnection, RespReader, encodeCommand, parseRedisUrl, RedisConnectionClosed, RedisReplyError } from '../../src/queue/resp.js';

describe('RESP', () => {
  test('encodes commands as arrays of bulk strings, Buffers as they are', () => {
    expect(encodeCommand(['SET', 'k', 12, Buffer.from([0, 1])]).toString('latin1')).toBe('*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n12\r\n$2\r\n\x00\x01\r\n');
  });

  test('reads replies split anywhere, nested arrays, nulls, and errors as values inside arrays', () => {
    const wire = Buffer.from('+OK\r\n:42\r\n$4\r\nhé!\r\n$-1\r\n*3\r\n$1\r\na\r\n*1\r\n:1\r\n-ERR inner\r\n*-1\r\n-NOSCRIPT No matching script\r\n');
    for (const step of [1, 3, 7, wire.length]) {
      const r = new RespReader();
      const out: unknown[] = [];
      for (let i = 0; i < wire.length; i += step) {
        r.push(wire.subarray(i, i + step));
        for (let v = r.next(); v; v = r.next()) out.push(v.value);
      }
      expect(out.slice(0, 4)).toEqual(['OK', 42, 'hé!', null]);
      const arr = out[4] as unknown[];
      expect(arr.slice(0, 2)).toEqual(['a', [1]]);
      expect(arr[2]).toBeInstanceOf(RedisReplyError);
      expect(out[5]).toBeNull();
      expect((out[6] as Error).message).toMatch(/^NOSCRIPT/);
    }
  });

  test('parses redis URLs with credentials, db and TLS', () => {
    expect(parseRedisUrl('rediss://user:p%40ss@cache.internal:6380/2')).toEqual({ host: 'cache.internal', port: 6380, username: 'user', password: 'p@ss', db: 2, tls: true });
    expect(parseRedisUrl('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379, tls: false });
  });

  test('a command waiting for a connection fails after offlineTimeoutMs; BullMQ blocking clients wait', async () => {
    // A port nothing listens on: every connection attempt is refused and retried.
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const c = new RespConnection({ port, offlineTimeoutMs: 150, retryStrategy: () => 20 });
    c.on('error', () => {});
    const t0 = Date.now();
    await expect(c.call(['PING'])).rejects.toBeInstanceOf(RedisConnectionClosed);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(c.status).not.toBe('end');
    c.disconnect();

    const shared = new RespRedisClient({ port, retryStrategy: () => 20 });
    const blocking = new RespRedisClient({ port, retryStrategy: () => 20, maxRetriesPerRequest: null });
    for (const x of [shared, blocking]) x.on('error', () => {});
    expect(shared.options.offlineTimeoutMs).toBe(3000);
    expect(blocking.options.offlineTimeoutMs).toBeUndefined();
    const dup = blocking.duplicate({ maxRetriesPerRequest: 5 });
    dup.on('error', () => {});
    expect(dup.options.offlineTimeoutMs).toBe(3000);
    for (const x of [shared, blocking, dup]) x.disconnect();
  });
});
