import {
  applyCreditToInvoices,
  computeCreditMemo,
  type CreditMemo,
  type CreditMemoInput,
} from '../../../domain/billing/credit-memo';
import { combineInvoices, computeInvoice } from '../../../domain/billing/invoice-calc';

/** 4 x 24.99 and 1 x 50.00 accepted back, 15% restocking fee, 8.25% tax. */
const input = (overrides: Partial<CreditMemoInput> = {}): CreditMemoInput => ({
  currency: 'USD',
  acceptedLines: [
    { ref: 'L1', sku: 'PUMP-SEAL', quantity: 4, unitPriceMinor: 2499 },
    { ref: 'L2', sku: 'VALVE-12', quantity: 1, unitPriceMinor: 5000 },
  ],
  restockingFeeBp: 1500,
  taxRateBp: 825,
  isTaxExempt: false,
  ...overrides,
});

const memoOf = (i: CreditMemoInput): CreditMemo => {
  const result = computeCreditMemo(i);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.memo;
};

describe('computeCreditMemo', () => {
  it('credits merchandise and tax per line, keeps an untaxed restocking fee, and reconciles', () => {
    expect(memoOf(input())).toEqual({
      currency: 'USD',
      lines: [
        // 9996 x 8.25% = 824.67 -> 825
        { ref: 'L1', sku: 'PUMP-SEAL', quantity: 4, unitPriceMinor: 2499, amountMinor: 9996, taxMinor: 825 },
        // 5000 x 8.25% = 412.5 -> 413 (half up)
        { ref: 'L2', sku: 'VALVE-12', quantity: 1, unitPriceMinor: 5000, amountMinor: 5000, taxMinor: 413 },
      ],
      merchandiseMinor: 14_996,
      // 15% of 14996 = 2249.4 -> 2249, on the merchandise only
      restockingFeeMinor: -2_249,
      taxMinor: 1_238,
      totalMinor: 14_996 - 2_249 + 1_238,
    });
  });

  it.each([
    [
      'the standard case',
      {},
      { merchandiseMinor: 14_996, restockingFeeMinor: -2_249, taxMinor: 1_238, totalMinor: 13_985 },
    ],
    [
      'a tax-exempt customer',
      { isTaxExempt: true },
      { merchandiseMinor: 14_996, restockingFeeMinor: -2_249, taxMinor: 0, totalMinor: 12_747 },
    ],
    [
      'no restocking fee',
      { restockingFeeBp: 0 },
      { merchandiseMinor: 14_996, restockingFeeMinor: 0, taxMinor: 1_238, totalMinor: 16_234 },
    ],
    [
      'a fee whose half rounds up (10% of 15.05 = 1.505)',
      {
        acceptedLines: [{ ref: 'L1', sku: 'S', quantity: 1, unitPriceMinor: 1505 }],
        restockingFeeBp: 1000,
        taxRateBp: 0,
      },
      { merchandiseMinor: 1505, restockingFeeMinor: -151, taxMinor: 0, totalMinor: 1354 },
    ],
    [
      'a 100% restocking fee leaves only the tax',
      { restockingFeeBp: 10_000 },
      { merchandiseMinor: 14_996, restockingFeeMinor: -14_996, taxMinor: 1_238, totalMinor: 1_238 },
    ],
    [
      'a non-taxable line',
      { acceptedLines: [{ ref: 'L1', sku: 'S', quantity: 2, unitPriceMinor: 1000, taxable: false }] },
      { merchandiseMinor: 2000, restockingFeeMinor: -300, taxMinor: 0, totalMinor: 1700 },
    ],
  ])('totals reconcile for %s', (_why, overrides, expected) => {
    const memo = memoOf(input(overrides));
    expect(memo).toMatchObject(expected);
    expect(memo.totalMinor).toBe(memo.merchandiseMinor + memo.restockingFeeMinor + memo.taxMinor);
    expect(Object.is(memo.restockingFeeMinor, -0)).toBe(false);
  });

  it.each([
    [10, 1999, 825],
    [1, 5000, 825],
    [3, 333, 750],
    [7, 1, 5000],
  ])(
    'returning a whole line of %i x %i credits exactly the tax its invoice charged at %i bp',
    (quantity, unitPriceMinor, taxRateBp) => {
      const invoiced = computeInvoice({
        currency: 'USD',
        lines: [{ ref: 'L1', sku: 'S', description: 'd', quantity, unitPriceMinor }],
        freight: { terms: 'prepaid', carrierCostMinor: 0, markupBp: 0 },
        accessorials: [],
        feeTable: {},
        taxRateBp,
        isTaxExempt: false,
        otifDeductions: [],
      });
      if (!invoiced.ok) throw new Error('invoice failed');
      const memo = memoOf(
        input({ acceptedLines: [{ ref: 'L1', sku: 'S', quantity, unitPriceMinor }], taxRateBp, restockingFeeBp: 0 }),
      );
      expect(memo.lines[0]!.taxMinor).toBe(invoiced.invoice.lines[0]!.taxMinor);
    },
  );

  it('credits each line of a period invoice at the rate that line was charged, not one rate for all', () => {
    const part = (ref: string, taxRateBp: number) => {
      const computed = computeInvoice({
        currency: 'USD',
        lines: [{ ref, sku: ref, description: 'd', quantity: 4, unitPriceMinor: 2150 }],
        freight: { terms: 'prepaid', carrierCostMinor: 0, markupBp: 0 },
        accessorials: [],
        feeTable: {},
        taxRateBp,
        isTaxExempt: false,
        otifDeductions: [],
      });
      if (!computed.ok) throw new Error('invoice failed');
      return computed.invoice;
    };
    const invoice = combineInvoices([part('OH', 575), part('CA', 725)]);
    const memo = memoOf(
      input({
        // The invoice's headline rate is the first order's (575): the CA line must still be credited at 725.
        taxRateBp: 575,
        restockingFeeBp: 0,
        acceptedLines: invoice.lines.map((l) => ({
          ref: l.ref,
          sku: l.sku,
          quantity: l.quantity,
          unitPriceMinor: l.unitPriceMinor,
          taxRateBp: l.taxRateBp,
        })),
      }),
    );
    expect(memo.lines.map((l) => l.taxMinor)).toEqual(invoice.lines.map((l) => l.taxMinor));
    expect(memo.taxMinor).toBe(invoice.taxMinor);
  });

  it.each([
    ['no accepted lines', { acceptedLines: [] }, 'acceptedLines', 'at least one accepted line'],
    [
      'a quantity of 0',
      { acceptedLines: [{ ref: 'L1', sku: 'S', quantity: 0, unitPriceMinor: 1 }] },
      'acceptedLines[0].quantity',
      '(S): quantity must be > 0 (got 0)',
    ],
    [
      'a negative price',
      { acceptedLines: [{ ref: 'L1', sku: 'S', quantity: 1, unitPriceMinor: -1 }] },
      'acceptedLines[0].unitPriceMinor',
      'got -USD 0.01',
    ],
    ['a restocking fee above 100%', { restockingFeeBp: 10_001 }, 'restockingFeeBp', 'got 10001 bp'],
    ['a negative restocking fee', { restockingFeeBp: -1 }, 'restockingFeeBp', 'got -1 bp'],
    ['a negative tax rate', { taxRateBp: -1 }, 'taxRateBp', 'got -1 bp'],
  ])('refuses %s, naming the field and value', (_why, overrides, field, fragment) => {
    const result = computeCreditMemo(input(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ field, message: expect.stringContaining(fragment) });
  });
});

