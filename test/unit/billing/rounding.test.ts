import { allocateProportionally, applyBp, divideRoundHalfUp } from '../../../domain/billing/rounding';

describe('applyBp', () => {
  it.each([
    // amountMinor, bp, expected, why
    [1050, 1000, 105, 'exact'],
    [5, 1000, 1, '0.5 rounds up'],
    [15, 1000, 2, '1.5 rounds up'],
    [25, 1000, 3, '2.5 rounds up (not to even)'],
    [14, 1000, 1, '1.4 rounds down'],
    [1, 4999, 0, '0.4999 rounds down'],
    [1, 5000, 1, '0.5000 rounds up'],
    [-5, 1000, -1, '-0.5 rounds away from zero'],
    [-25, 1000, -3, '-2.5 rounds away from zero'],
    [-14, 1000, -1, '-1.4 rounds toward zero'],
    [0, 825, 0, 'zero stays zero'],
    [12345, 825, 1018, '1018.4625 rounds down'],
    [11000, 825, 908, '907.5 rounds up'],
    [Number.MAX_SAFE_INTEGER, 10000, Number.MAX_SAFE_INTEGER, 'the product exceeds 2^53 yet stays exact'],
    [Number.MAX_SAFE_INTEGER, 1, 900719925474, 'huge amounts keep exact digits'],
  ])('applyBp(%i, %i bp) is %i: %s', (amountMinor, bp, expected) => {
    expect(applyBp(amountMinor, bp)).toBe(expected);
  });

  it.each([1, 5, 15, 25, 49, 50, 51, 99_995, 12_345_678])(
    'is symmetric around zero for %i minor units at every rate',
    (amountMinor) => {
      for (const bp of [1, 50, 825, 1000, 5000, 9999]) {
        expect(applyBp(-amountMinor, bp) + applyBp(amountMinor, bp)).toBe(0);
      }
    },
  );

  it.each([
    [10.5, 100],
    [100, 8.25],
    [Number.NaN, 100],
  ])('refuses non-integer input (%p, %p) as a programmer error', (amountMinor, bp) => {
    expect(() => applyBp(amountMinor, bp)).toThrow(RangeError);
  });
});

describe('divideRoundHalfUp', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [5n, -2n, -3n],
    [-5n, -2n, 3n],
    [7n, 3n, 2n],
    [8n, 3n, 3n],
    [0n, 7n, 0n],
  ])('%p / %p rounds half away from zero to %p', (numerator, denominator, expected) => {
    expect(divideRoundHalfUp(numerator, denominator)).toBe(expected);
  });

  it('refuses a zero denominator', () => {
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});

describe('allocateProportionally', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [10, [1, 2, 3, 4], [1, 2, 3, 4]],
    [5, [3, 3, 3], [2, 2, 1]],
    [1, [1, 1], [1, 0]],
    [100, [0, 1], [0, 100]],
    [-1, [0, 1], [0, -1]],
    [0, [0, 0], [0, 0]],
    [1000, [333, 333, 334], [333, 333, 334]],
    [11000, [19990, 999, 7500], [7718, 386, 2896]],
  ])('splits %i over %p as %p', (totalMinor, weights, expected) => {
    expect(allocateProportionally(totalMinor, weights)).toEqual(expected);
  });

  it.each([
    [1, [1, 1, 1]],
    [99_999, [7, 11, 13, 17, 19]],
    [-12_345, [1, 0, 2, 0, 3]],
    [Number.MAX_SAFE_INTEGER, [1, 2, 3]],
  ])('parts of %i over %p always sum exactly to the total', (totalMinor, weights) => {
    const parts = allocateProportionally(totalMinor, weights);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(totalMinor);
  });

  it.each([
    ['no weights', 100, []],
    ['a negative weight', 100, [1, -1]],
    ['only zero weights for a non-zero total', 100, [0, 0]],
    ['a fractional weight', 100, [0.5, 1]],
  ])('refuses %s as a programmer error', (_why, totalMinor, weights) => {
    expect(() => allocateProportionally(totalMinor as number, weights as number[])).toThrow(RangeError);
  });
});
