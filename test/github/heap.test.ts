import { DEFAULT_HEAP_GROWTH_PERCENT, heapGrowthFlag } from '../../src/github/heap.js';

describe('heap growth flag for the app and worker processes', () => {
  test('defaults to a bounded growth factor', () => {
    expect(heapGrowthFlag({}, [])).toBe(`--heap-growing-percent=${DEFAULT_HEAP_GROWTH_PERCENT}`);
  });

  test('READINESS_HEAP_GROWTH_PERCENT overrides it; 0 leaves V8 its own factor', () => {
    expect(heapGrowthFlag({ READINESS_HEAP_GROWTH_PERCENT: '50' }, [])).toBe('--heap-growing-percent=50');
    expect(heapGrowthFlag({ READINESS_HEAP_GROWTH_PERCENT: '0' }, [])).toBeUndefined();
  });

  test('a value that is not a whole number of percent keeps the default', () => {
    for (const bad of ['-5', '12.5', 'lots', ' ']) {
      expect(heapGrowthFlag({ READINESS_HEAP_GROWTH_PERCENT: bad }, [])).toBe(`--heap-growing-percent=${DEFAULT_HEAP_GROWTH_PERCENT}`);
    }
  });

  test('a flag given on the node command line wins over the default and the variable', () => {
    expect(heapGrowthFlag({ READINESS_HEAP_GROWTH_PERCENT: '50' }, ['--heap-growing-percent=80'])).toBeUndefined();
    expect(heapGrowthFlag({}, ['--heap_growing_percent=80'])).toBeUndefined();
  });
});
