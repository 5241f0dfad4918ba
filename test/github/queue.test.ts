import { InProcessQueue, KeyedMutex } from '../../src/github/queue.js';
import { RateGate } from '../../src/github/rate-gate.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InProcessQueue', () => {
  test('add() returns before the job starts; same key runs in order, other keys in parallel up to the limit', async () => {
    const events: string[] = [];
    const q = new InProcessQueue<{ key: string; n: number }>(async (j) => {
      events.push(`start ${j.key}${j.n}`);
      await sleep(20);
      events.push(`end ${j.key}${j.n}`);
    }, 2);
    await q.add({ key: 'a', n: 1 });
    expect(events).toEqual([]);
    await q.add({ key: 'a', n: 2 });
    await q.add({ key: 'b', n: 1 });
    await q.add({ key: 'c', n: 1 });
    await q.onIdle();
    expect(events.indexOf('end a1')).toBeLessThan(events.indexOf('start a2'));
    expect(events.slice(0, 2).sort()).toEqual(['start a1', 'start b1']);
    expect(events).toHaveLength(8);
  });

  test('a failing job is reported and does not stop the queue', async () => {
    const errors: unknown[] = [];
    const done: number[] = [];
    const q = new InProcessQueue<{ key: string; n: number }>(
      async (j) => {
        if (j.n === 1) throw new Error('boom');
        done.push(j.n);
      },
      1,
      (e) => errors.push(e),
    );
    await q.add({ key: 'k', n: 1 });
    await q.add({ key: 'k', n: 2 });
    await q.onIdle();
    expect(errors).toHaveLength(1);
    expect(done).toEqual([2]);
  });
});

test('KeyedMutex serialises one key and not others', async () => {
  const m = new KeyedMutex();
  const events: string[] = [];
  const task = (k: string, n: number) => m.run(k, async () => { events.push(`in ${k}${n}`); await sleep(10); events.push(`out ${k}${n}`); });
  await Promise.all([task('pr', 1), task('pr', 2), task('other', 1)]);
  expect(events.indexOf('out pr1')).toBeLessThan(events.indexOf('in pr2'));
  expect(events.indexOf('in other1')).toBeLessThan(events.indexOf('out pr1'));
});

describe('RateGate (write spacing)', () => {
  test('a burst passes at once, then one per refill interval; retries (weight 0) skip the bucket', async () => {
    const gate = new RateGate({ burst: 3, refillMs: 40 });
    const t0 = performance.now();
    const at: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => gate.schedule({}, async () => void at.push(performance.now() - t0))));
    expect(at.slice(0, 3).every((t) => t < 20)).toBe(true);
    expect(at[3]!).toBeGreaterThanOrEqual(35);
    expect(at[4]!).toBeGreaterThanOrEqual(75);
    const t1 = performance.now();
    await gate.schedule({ weight: 0 }, async () => {});
    expect(performance.now() - t1).toBeLessThan(20);
  });

  test('one job at a time, results and errors passed through', async () => {
    const gate = new RateGate({ burst: 10, refillMs: 1000 });
    let running = 0;
    let max = 0;
    const job = async (v: number) => {
      running++;
      max = Math.max(max, running);
      await sleep(5);
      running--;
      return v * 2;
    };
    await expect(Promise.all([1, 2, 3].map((v) => gate.schedule({}, job, v)))).resolves.toEqual([2, 4, 6]);
    expect(max).toBe(1);
    await expect(gate.schedule({}, async () => { throw new Error('x'); })).rejects.toThrow('x');
  });
});
