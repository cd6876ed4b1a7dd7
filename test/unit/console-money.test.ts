import { formatMinor, minorToDecimalString, parseMoneyInput } from '../../console/src/finance/money';

describe('console money: integer minor units in and out, never a binary fraction', () => {
  it.each([
    [123456, 'USD', '$1,234.56'],
    [5, 'USD', '$0.05'],
    [-5, 'USD', '-$0.05'],
    [0, 'USD', '$0.00'],
    [1500, 'JPY', '¥1,500'],
    [1234567, 'KWD', 'KWD 1,234.567'],
    // 2^53 - 1 cents: dividing by 100 as a float would round the last digit.
    [9_007_199_254_740_991, 'USD', '$90,071,992,547,409.91'],
  ])('formats %p %s as %s', (amount, currency, text) => {
    expect(formatMinor(amount, currency, 'en-US').replace(/\u00a0/g, ' ')).toBe(text);
  });

  it('writes the exact decimal string', () => {
    expect(minorToDecimalString(1, 'USD')).toBe('0.01');
    expect(minorToDecimalString(-123, 'USD')).toBe('-1.23');
    expect(minorToDecimalString(7, 'JPY')).toBe('7');
  });

  it.each([
    ['1,234.56', 'USD', 123456],
    ['1234.5', 'USD', 123450],
    ['$ 20', 'USD', 2000],
    ['0.29', 'USD', 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ['4.35', 'USD', 435], // 4.35 * 100 is 434.99999999999994
    ['.5', 'USD', 50],
    ['1 500', 'JPY', 1500],
    ['1.234', 'KWD', 1234],
  ])('reads %p in %s as %p minor units', (input, currency, minor) => {
    expect(parseMoneyInput(input, currency)).toEqual({ ok: true, amountMinor: minor });
  });

  it.each([
    ['', 'USD', 'enter an amount'],
    ['12.345', 'USD', 'at most 2 decimals for USD'],
    ['12.5', 'JPY', 'JPY has no decimals'],
    ['-3', 'USD', 'must be more than zero'],
    ['0', 'USD', 'must be more than zero'],
    ['12,34', 'USD', 'not an amount: "12,34"'],
    ['1e5', 'USD', 'not an amount: "1e5"'],
    ['99999999999999999', 'USD', 'amount is too large'],
  ])('refuses %p in %s: %s', (input, currency, message) => {
    expect(parseMoneyInput(input, currency)).toEqual({ ok: false, message });
  });
});
