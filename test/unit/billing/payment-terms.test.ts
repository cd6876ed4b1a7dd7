import { discountDeadline, dueDate, parsePaymentTerms, type PaymentTerms } from '../../../domain/billing/payment-terms';

const parsed = (text: string): PaymentTerms => {
  const result = parsePaymentTerms(text);
  if (!result.ok) throw new Error(result.reason);
  return result.terms;
};

describe('parsePaymentTerms', () => {
  it.each([
    ['NET30', { netDays: 30, label: 'NET30' }],
    ['NET60', { netDays: 60, label: 'NET60' }],
    ['NET90', { netDays: 90, label: 'NET90' }],
    ['2/10 NET30', { netDays: 30, discountBp: 200, discountDays: 10, label: '2/10 NET30' }],
    ['1/15 NET45', { netDays: 45, discountBp: 100, discountDays: 15, label: '1/15 NET45' }],
    ['  NET30 ', { netDays: 30, label: 'NET30' }],
  ])('reads %p as %p', (text, expected) => {
    expect(parsePaymentTerms(text)).toEqual({ ok: true, terms: expected });
  });

  it.each([
    ['NET 30', 'must be NETn'],
    ['net30', 'must be NETn'],
    ['', 'must be NETn'],
    ['2% 10 NET30', 'must be NETn'],
    ['CUSTOMER_DEFAULT', 'must be resolved'],
    ['NET0', 'net days must be > 0 (got 0)'],
    ['0/10 NET30', 'discount must be > 0% (got 0%)'],
    ['2/0 NET30', 'discount days must be > 0 and before the 30 net days (got 0)'],
    ['2/30 NET30', 'discount days must be > 0 and before the 30 net days (got 30)'],
  ])('refuses %p with a reason quoting it', (text, fragment) => {
    const result = parsePaymentTerms(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain(fragment);
      expect(result.reason).toContain(
        JSON.stringify(text.trim() === 'CUSTOMER_DEFAULT' ? 'CUSTOMER_DEFAULT' : text).slice(1, -1),
      );
    }
  });
});

describe('due dates and discount deadlines', () => {
  it.each([
    ['2026-01-31', 'NET30', '2026-03-02', 'rolls over a short February'],
    ['2028-01-31', 'NET30', '2028-03-01', 'counts 29 February in a leap year'],
    ['2026-12-15', 'NET30', '2027-01-14', 'crosses the year end'],
    ['2026-10-01', 'NET90', '2026-12-30', 'ninety calendar days'],
    ['2026-03-07', 'NET60', '2026-05-06', 'ignores the March daylight-saving change (UTC)'],
    ['2026-03-25', '2/10 NET30', '2026-04-24', 'uses the net days, not the discount days'],
  ])('invoice %s on %s is due %s (%s)', (invoiceDate, terms, expected) => {
    expect(dueDate(invoiceDate, parsed(terms))).toBe(expected);
  });

  it.each([
    ['2026-03-25', '2/10 NET30', '2026-04-04'],
    ['2026-02-20', '1/15 NET45', '2026-03-07'],
    ['2026-03-25', 'NET30', undefined],
  ])('invoice %s on %s may take its discount until %p', (invoiceDate, terms, expected) => {
    expect(discountDeadline(invoiceDate, parsed(terms))).toBe(expected);
  });
});

describe('malformed invoice dates', () => {
  it.each(['2026-02-30', '2026-2-1', '2026-13-01', '01/02/2026', '2026-01-01T00:00:00Z'])(
    'refuse %p as a programmer error, naming the parameter',
    (date) => {
      expect(() => dueDate(date, parsed('NET30'))).toThrow(
        `invoiceDate must be a calendar date as YYYY-MM-DD (got "${date}")`,
      );
      expect(() => discountDeadline(date, parsed('2/10 NET30'))).toThrow(RangeError);
    },
  );
});
