import { perSecond, percentile, ratio, round, summarize } from '../../../bench/stats';

const ONE_TO_HUNDRED = Array.from({ length: 100 }, (_, i) => i + 1);
const ONE_TO_TWO_HUNDRED = Array.from({ length: 200 }, (_, i) => i + 1);

describe('percentile (nearest rank)', () => {
  it.each<{ promise: string; samples: number[]; p: number; expected: number }>([
    { promise: 'is the only sample of a single-sample set, at any p', samples: [42], p: 99, expected: 42 },
    { promise: 'takes the lower middle of an even set as p50', samples: [4, 1, 3, 2], p: 50, expected: 2 },
    { promise: 'takes the middle of an odd set as p50', samples: [5, 1, 3], p: 50, expected: 3 },
    { promise: 'is the 95th smallest of 100 samples at p95', samples: ONE_TO_HUNDRED, p: 95, expected: 95 },
    { promise: 'is the 99th smallest of 100 samples at p99', samples: ONE_TO_HUNDRED, p: 99, expected: 99 },
    { promise: 'is the 198th smallest of 200 samples at p99', samples: ONE_TO_TWO_HUNDRED, p: 99, expected: 198 },
    { promise: 'is the maximum at p100', samples: [3, 9, 1], p: 100, expected: 9 },
    { promise: 'is the minimum at a tiny p', samples: [3, 9, 1], p: 0.001, expected: 1 },
    {
      promise: 'is the slowest sample at p99 of 50 samples (rank 49.5 rounds up to 50)',
      samples: Array.from({ length: 50 }, (_, i) => i * 10),
      p: 99,
      expected: 490,
    },
    { promise: 'sorts numerically, not as strings', samples: [100, 20, 3], p: 50, expected: 20 },
  ])('$promise', ({ samples, p, expected }) => {
    expect(percentile(samples, p)).toBe(expected);
  });

  it("leaves the caller's array unsorted", () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it.each<{ promise: string; samples: number[]; p: number; message: string }>([
    { promise: 'refuses an empty set', samples: [], p: 50, message: 'percentile: no samples' },
    { promise: 'refuses p = 0', samples: [1], p: 0, message: 'percentile: p must be in (0, 100] (got 0)' },
    { promise: 'refuses p above 100', samples: [1], p: 101, message: 'percentile: p must be in (0, 100] (got 101)' },
    {
      promise: 'names a sample that is not a number',
      samples: [1, Number.NaN],
      p: 50,
      message: 'percentile: sample 1 is not a finite number (got NaN)',
    },
  ])('$promise', ({ samples, p, message }) => {
    expect(() => percentile(samples, p)).toThrow(message);
  });
});

describe('summarize', () => {
  it('reports count, min, mean, p50/p95/p99 and max of the latencies', () => {
    expect(summarize(ONE_TO_HUNDRED)).toEqual({
      count: 100,
      minMs: 1,
      meanMs: 50.5,
      p50Ms: 50,
      p95Ms: 95,
      p99Ms: 99,
      maxMs: 100,
    });
  });

  it('refuses an empty set', () => {
    expect(() => summarize([])).toThrow('summarize: no samples');
  });
});

describe('perSecond', () => {
  it.each<{ promise: string; count: number; elapsedMs: number; expected: number }>([
    { promise: 'is 200 orders in 10 s = 20/s', count: 200, elapsedMs: 10_000, expected: 20 },
    { promise: 'is 50 orders in 250 ms = 200/s', count: 50, elapsedMs: 250, expected: 200 },
    { promise: 'is 0 for nothing completed', count: 0, elapsedMs: 1000, expected: 0 },
  ])('$promise', ({ count, elapsedMs, expected }) => {
    expect(perSecond(count, elapsedMs)).toBeCloseTo(expected, 10);
  });

  it('refuses an elapsed time of 0 ms rather than report Infinity', () => {
    expect(() => perSecond(10, 0)).toThrow('perSecond: elapsed time must be > 0 ms (got 0)');
  });
});

describe('ratio', () => {
  it.each<{ measured: number; baseline: number; expected: number }>([
    { measured: 10, baseline: 40, expected: 0.25 },
    { measured: 40, baseline: 40, expected: 1 },
  ])('is $measured / $baseline = $expected', ({ measured, baseline, expected }) => {
    expect(ratio(measured, baseline)).toBe(expected);
  });

  it('refuses a zero baseline', () => {
    expect(() => ratio(1, 0)).toThrow('ratio: baseline must be > 0 (got 0)');
  });
});

describe('round', () => {
  it.each<{ promise: string; value: number; decimals: number | undefined; expected: number }>([
    { promise: 'rounds to one decimal by default', value: 12.345, decimals: undefined, expected: 12.3 },
    { promise: 'rounds to the decimals asked for', value: 0.12345, decimals: 3, expected: 0.123 },
    { promise: 'leaves a whole number whole', value: 7, decimals: 2, expected: 7 },
  ])('$promise', ({ value, decimals, expected }) => {
    expect(round(value, decimals)).toBe(expected);
  });
});
