import { dsoByCurrency } from '../../../domain/billing/dso';

describe('dsoByCurrency', () => {
  it('computes one DSO per currency and never adds currencies together', () => {
    const result = dsoByCurrency(
      [
        { currency: 'USD', totalMinor: 100_000 },
        { currency: 'JPY', totalMinor: 10_000_000 },
        { currency: 'USD', totalMinor: 100_000 },
      ],
      [
        { currency: 'USD', balanceMinor: 50_000 },
        { currency: 'JPY', balanceMinor: 10_000_000 },
      ],
      30,
    );
    // USD: 50 000 / 200 000 x 30 = 7.5 days; JPY: all of it open = 30 days. Added together it would read 29.8.
    expect(result).toEqual([
      { currency: 'JPY', days: 30, invoicedMinor: 10_000_000, openMinor: 10_000_000 },
      { currency: 'USD', days: 7.5, invoicedMinor: 200_000, openMinor: 50_000 },
    ]);
  });

  it('leaves out a currency with open balances but nothing invoiced in the range', () => {
    expect(
      dsoByCurrency([{ currency: 'USD', totalMinor: 1_000 }], [{ currency: 'EUR', balanceMinor: 500 }], 10),
    ).toEqual([{ currency: 'USD', days: 0, invoicedMinor: 1_000, openMinor: 0 }]);
    expect(dsoByCurrency([], [{ currency: 'EUR', balanceMinor: 500 }], 10)).toEqual([]);
  });

  it('refuses a range of no days', () => {
    expect(() => dsoByCurrency([], [], 0)).toThrow('days must be a whole number >= 1 (got 0)');
  });
});
