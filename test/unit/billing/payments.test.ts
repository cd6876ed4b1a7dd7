import fc from 'fast-check';
import {
  amountDue,
  applyPayment,
  earlyPaymentDiscountMinor,
  type PayableInvoice,
  type IncomingPayment,
} from '../../../domain/billing/payments';
import { parsePaymentTerms, type ParsedTerms } from '../../../domain/billing/payment-terms';
import { addCalendarDays } from '../../../domain/calendar/business-days';

const terms = (text: string): ParsedTerms => {
  const result = parsePaymentTerms(text);
  if (!result.ok) throw new Error(result.reason);
  return result.terms;
};

/** USD 1,000.00 invoiced 2026-03-01 on 2/10 NET30: the discount (USD 20.00) may be taken until 2026-03-11. */
const invoice = (overrides: Partial<PayableInvoice> = {}): PayableInvoice => ({
  currency: 'USD',
  totalMinor: 100_000,
  paidMinor: 0,
  discountTakenMinor: 0,
  invoiceDate: '2026-03-01',
  terms: terms('2/10 NET30'),
  status: 'open',
  ...overrides,
});

/** Applies payments in order, carrying the invoice's state and the applied references forward. */
function applyAll(start: PayableInvoice, payments: Omit<IncomingPayment, 'reference'>[]) {
  let current = start;
  const references: string[] = [];
  const results = payments.map((p, i) => {
    const payment = { ...p, reference: `WIRE-${i + 1}` };
    const result = applyPayment({ invoice: current, payment, alreadyAppliedReferences: references });
    if (result.ok) {
      current = {
        ...current,
        paidMinor: result.paidMinor,
        discountTakenMinor: result.discountTakenMinor,
        status: result.status,
      };
      references.push(payment.reference);
    }
    return result;
  });
  return { results, last: results[results.length - 1]! };
}

