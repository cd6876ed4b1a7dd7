import { AGING_CSV_HEADER, agingBuckets, agingCsv, type AgingInvoice } from '../../../domain/billing/aging';
import { addCalendarDays } from '../../../domain/calendar/business-days';

const AS_OF = '2026-06-30';
const inv = (overrides: Partial<AgingInvoice>): AgingInvoice => ({
  customerId: 'CUST-ACME',
  customerName: 'Acme Industrial',
  currency: 'USD',
  dueDate: AS_OF,
  balanceMinor: 100,
  ...overrides,
});

describe('agingBuckets', () => {
  it.each([
    [-15, 'current'],
    [0, 'current'],
    [1, 'd1_30'],
    [30, 'd1_30'],
    [31, 'd31_60'],
    [60, 'd31_60'],
    [61, 'd61_90'],
    [90, 'd61_90'],
    [91, 'd90_plus'],
    [400, 'd90_plus'],
  ])('puts an invoice %i days past due in %s', (daysOverdue, bucket) => {
    const report = agingBuckets([inv({ dueDate: addCalendarDays(AS_OF, -daysOverdue), balanceMinor: 12_345 })], AS_OF);
    const expected = { current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0, [bucket]: 12_345, totalMinor: 12_345 };
    expect(report.rows).toEqual([
      { customerId: 'CUST-ACME', customerName: 'Acme Industrial', currency: 'USD', ...expected },
    ]);
    expect(report.totals).toEqual([{ currency: 'USD', ...expected }]);
  });

  it('groups by customer and currency, never adding currencies together, with grand totals per currency', () => {
    const report = agingBuckets(
      [
        inv({ balanceMinor: 1_000, dueDate: '2026-07-15' }),
        inv({ balanceMinor: 2_000, dueDate: '2026-06-01' }),
        inv({ balanceMinor: 500, currency: 'EUR', dueDate: '2026-01-01' }),
        inv({ customerId: 'CUST-BOLT', customerName: 'Bolt & Co', balanceMinor: 300, dueDate: '2026-04-15' }),
        inv({ customerId: 'CUST-BOLT', customerName: 'Bolt & Co', balanceMinor: 0, dueDate: '2025-01-01' }),
        inv({ customerId: 'CUST-BOLT', customerName: 'Bolt & Co', balanceMinor: -50, dueDate: '2026-06-29' }),
      ],
      AS_OF,
    );
    expect(report.rows).toEqual([
      {
        customerId: 'CUST-ACME',
        customerName: 'Acme Industrial',
        currency: 'EUR',
        current: 0,
        d1_30: 0,
        d31_60: 0,
        d61_90: 0,
        d90_plus: 500,
        totalMinor: 500,
      },
      {
        customerId: 'CUST-ACME',
        customerName: 'Acme Industrial',
        currency: 'USD',
        current: 1_000,
        d1_30: 2_000,
        d31_60: 0,
        d61_90: 0,
        d90_plus: 0,
        totalMinor: 3_000,
      },
      {
        customerId: 'CUST-BOLT',
        customerName: 'Bolt & Co',
        currency: 'USD',
        current: 0,
        d1_30: -50,
        d31_60: 0,
        d61_90: 300,
        d90_plus: 0,
        totalMinor: 250,
      },
    ]);
    expect(report.totals).toEqual([
      { currency: 'EUR', current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 500, totalMinor: 500 },
      { currency: 'USD', current: 1_000, d1_30: 1_950, d31_60: 0, d61_90: 300, d90_plus: 0, totalMinor: 3_250 },
    ]);
  });

  it('returns an empty report when nothing is open', () => {
    expect(agingBuckets([inv({ balanceMinor: 0 })], AS_OF)).toEqual({ asOf: AS_OF, rows: [], totals: [] });
  });
});

describe('agingCsv', () => {
  it('writes a header, one line per customer and currency, and a TOTAL line per currency, amounts exact to the minor unit', () => {
    const report = agingBuckets(
      [
        inv({ balanceMinor: 123_450, dueDate: '2026-07-01' }),
        inv({ balanceMinor: 5, dueDate: '2026-05-01' }),
        inv({
          customerId: 'C-JP',
          customerName: 'Tokyo "Seiki", K.K.',
          currency: 'JPY',
          balanceMinor: 500_000,
          dueDate: '2026-01-01',
        }),
        inv({ customerId: 'C-X', customerName: '=HYPERLINK("http://x")', balanceMinor: -7, dueDate: '2026-06-30' }),
      ],
      AS_OF,
    );
    expect(agingCsv(report)).toBe(
      [
        AGING_CSV_HEADER,
        // Rows sort by customer name, by code unit: '=' sorts before letters.
        `C-X,"'=HYPERLINK(""http://x"")",USD,-0.07,0.00,0.00,0.00,0.00,-0.07`,
        'CUST-ACME,Acme Industrial,USD,1234.50,0.00,0.05,0.00,0.00,1234.55',
        'C-JP,"Tokyo ""Seiki"", K.K.",JPY,0,0,0,0,500000,500000',
        ',TOTAL,JPY,0,0,0,0,500000,500000',
        ',TOTAL,USD,1234.43,0.00,0.05,0.00,0.00,1234.48',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['USD', 123_456_789, '1234567.89', '0.00'],
    ['EUR', 1, '0.01', '0.00'],
    ['USD', -100, '-1.00', '0.00'],
    ['JPY', 1_234, '1234', '0'],
    ['KWD', 1_234, '1.234', '0.000'],
  ])("renders %s %i as %s, with the currency's own decimals", (currency, balanceMinor, amount, zero) => {
    const csv = agingCsv(agingBuckets([inv({ currency, balanceMinor })], AS_OF));
    expect(csv.split('\n')[1]).toBe(
      `CUST-ACME,Acme Industrial,${currency},${amount},${zero},${zero},${zero},${zero},${amount}`,
    );
  });
});
