import { eventTime } from '../../src/github/jobs.js';
import { RespRedisClient } from '../../src/queue/redis-client.js';
import { MemoryScanState, RedisScanState, type ScanState } from '../../src/queue/state.js';
import { REDIS_URL, describeWithRedis, dropPrefix, uniquePrefix } from './helpers.js';

/**
 * The newest commit per PR or branch, as both state stores keep it: GitHub may deliver an older
 * push after a newer one, and the event time decides which commit is the newest.
 */

const T = Date.parse('2026-12-07T10:00:00Z');

function orderingCases(state: () => ScanState): void {
  test('a later event replaces the newest commit; an earlier one arriving late does not', async () => {
    const s = state();
    expect(await s.markLatest('k1', 'new', T + 5_000)).toBe(true);
    expect(await s.markLatest('k1', 'old', T + 1_000)).toBe(false);
    expect(await s.latest('k1')).toBe('new');
    expect(await s.markLatest('k1', 'newer', T + 9_000)).toBe(true);
    expect(await s.latest('k1')).toBe('newer');
  });

  test('without event times, or with equal ones, the last delivery wins', async () => {
    const s = state();
    await s.markLatest('k2', 'a');
    expect(await s.markLatest('k2', 'b')).toBe(true);
    expect(await s.latest('k2')).toBe('b');
    await s.markLatest('k2', 'c', T);
    expect(await s.markLatest('k2', 'd', T)).toBe(true);
    expect(await s.markLatest('k2', 'e')).toBe(true);
    expect(await s.latest('k2')).toBe('e');
    expect(await s.latest('unknown')).toBeUndefined();
  });

  test('keys are independent', async () => {
    const s = state();
    await s.markLatest('pr#1', 'x', T + 10_000);
    expect(await s.markLatest('pr#2', 'y', T)).toBe(true);
    expect(await s.latest('pr#1')).toBe('x');
    expect(await s.latest('pr#2')).toBe('y');
  });
}

test.each([
  ['push pushed_at, epoch seconds', 1765101600, 1765101600_000],
  ['pull_request updated_at, ISO', '2025-12-07T10:00:00Z', 1765101600_000],
  ['already milliseconds', 1765101600_000, 1765101600_000],
  ['absent', undefined, undefined],
  ['unreadable', 'yesterday', undefined],
  ['zero', 0, undefined],
])('eventTime: %s', (_label, v, want) => {
  expect(eventTime(v)).toBe(want);
});

describe('MemoryScanState', () => {
  orderingCases(() => new MemoryScanState());
});

const prefix = uniquePrefix('state');
const clients: RespRedisClient[] = [];
afterAll(async () => {
  if (clients.length) await dropPrefix(prefix);
  await Promise.all(clients.map((c) => c.quit().catch(() => '')));
});

(await describeWithRedis())('RedisScanState', () => {
  orderingCases(() => {
    const c = new RespRedisClient({ url: REDIS_URL });
    clients.push(c);
    return new RedisScanState(c, { prefix: `${prefix}:${clients.length}` });
  });

  test('reads a bare SHA written by an earlier version', async () => {
    const c = new RespRedisClient({ url: REDIS_URL });
    clients.push(c);
    const s = new RedisScanState(c, { prefix: `${prefix}:legacy` });
    await c.call('SET', `${prefix}:legacy:latest:k`, 'abc123');
    expect(await s.latest('k')).toBe('abc123');
    expect(await s.markLatest('k', 'def456', T)).toBe(true);
    expect(await s.latest('k')).toBe('def456');
  });
});
