/**
 * Credit memos for accepted returns, and how a credit is spent: against open invoices first, the rest
 * refunded. Tax is credited with the same per-line rounding the invoice used, so returning a whole
 * line reverses exactly the tax billed on it.
 */
import { daysBetween } from '../calendar/business-days';
import { formatMoney, lineAmountMinor, sumMinor } from '../money';
import { applyBp, assertSafeInteger } from './rounding';

export interface CreditMemoInput {
  currency: string;
  /** Lines accepted at inspection, at the price they were invoiced. */
  acceptedLines: {
    ref: string;
    sku: string;
    quantity: number;
    unitPriceMinor: number;
    taxable?: boolean;
    taxRateBp?: number;
  }[];
  /** Restocking fee on the accepted merchandise, e.g. 1500 = 15%. */
  restockingFeeBp: number;
  /** The rate for lines that carry none of their own (invoices from before lines carried their rate). */
  taxRateBp: number;
  isTaxExempt: boolean;
}

export interface CreditMemoLine {
  ref: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  /** Positive: merchandise credited. */
  amountMinor: number;
  /** Positive: tax credited on this line. */
  taxMinor: number;
}

export interface CreditMemo {
  currency: string;
  lines: CreditMemoLine[];
  /** Sum of the line amounts. */
  merchandiseMinor: number;
  /** Negative (or 0): the fee keeps part of the credit. */
  restockingFeeMinor: number;
  /** Sum of the line taxes; the restocking fee is not taxed. */
  taxMinor: number;
  /** merchandiseMinor + restockingFeeMinor + taxMinor: the credit owed to the customer (>= 0). */
  totalMinor: number;
}

export type ComputeCreditMemoResult =
  { ok: true; memo: CreditMemo } | { ok: false; errors: { field: string; message: string }[] };

/**
 * Computes the credit memo for accepted return lines. Needs the lines (quantity and price as safe
 * integers: throws otherwise), the restocking fee and tax rate in basis points and the exemption flag.
 * Rules: line amount = quantity x unit price; tax per line = applyBp(amount, the line's own taxRateBp,
 * else the memo's) rounded half up per line exactly as on the invoice (0 when exempt or `taxable: false`); restocking fee =
 * -applyBp(merchandise total, restockingFeeBp), one rounding on the whole merchandise and not taxed,
 * because the fee is a charge for handling, not a sale. Note: a partial return of a line rounds its
 * own tax, so two partial returns of one line can differ by a minor unit from the line's invoiced tax.
 * Promises `{ ok: true, memo }` reconciling exactly (total = merchandise + fee + tax), or
 * `{ ok: false, errors }` for no lines, quantity <= 0, a negative price, or a fee or rate out of range.
 */
