/**
 * Cash application: applying one customer payment to one invoice, with the early-payment discount and
 * idempotency by payment reference (a bank file replayed twice must not pay an invoice twice).
 */
import { FAILURES, type PaymentRefusalCode } from '../failures';
import { formatMoney } from '../money';
import { daysBetween } from '../calendar/business-days';
import { assertIsoDate, discountDeadline, type ParsedTerms } from './payment-terms';
import { applyBp, assertSafeInteger } from './rounding';

/** Where an invoice stands for cash application (not its stored status: see domain/statuses.ts). */
export type PayableStanding = 'open' | 'partially_paid' | 'paid' | 'void';

export interface PayableInvoice {
  /** Used in refusal messages ("USD 120.00"). */
  currency: string;
  totalMinor: number;
  /** Cash applied so far. */
  paidMinor: number;
  /** Early-payment discount already granted (0 until the discount is taken). */
  discountTakenMinor: number;
  invoiceDate: string;
  terms: ParsedTerms;
  status: PayableStanding;
}

export interface IncomingPayment {
  amountMinor: number;
  receivedDate: string;
  /** Bank or remittance reference: the idempotency key of the payment. */
  reference: string;
}

/** A refusal's `code` is its failure type in domain/failures.ts (the invoice workflow throws it as such). */
export type ApplyPaymentResult =
  | {
      ok: true;
      /** True when this reference was already applied: nothing changed. */
      duplicate: boolean;
      paidMinor: number;
      discountTakenMinor: number;
      /** Discount granted by this payment (0 unless this payment earned the early-payment discount). */
      discountAppliedMinor: number;
      balanceMinor: number;
      status: 'partially_paid' | 'paid';
    }
  | { ok: false; code: PaymentRefusalCode; reason: string };

/**
 * Applies a payment to an invoice and returns the invoice's new paid amount, discount, balance and
 * status (the caller persists them together with the reference). Needs the invoice with its parsed
 * terms, the payment and the references already applied to this invoice; money must be safe integers
 * and dates valid 'YYYY-MM-DD' (throws otherwise). Rules, in order:
 * - a void invoice refuses every payment;
 * - a reference already applied returns `{ ok: true, duplicate: true }` with the current figures,
 *   unchanged: replaying a bank file is harmless, even after the invoice was settled;
 * - an empty reference, an amount <= 0 or a paid invoice is refused;
 * - the early-payment discount (applyBp(total, discountBp), taken at most once) is granted when the
 *   payment is received on or before the discount deadline and its amount settles exactly the balance
 *   net of the discount. A payment of any other amount is applied at face value without discount: we
 *   never grant a discount the customer did not take, so a full gross payment inside the window
 *   settles the invoice without one;
 * - a payment above the open balance (total - paid - discount already taken) is refused with a reason
 *   stating both amounts; the cash stays unapplied for AR to refund or apply elsewhere.
 * Promises either the new state or `{ ok: false, code, reason }`; the balance never goes negative.
 */
export function applyPayment(args: {
  invoice: PayableInvoice;
  payment: IncomingPayment;
  alreadyAppliedReferences: readonly string[];
}): ApplyPaymentResult {
  const { invoice, payment } = args;
  assertSafeInteger(invoice.totalMinor, 'invoice.totalMinor');
  assertSafeInteger(invoice.paidMinor, 'invoice.paidMinor');
  assertSafeInteger(invoice.discountTakenMinor, 'invoice.discountTakenMinor');
  assertSafeInteger(payment.amountMinor, 'payment.amountMinor');
  assertIsoDate(invoice.invoiceDate, 'invoice.invoiceDate');
  assertIsoDate(payment.receivedDate, 'payment.receivedDate');

  const money = (amountMinor: number) => formatMoney(amountMinor, invoice.currency);
  const describe = `payment ${payment.receivedDate} of ${money(payment.amountMinor)}`;
  const balanceMinor = invoice.totalMinor - invoice.paidMinor - invoice.discountTakenMinor;
  const reference = payment.reference.trim();

  if (invoice.status === 'void') {
    return {
      ok: false,
      code: FAILURES.PaymentOnVoidInvoice.type,
      reason: `${describe} (reference ${reference}) refused: the invoice is void`,
    };
  }
  if (reference !== '' && args.alreadyAppliedReferences.some((r) => r.trim() === reference)) {
    return {
      ok: true,
      duplicate: true,
      paidMinor: invoice.paidMinor,
      discountTakenMinor: invoice.discountTakenMinor,
      discountAppliedMinor: 0,
      balanceMinor,
      status: balanceMinor <= 0 ? 'paid' : 'partially_paid',
    };
  }
  if (reference === '') {
    return {
      ok: false,
      code: FAILURES.PaymentWithoutReference.type,
      reason: `${describe} refused: reference must not be empty (it makes the payment idempotent)`,
    };
  }
  if (payment.amountMinor <= 0) {
    return {
      ok: false,
      code: FAILURES.PaymentNotPositive.type,
      reason: `${describe} (reference ${reference}) refused: amount must be > 0`,
    };
  }
  if (invoice.status === 'paid' || balanceMinor <= 0) {
    return {
      ok: false,
      code: FAILURES.PaymentOnPaidInvoice.type,
      reason: `${describe} (reference ${reference}) refused: the invoice is already paid`,
    };
  }

  const discountMinor = earnedDiscountMinor(invoice, payment, balanceMinor);
  if (payment.amountMinor > balanceMinor) {
    return {
      ok: false,
      code: FAILURES.Overpayment.type,
      reason: `${describe} exceeds the open balance ${money(balanceMinor)} (reference ${reference})`,
    };
  }
  const newBalanceMinor = balanceMinor - payment.amountMinor - discountMinor;
  return {
    ok: true,
    duplicate: false,
    paidMinor: invoice.paidMinor + payment.amountMinor,
    discountTakenMinor: invoice.discountTakenMinor + discountMinor,
    discountAppliedMinor: discountMinor,
    balanceMinor: newBalanceMinor,
    status: newBalanceMinor === 0 ? 'paid' : 'partially_paid',
  };
}

