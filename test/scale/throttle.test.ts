import { FakeGitHub } from '../../bench/github/fake-server.js';
import { createReadinessOctokit } from '../../src/github/octokit.js';
import { withSharedThrottling } from '../../src/queue/shared-throttle.js';
import { RespConnection } from '../../src/queue/resp.js';
import { REDIS_URL, describeWithRedis } from './helpers.js';

/**
 * Probot's Redis-clustered throttling through our ioredis-shaped client: the write gate's
 * reservoir lives in Redis (Bottleneck keys appear): a burst passes, then writes are spaced.
 */

const d = await describeWithRedis();

d('shared throttling', () => {
  test('writes of one installation draw from a reservoir kept in Redis', async () => {
    const fake = new FakeGitHub({ latencyMs: 1 });
    await fake.start();
    const id = `rtest-throttle-${process.pid}-${Date.now().toString(36)}`;
    const errors: Error[] = [];
    const shared = withSharedThrottling(createReadinessOctokit({ retryAfterBaseMs: 1 }), () => REDIS_URL, (e) => errors.push(e));
    const redis = new RespConnection({ url: REDIS_URL });
    try {
      const octokit = new shared.Octokit({ auth: { token: 't' }, baseUrl: fake.url, throttle: { id } });
      const write = (i: number) => octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'a', repo: 'b', name: 'x', head_sha: String(i).padStart(40, '0') });
      // The burst passes without Probot's 1 s spacing (which would take 11 s for 12 writes).
      const t0 = Date.now();
      for (let i = 0; i < 12; i++) await write(i);
      expect(Date.now() - t0).toBeLessThan(9000);
      const [, keys] = (await redis.call(['SCAN', '0', 'MATCH', `b_readiness-write-${id}*`, 'COUNT', 10_000])) as [string, string[]];
      expect(keys.length).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      const [, keys] = (await redis.call(['SCAN', '0', 'MATCH', `b_*${id}*`, 'COUNT', 100_000])) as [string, string[]];
      if (keys.length) await redis.call(['DEL', ...keys]);
      await redis.quit();
      await shared.close();
      await fake.stop();
    }
  });
});