describe('applyCreditToInvoices', () => {
  const OPEN = [
    { invoiceId: 'INV-B', dueDate: '2026-03-15', balanceMinor: 30_000 },
    { invoiceId: 'INV-A', dueDate: '2026-02-01', balanceMinor: 10_000 },
    { invoiceId: 'INV-C', dueDate: '2026-03-15', balanceMinor: 20_000 },
    { invoiceId: 'INV-D', dueDate: '2026-01-01', balanceMinor: 0 },
  ];

  it.each([
    [
      'a credit covering some invoices: oldest due first, ties by id',
      50_000,
      [
        ['INV-A', 10_000, 0],
        ['INV-B', 30_000, 0],
        ['INV-C', 10_000, 10_000],
      ],
      0,
    ],
    [
      'a credit larger than everything open: the rest is refunded',
      100_000,
      [
        ['INV-A', 10_000, 0],
        ['INV-B', 30_000, 0],
        ['INV-C', 20_000, 0],
      ],
      40_000,
    ],
    ['a credit smaller than the oldest invoice', 2_500, [['INV-A', 2_500, 7_500]], 0],
    ['a credit of 0', 0, [], 0],
  ] as const)('applies %s', (_why, creditMinor, applications, refundMinor) => {
    const result = applyCreditToInvoices(creditMinor, OPEN);
    expect(result).toEqual({
      applications: applications.map(([invoiceId, appliedMinor, balanceAfterMinor]) => ({
        invoiceId,
        appliedMinor,
        balanceAfterMinor,
      })),
      refundMinor,
    });
    expect(result.applications.reduce((s, a) => s + a.appliedMinor, 0) + result.refundMinor).toBe(creditMinor);
  });

  it('refunds the whole credit when nothing is open', () => {
    expect(applyCreditToInvoices(13_985, [])).toEqual({ applications: [], refundMinor: 13_985 });
  });

  it('refuses a negative credit as a programmer error', () => {
    expect(() => applyCreditToInvoices(-1, OPEN)).toThrow(RangeError);
  });
});