/**
 * The early-payment discount the terms offer on an invoice total (applyBp, half up), 0 when the terms
 * have none: the amount printed on the invoice is the amount a payment inside the window earns.
 */
export function earlyPaymentDiscountMinor(totalMinor: number, terms: Pick<ParsedTerms, 'discountBp'>): number {
  assertSafeInteger(totalMinor, 'totalMinor');
  return terms.discountBp === undefined ? 0 : applyBp(totalMinor, terms.discountBp);
}

/** The discount this payment earns: non-zero only inside the window and when it settles the net balance. */
function earnedDiscountMinor(invoice: PayableInvoice, payment: IncomingPayment, balanceMinor: number): number {
  const offer = discountOffer(invoice, payment.receivedDate, balanceMinor);
  return offer !== undefined && payment.amountMinor === offer.amountMinor ? offer.discountMinor : 0;
}

/** The early-payment discount still open to a payment received on `onDate`, if any. */
function discountOffer(invoice: PayableInvoice, onDate: string, balanceMinor: number): DiscountOffer | undefined {
  const deadline = discountDeadline(invoice.invoiceDate, invoice.terms);
  if (deadline === undefined || invoice.terms.discountBp === undefined) return undefined;
  if (invoice.discountTakenMinor !== 0) return undefined;
  if (daysBetween(onDate, deadline) < 0) return undefined;
  const discountMinor = earlyPaymentDiscountMinor(invoice.totalMinor, invoice.terms);
  // Nothing left to pay once the discount is off: no payment (amounts are > 0) can take it.
  if (discountMinor <= 0 || balanceMinor - discountMinor <= 0) return undefined;
  return { amountMinor: balanceMinor - discountMinor, discountMinor, deadline };
}

export interface DiscountOffer {
  /** The payment that settles the invoice with the discount: the open balance less the discount. */
  amountMinor: number;
  discountMinor: number;
  /** The last day a payment may be received and still take it. */
  deadline: string;
}

export interface AmountDue {
  /** The open balance: a payment of exactly this settles the invoice on any day (0 once paid or void). */
  amountDueMinor: number;
  /** Inside the early-payment window only: the smaller payment that settles the invoice there. */
  withDiscount?: DiscountOffer;
}

/**
 * What a payment received on `asOf` must be to settle the invoice: the open balance, and inside the
 * discount window the balance net of the discount. Decided by the same rules as `applyPayment`, so
 * paying `withDiscount.amountMinor` on or before `withDiscount.deadline` settles the invoice `paid`
 * with the discount taken, and paying `amountDueMinor` settles it on any day. Needs the invoice as
 * `applyPayment` does and a valid 'YYYY-MM-DD' date (throws otherwise).
 */
export function amountDue(invoice: PayableInvoice, asOf: string): AmountDue {
  assertSafeInteger(invoice.totalMinor, 'invoice.totalMinor');
  assertSafeInteger(invoice.paidMinor, 'invoice.paidMinor');
  assertSafeInteger(invoice.discountTakenMinor, 'invoice.discountTakenMinor');
  assertIsoDate(invoice.invoiceDate, 'invoice.invoiceDate');
  assertIsoDate(asOf, 'asOf');
  if (invoice.status === 'void' || invoice.status === 'paid') return { amountDueMinor: 0 };
  const balanceMinor = Math.max(0, invoice.totalMinor - invoice.paidMinor - invoice.discountTakenMinor);
  const withDiscount = discountOffer(invoice, asOf, balanceMinor);
  return withDiscount ? { amountDueMinor: balanceMinor, withDiscount } : { amountDueMinor: balanceMinor };
}
