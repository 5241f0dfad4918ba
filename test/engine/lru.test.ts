import { describe, expect, it } from '@jest/globals';
import { LruMap } from '../../src/engine/lru.js';

describe('LruMap', () => {
  it('evicts the least recently used entry past the entry bound', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the most recent
    m.set('c', 3);
    expect([...m.keys()]).toEqual(['a', 'c']);
    expect(m.get('b')).toBeUndefined();
    expect(m.size).toBe(2);
  });

  it('evicts past the cost bound and keeps the running total right', () => {
    const m = new LruMap<string, string>(100, 10);
    m.set('a', 'x', 4);
    m.set('b', 'y', 4);
    expect(m.totalCost).toBe(8);
    m.set('a', 'x2', 5); // replacing charges the new cost only
    expect(m.totalCost).toBe(9);
    m.set('c', 'z', 3); // 12 > 10: b (least recent) goes
    expect([...m.keys()]).toEqual(['a', 'c']);
    expect(m.totalCost).toBe(8);
    m.set('huge', 'w', 11); // alone past the bound: not kept, nothing evicted for it
    expect(m.get('huge')).toBeUndefined();
    expect(m.size).toBe(2);
    m.delete('a');
    expect(m.totalCost).toBe(3);
    m.clear();
    expect(m.size).toBe(0);
    expect(m.totalCost).toBe(0);
  });
});