export function computeCreditMemo(input: CreditMemoInput): ComputeCreditMemoResult {
  input.acceptedLines.forEach((l, i) => {
    assertSafeInteger(l.quantity, `acceptedLines[${i}].quantity`);
    assertSafeInteger(l.unitPriceMinor, `acceptedLines[${i}].unitPriceMinor`);
  });
  assertSafeInteger(input.restockingFeeBp, 'restockingFeeBp');
  assertSafeInteger(input.taxRateBp, 'taxRateBp');
  input.acceptedLines.forEach(
    (l, i) => l.taxRateBp === undefined || assertSafeInteger(l.taxRateBp, `acceptedLines[${i}].taxRateBp`),
  );

  const errors: { field: string; message: string }[] = [];
  if (input.acceptedLines.length === 0)
    errors.push({ field: 'acceptedLines', message: 'a credit memo needs at least one accepted line (got 0)' });
  input.acceptedLines.forEach((l, i) => {
    const at = `acceptedLines[${i}]`;
    if (l.quantity <= 0)
      errors.push({ field: `${at}.quantity`, message: `${at} (${l.sku}): quantity must be > 0 (got ${l.quantity})` });
    if (l.unitPriceMinor < 0) {
      errors.push({
        field: `${at}.unitPriceMinor`,
        message: `${at} (${l.sku}): unit price must be >= 0 (got ${formatMoney(l.unitPriceMinor, input.currency)})`,
      });
    }
  });
  if (input.restockingFeeBp < 0 || input.restockingFeeBp > 10_000) {
    errors.push({
      field: 'restockingFeeBp',
      message: `restocking fee must be between 0 and 10000 bp (got ${input.restockingFeeBp} bp)`,
    });
  }
  if (input.taxRateBp < 0)
    errors.push({ field: 'taxRateBp', message: `tax rate must be >= 0 bp (got ${input.taxRateBp} bp)` });
  input.acceptedLines.forEach((l, i) => {
    if (l.taxRateBp !== undefined && l.taxRateBp < 0)
      errors.push({
        field: `acceptedLines[${i}].taxRateBp`,
        message: `acceptedLines[${i}] (${l.sku}): tax rate must be >= 0 bp (got ${l.taxRateBp} bp)`,
      });
  });
  if (errors.length > 0) return { ok: false, errors };

  const lines: CreditMemoLine[] = input.acceptedLines.map((l) => {
    const amountMinor = lineAmountMinor(l.unitPriceMinor, l.quantity);
    const isTaxed = !input.isTaxExempt && (l.taxable ?? true);
    return {
      ref: l.ref,
      sku: l.sku,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      amountMinor,
      taxMinor: isTaxed ? applyBp(amountMinor, l.taxRateBp ?? input.taxRateBp) : 0,
    };
  });
  const merchandiseMinor = sumMinor(lines.map((l) => l.amountMinor));
  const feeMinor = applyBp(merchandiseMinor, input.restockingFeeBp);
  const restockingFeeMinor = feeMinor === 0 ? 0 : -feeMinor;
  const taxMinor = sumMinor(lines.map((l) => l.taxMinor));
  return {
    ok: true,
    memo: {
      currency: input.currency,
      lines,
      merchandiseMinor,
      restockingFeeMinor,
      taxMinor,
      totalMinor: sumMinor([merchandiseMinor, restockingFeeMinor, taxMinor]),
    },
  };
}

export interface CreditApplication {
  invoiceId: string;
  appliedMinor: number;
  /** The invoice's balance after this application. */
  balanceAfterMinor: number;
}

/**
 * Spends a credit on a customer's open invoices, oldest due date first (ties by invoice id, so the
 * result is deterministic), each up to its balance, and returns what is left to refund. Needs a credit
 * >= 0 and the open invoices, all in the credit's currency (the caller filters), with safe-integer
 * balances (throws otherwise). Invoices with a balance <= 0 are skipped. Promises
 * sum(applications) + refundMinor === creditMinor, and an application only for invoices that receive
 * something.
 */
export function applyCreditToInvoices(
  creditMinor: number,
  openInvoices: readonly { invoiceId: string; dueDate: string; balanceMinor: number }[],
): { applications: CreditApplication[]; refundMinor: number } {
  assertSafeInteger(creditMinor, 'creditMinor');
  if (creditMinor < 0) throw new RangeError(`creditMinor must be >= 0 (got ${creditMinor})`);
  openInvoices.forEach((inv) => assertSafeInteger(inv.balanceMinor, `balance of invoice ${inv.invoiceId}`));

  const oldestFirst = [...openInvoices]
    .filter((inv) => inv.balanceMinor > 0)
    .sort(
      (a, b) =>
        daysBetween(b.dueDate, a.dueDate) || (a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0),
    );
  const applications: CreditApplication[] = [];
  let remainingMinor = creditMinor;
  for (const invoice of oldestFirst) {
    if (remainingMinor === 0) break;
    const appliedMinor = Math.min(remainingMinor, invoice.balanceMinor);
    applications.push({
      invoiceId: invoice.invoiceId,
      appliedMinor,
      balanceAfterMinor: invoice.balanceMinor - appliedMinor,
    });
    remainingMinor -= appliedMinor;
  }
  return { applications, refundMinor: remainingMinor };
}