describe('applyPayment', () => {
  it.each([
    ['one partial payment', [30_000], { status: 'partially_paid', paidMinor: 30_000, balanceMinor: 70_000 }],
    ['two partials reaching the total', [30_000, 70_000], { status: 'paid', paidMinor: 100_000, balanceMinor: 0 }],
    ['three partials reaching the total', [1, 49_999, 50_000], { status: 'paid', paidMinor: 100_000, balanceMinor: 0 }],
    ['a single full payment', [100_000], { status: 'paid', paidMinor: 100_000, balanceMinor: 0 }],
  ])('moves an invoice from partially paid to paid: %s', (_why, amounts, expected) => {
    const { last } = applyAll(
      invoice({ terms: terms('NET30') }),
      amounts.map((amountMinor) => ({ amountMinor, receivedDate: '2026-03-20' })),
    );
    expect(last).toMatchObject({ ok: true, duplicate: false, discountTakenMinor: 0, ...expected });
  });

  it.each([
    [
      'on the deadline, settling the net balance',
      [[98_000, '2026-03-11']],
      { status: 'paid', paidMinor: 98_000, discountTakenMinor: 2_000, balanceMinor: 0 },
    ],
    [
      'well inside the window',
      [[98_000, '2026-03-02']],
      { status: 'paid', paidMinor: 98_000, discountTakenMinor: 2_000, balanceMinor: 0 },
    ],
    [
      'one day after the deadline: no discount',
      [[98_000, '2026-03-12']],
      { status: 'partially_paid', paidMinor: 98_000, discountTakenMinor: 0, balanceMinor: 2_000 },
    ],
    [
      'a partial inside the window, then the net remainder inside it',
      [
        [50_000, '2026-03-05'],
        [48_000, '2026-03-10'],
      ],
      { status: 'paid', paidMinor: 98_000, discountTakenMinor: 2_000, balanceMinor: 0 },
    ],
    [
      'a partial inside the window, the remainder after it',
      [
        [50_000, '2026-03-05'],
        [48_000, '2026-03-12'],
      ],
      { status: 'partially_paid', paidMinor: 98_000, discountTakenMinor: 0, balanceMinor: 2_000 },
    ],
    [
      'the gross amount inside the window settles without a discount',
      [[100_000, '2026-03-05']],
      { status: 'paid', paidMinor: 100_000, discountTakenMinor: 0, balanceMinor: 0 },
    ],
    [
      'between net and gross inside the window: applied at face value',
      [[99_000, '2026-03-05']],
      { status: 'partially_paid', paidMinor: 99_000, discountTakenMinor: 0, balanceMinor: 1_000 },
    ],
    [
      'less than the net inside the window: no discount',
      [[97_000, '2026-03-05']],
      { status: 'partially_paid', paidMinor: 97_000, discountTakenMinor: 0, balanceMinor: 3_000 },
    ],
  ] as const)('early-payment discount: %s', (_why, payments, expected) => {
    const { last } = applyAll(
      invoice(),
      payments.map(([amountMinor, receivedDate]) => ({ amountMinor, receivedDate })),
    );
    expect(last).toMatchObject({ ok: true, ...expected });
  });

  it('computes the discount on the invoice total with half-up rounding (2% of 100.25 is 2.005 -> 2.01)', () => {
    const result = applyPayment({
      invoice: invoice({ totalMinor: 10_025 }),
      payment: { amountMinor: 9_824, receivedDate: '2026-03-05', reference: 'WIRE-1' },
      alreadyAppliedReferences: [],
    });
    expect(result).toMatchObject({
      ok: true,
      discountAppliedMinor: 201,
      discountTakenMinor: 201,
      balanceMinor: 0,
      status: 'paid',
    });
  });

  it('grants no discount on NET terms', () => {
    const result = applyPayment({
      invoice: invoice({ terms: terms('NET30') }),
      payment: { amountMinor: 98_000, receivedDate: '2026-03-02', reference: 'W' },
      alreadyAppliedReferences: [],
    });
    expect(result).toMatchObject({ ok: true, discountTakenMinor: 0, balanceMinor: 2_000, status: 'partially_paid' });
  });

  it.each([
    [
      'more than the open balance',
      { paidMinor: 88_000, status: 'partially_paid' as const, terms: terms('NET30') },
      15_000,
      '2026-12-01',
      'payment 2026-12-01 of USD 150.00 exceeds the open balance USD 120.00 (reference WIRE-9)',
    ],
    [
      'more than the gross total inside the discount window',
      {},
      100_001,
      '2026-03-05',
      'payment 2026-03-05 of USD 1,000.01 exceeds the open balance USD 1,000.00 (reference WIRE-9)',
    ],
    [
      'after the discount was taken, nothing is open',
      { paidMinor: 50_000, discountTakenMinor: 2_000, status: 'partially_paid' as const },
      48_001,
      '2026-03-20',
      'exceeds the open balance USD 480.00',
    ],
  ])('refuses an overpayment (%s), stating both amounts', (_why, overrides, amountMinor, receivedDate, reason) => {
    const before = invoice(overrides);
    const result = applyPayment({
      invoice: before,
      payment: { amountMinor, receivedDate, reference: 'WIRE-9' },
      alreadyAppliedReferences: [],
    });
    expect(result).toEqual({ ok: false, code: 'overpayment', reason: expect.stringContaining(reason) });
  });

  it.each([
    [
      'on a partially paid invoice',
      { paidMinor: 30_000, status: 'partially_paid' as const },
      { paidMinor: 30_000, balanceMinor: 70_000, status: 'partially_paid' },
    ],
    [
      'on an invoice the payment already settled',
      { paidMinor: 100_000, status: 'paid' as const },
      { paidMinor: 100_000, balanceMinor: 0, status: 'paid' },
    ],
    [
      'after the discount was taken',
      { paidMinor: 98_000, discountTakenMinor: 2_000, status: 'paid' as const },
      { paidMinor: 98_000, discountTakenMinor: 2_000, balanceMinor: 0, status: 'paid' },
    ],
  ])('is idempotent by reference: a replayed payment %s changes nothing', (_why, overrides, expected) => {
    const result = applyPayment({
      invoice: invoice(overrides),
      payment: { amountMinor: 30_000, receivedDate: '2026-03-05', reference: ' WIRE-1 ' },
      alreadyAppliedReferences: ['WIRE-0', 'WIRE-1'],
    });
    expect(result).toMatchObject({ ok: true, duplicate: true, discountAppliedMinor: 0, ...expected });
  });

  it.each([
    [
      'a void invoice',
      { status: 'void' as const },
      { amountMinor: 100, reference: 'W' },
      'invoice-void',
      'the invoice is void',
    ],
    [
      'a void invoice, even for a known reference',
      { status: 'void' as const },
      { amountMinor: 100, reference: 'WIRE-OLD' },
      'invoice-void',
      'the invoice is void',
    ],
    [
      'a paid invoice',
      { status: 'paid' as const, paidMinor: 100_000 },
      { amountMinor: 100, reference: 'W' },
      'invoice-already-paid',
      'already paid',
    ],
    [
      'an amount of 0',
      {},
      { amountMinor: 0, reference: 'W' },
      'non-positive-amount',
      'of USD 0.00 (reference W) refused: amount must be > 0',
    ],
    ['a negative amount', {}, { amountMinor: -500, reference: 'W' }, 'non-positive-amount', 'of -USD 5.00'],
    [
      'an empty reference',
      {},
      { amountMinor: 100, reference: '  ' },
      'missing-reference',
      'reference must not be empty',
    ],
  ])('refuses a payment on %s', (_why, overrides, payment, code, fragment) => {
    const result = applyPayment({
      invoice: invoice(overrides),
      payment: { receivedDate: '2026-03-05', ...payment },
      alreadyAppliedReferences: ['WIRE-OLD'],
    });
    expect(result).toEqual({ ok: false, code, reason: expect.stringContaining(fragment) });
  });

  it('throws on a fractional amount: floats in money are a programmer error', () => {
    expect(() =>
      applyPayment({
        invoice: invoice(),
        payment: { amountMinor: 10.5, receivedDate: '2026-03-05', reference: 'W' },
        alreadyAppliedReferences: [],
      }),
    ).toThrow(RangeError);
  });
});

