import {
  applyCreditToLedger,
  netTotalMinor,
  openBalanceMinor,
  reportedBalanceMinor,
  type LedgerFigures,
} from '../../../domain/billing/invoice-ledger';

const figures = (overrides: Partial<LedgerFigures> = {}): LedgerFigures => ({
  totalMinor: 100_000,
  paidMinor: 0,
  discountTakenMinor: 0,
  creditedMinor: 0,
  ...overrides,
});

describe('openBalanceMinor', () => {
  it.each([
    ['nothing applied', figures(), 100_000],
    ['part paid', figures({ paidMinor: 30_000 }), 70_000],
    ['paid with the early-payment discount', figures({ paidMinor: 98_000, discountTakenMinor: 2_000 }), 0],
    ['part credited', figures({ creditedMinor: 25_000 }), 75_000],
    [
      'paid, discounted and credited',
      figures({ paidMinor: 50_000, discountTakenMinor: 1_000, creditedMinor: 9_000 }),
      40_000,
    ],
    ['overpaid (a payment the figures took as it came)', figures({ paidMinor: 100_500 }), -500],
    ['an empty invoice', figures({ totalMinor: 0 }), 0],
  ])('%s', (_case, f, expected) => {
    expect(openBalanceMinor(f)).toBe(expected);
  });

  it('subtracts database bigints exactly, beyond the safe-integer range', () => {
    const big = { totalMinor: 2n ** 60n + 7n, paidMinor: 3n, discountTakenMinor: 2n, creditedMinor: 1n };
    expect(openBalanceMinor(big)).toBe(2n ** 60n + 1n);
  });
});

describe('reportedBalanceMinor', () => {
  const partPaid = figures({ paidMinor: 30_000, creditedMinor: 10_000 });
  it.each([
    [undefined, 60_000],
    ['draft', 60_000],
    ['issued', 60_000],
    ['sent', 60_000],
    ['partially_paid', 60_000],
    ['overdue', 60_000],
    ['paid', 60_000], // the figures decide: a paid invoice's balance is already 0 when its figures add up
    ['credited', 60_000],
    ['void', 0],
    ['written_off', 0],
  ])('status %s', (status, expected) => {
    expect(reportedBalanceMinor(partPaid, status)).toBe(expected);
  });

  it.each([
    ['sent', 600],
    ['void', 0],
    ['written_off', 0],
  ])('a database row (bigints) with status %s', (status, expected) => {
    expect(
      reportedBalanceMinor(
        { totalMinor: 1_000n, paidMinor: 300n, discountTakenMinor: 0n, creditedMinor: 100n },
        status,
      ),
    ).toBe(expected);
  });
});

describe('netTotalMinor', () => {
  it.each([
    [figures(), 100_000],
    [figures({ creditedMinor: 40_000, paidMinor: 10_000 }), 60_000],
  ])('%j', (f, expected) => {
    expect(netTotalMinor(f)).toBe(expected);
  });

  it('on bigints', () => {
    expect(netTotalMinor({ totalMinor: 500n, creditedMinor: 200n })).toBe(300n);
  });
});

describe('applyCreditToLedger', () => {
  it.each([
    ['part of an open invoice', figures(), 40_000, { creditedMinor: 40_000, balanceMinor: 60_000 }],
    ['all of an open invoice', figures(), 100_000, { creditedMinor: 100_000, balanceMinor: 0, settlesAs: 'credited' }],
    [
      'the rest of a part-paid invoice',
      figures({ paidMinor: 70_000 }),
      30_000,
      { creditedMinor: 30_000, balanceMinor: 0, settlesAs: 'paid' },
    ],
    [
      'the rest after a discount, nothing paid',
      figures({ discountTakenMinor: 2_000, creditedMinor: 50_000 }),
      48_000,
      { creditedMinor: 98_000, balanceMinor: 0, settlesAs: 'credited' },
    ],
    [
      'a second memo, still open',
      figures({ paidMinor: 10_000, creditedMinor: 20_000 }),
      5_000,
      { creditedMinor: 25_000, balanceMinor: 65_000 },
    ],
  ])('%s', (_case, f, amountMinor, expected) => {
    expect(applyCreditToLedger(f, amountMinor)).toEqual(expected);
  });
});