describe('earlyPaymentDiscountMinor (the discount printed on the invoice)', () => {
  it.each([
    ['2/10 NET30 on USD 7,927.14', 792_714, '2/10 NET30', 15_854],
    ['half a cent rounds up', 25, '2/10 NET30', 1],
    ['no discount in NET30', 792_714, 'NET30', 0],
  ])('%s', (_name, totalMinor, text, expected) => {
    const parsed = parsePaymentTerms(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(earlyPaymentDiscountMinor(totalMinor, parsed.terms)).toBe(expected);
  });

  it('is exactly the discount a payment inside the window earns', () => {
    const parsed = parsePaymentTerms('2/10 NET30');
    if (!parsed.ok) throw new Error(parsed.reason);
    const totalMinor = 792_714;
    const printed = earlyPaymentDiscountMinor(totalMinor, parsed.terms);
    const paid = applyPayment({
      invoice: {
        currency: 'USD',
        totalMinor,
        paidMinor: 0,
        discountTakenMinor: 0,
        invoiceDate: '2026-12-10',
        terms: parsed.terms,
        status: 'open',
      },
      payment: { amountMinor: totalMinor - printed, receivedDate: '2026-12-20', reference: 'BANK-1' },
      alreadyAppliedReferences: [],
    });
    expect(paid).toMatchObject({ ok: true, discountAppliedMinor: printed, balanceMinor: 0, status: 'paid' });
  });
});

describe('amountDue', () => {
  it.each([
    [
      'inside the window: the balance, and the net of the 2% discount until the deadline',
      {},
      '2026-03-05',
      { amountDueMinor: 100_000, withDiscount: { amountMinor: 98_000, discountMinor: 2_000, deadline: '2026-03-11' } },
    ],
    [
      'on the deadline itself',
      {},
      '2026-03-11',
      { amountDueMinor: 100_000, withDiscount: { amountMinor: 98_000, discountMinor: 2_000, deadline: '2026-03-11' } },
    ],
    ['the day after the deadline: the balance only', {}, '2026-03-12', { amountDueMinor: 100_000 }],
    ['NET terms: the balance only', { terms: terms('NET30') }, '2026-03-05', { amountDueMinor: 100_000 }],
    [
      'partly paid inside the window: the discount still comes off the rest',
      { paidMinor: 50_000, status: 'partially_paid' as const },
      '2026-03-05',
      { amountDueMinor: 50_000, withDiscount: { amountMinor: 48_000, discountMinor: 2_000, deadline: '2026-03-11' } },
    ],
    [
      'paid down to the discount or less: nothing a payment could take it with',
      { paidMinor: 98_000, status: 'partially_paid' as const },
      '2026-03-05',
      { amountDueMinor: 2_000 },
    ],
    [
      'after the discount was taken',
      { paidMinor: 50_000, discountTakenMinor: 2_000, status: 'partially_paid' as const },
      '2026-03-05',
      { amountDueMinor: 48_000 },
    ],
    ['paid', { paidMinor: 100_000, status: 'paid' as const }, '2026-03-05', { amountDueMinor: 0 }],
    ['void', { status: 'void' as const }, '2026-03-05', { amountDueMinor: 0 }],
  ])('%s', (_why, overrides, asOf, expected) => {
    expect(amountDue(invoice(overrides), asOf)).toEqual(expected);
  });

  it('is exactly what applyPayment settles: the discounted amount inside the window, the full amount on any day', () => {
    const state = fc.record({
      totalMinor: fc.integer({ min: 1, max: 10_000_000 }),
      paidShare: fc.double({ min: 0, max: 1, noNaN: true }),
      terms: fc.constantFrom('NET30', '2/10 NET30', '1/15 NET45', '3/5 NET60'),
      receivedAfterDays: fc.integer({ min: -2, max: 70 }),
    });
    fc.assert(
      fc.property(state, ({ totalMinor, paidShare, terms: text, receivedAfterDays }) => {
        const paidMinor = Math.floor(totalMinor * paidShare);
        const before = invoice({
          totalMinor,
          paidMinor,
          terms: terms(text),
          status: paidMinor === 0 ? 'open' : paidMinor === totalMinor ? 'paid' : 'partially_paid',
        });
        const receivedDate = addCalendarDays(before.invoiceDate, receivedAfterDays);
        const due = amountDue(before, receivedDate);
        const pay = (amountMinor: number) =>
          applyPayment({
            invoice: before,
            payment: { amountMinor, receivedDate, reference: 'WIRE-P' },
            alreadyAppliedReferences: [],
          });
        if (due.amountDueMinor === 0) {
          expect(before.status).toBe('paid');
          return;
        }
        expect(pay(due.amountDueMinor)).toMatchObject({ ok: true, status: 'paid', balanceMinor: 0 });
        if (due.withDiscount) {
          expect(pay(due.withDiscount.amountMinor)).toMatchObject({
            ok: true,
            status: 'paid',
            balanceMinor: 0,
            discountAppliedMinor: due.withDiscount.discountMinor,
          });
          expect(receivedDate <= due.withDiscount.deadline).toBe(true);
        } else {
          // No amount below the balance settles it: the discount is not on offer that day.
          const result = pay(due.amountDueMinor - 1);
          if (result.ok) expect(result).toMatchObject({ status: 'partially_paid', discountAppliedMinor: 0 });
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
