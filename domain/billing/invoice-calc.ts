/**
 * Invoice arithmetic: shipped lines, freight, accessorial fees, OTIF deductions and tax, all in integer
 * minor units. The result reconciles exactly, so the PDF, the ERP posting and the AR balance agree to
 * the last minor unit.
 */
import { lineAmountMinor, sumMinor } from '../money';
import { applyBp } from './rounding';
import { assertIntegers, validate } from './invoice-validation';

export type FreightTerms = 'prepaid' | 'collect' | 'prepaid_and_add';

export interface InvoiceLineInput {
  /** Stable reference of the line (order line id), used by OTIF deductions. */
  ref: string;
  sku: string;
  description: string;
  /** Quantity shipped, not ordered: a customer is billed for what left the dock. */
  quantity: number;
  unitPriceMinor: number;
  /** Defaults to true. */
  taxable?: boolean;
}

export interface AccessorialFee {
  description: string;
  /** Price of one unit of the accessorial (one liftgate, one hour of detention...). */
  amountMinor: number;
  taxable: boolean;
}

export interface InvoiceInput {
  currency: string;
  lines: InvoiceLineInput[];
  freight: { terms: FreightTerms; carrierCostMinor: number; markupBp: number };
  accessorials: { code: string; quantity: number }[];
  feeTable: Record<string, AccessorialFee>;
  taxRateBp: number;
  isTaxExempt: boolean;
  /** On-time-in-full penalties the customer's contract allows it to deduct. */
  otifDeductions: { lineRef: string; penaltyBp: number; reason: string }[];
}

export interface InvoiceLine {
  ref: string;
  sku: string;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
  taxMinor: number;
  /**
   * The rate this line was taxed at (0 when exempt or not taxable): a period invoice bills orders
   * shipped to several places, and a return credits each line's tax at its own rate. Absent on
   * invoices computed before lines carried it (their invoice's taxRateBp applies).
   */
  taxRateBp?: number;
}

export interface InvoiceAccessorial {
  code: string;
  description: string;
  quantity: number;
  amountMinor: number;
  taxMinor: number;
}

export interface InvoiceDeduction {
  lineRef: string;
  reason: string;
  penaltyBp: number;
  /** Negative: a deduction reduces the total. */
  amountMinor: number;
}

export interface ComputedInvoice {
  currency: string;
  lines: InvoiceLine[];
  freightMinor: number;
  freightTaxMinor: number;
  accessorials: InvoiceAccessorial[];
  deductions: InvoiceDeduction[];
  /** Everything before tax: sum(lines) + freight + sum(accessorials) + sum(deductions). */
  subtotalMinor: number;
  /** sum(line tax) + freight tax + sum(accessorial tax). */
  taxMinor: number;
  /** subtotalMinor + taxMinor. */
  totalMinor: number;
}

export interface InvoiceError {
  /** Path of the offending input, e.g. "accessorials[1].code". */
  field: string;
  message: string;
}

export type ComputeInvoiceResult = { ok: true; invoice: ComputedInvoice } | { ok: false; errors: InvoiceError[] };

/**
 * Computes an invoice from the shipped lines. Needs the input above with safe-integer money, quantities
 * and rates (throws on non-integers: a float in money is a bug, not a business case). Rules:
 * - line amount = shipped quantity x unit price;
 * - freight: 'prepaid' -> 0 (we absorb it), 'collect' -> 0 (the customer pays the carrier),
 *   'prepaid_and_add' -> carrier cost + markupBp of it;
 * - accessorial amount = fee-table price x quantity; an unknown code is an error naming the code;
 * - OTIF deduction = -(penaltyBp of its line's amount), not taxed: the penalty is a price concession
 *   agreed after the sale, and the tax stays on the goods actually delivered;
 * - tax is computed and rounded per line (each goods line, freight, each accessorial) with applyBp
 *   (half up), then summed: every printed line carries its own tax, and a credit memo for that line
 *   reverses exactly the tax billed on it. Freight is taxable; an accessorial is taxable when its fee
 *   says so; a line is taxable unless `taxable: false`; a tax-exempt customer pays 0 tax everywhere.
 * Promises `{ ok: true, invoice }` whose totals reconcile exactly
 * (total = sum(lines) + freight + sum(accessorials) + sum(deductions) + tax), or `{ ok: false, errors }`
 * listing every problem found, each naming the field and the value.
 */
export function computeInvoice(input: InvoiceInput): ComputeInvoiceResult {
  assertIntegers(input);
  const errors = validate(input);
  if (errors.length > 0) return { ok: false, errors };

  const taxOn = (amountMinor: number, isTaxable: boolean): number =>
    input.isTaxExempt || !isTaxable ? 0 : applyBp(amountMinor, input.taxRateBp);

  const lines: InvoiceLine[] = input.lines.map((line) => {
    const amountMinor = lineAmountMinor(line.unitPriceMinor, line.quantity);
    const isTaxed = !input.isTaxExempt && (line.taxable ?? true);
    return {
      ref: line.ref,
      sku: line.sku,
      description: line.description,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      amountMinor,
      taxMinor: taxOn(amountMinor, line.taxable ?? true),
      taxRateBp: isTaxed ? input.taxRateBp : 0,
    };
  });

  const { terms, carrierCostMinor, markupBp } = input.freight;
  const freightMinor =
    terms === 'prepaid_and_add' ? sumMinor([carrierCostMinor, applyBp(carrierCostMinor, markupBp)]) : 0;
  const freightTaxMinor = taxOn(freightMinor, true);

  const accessorials: InvoiceAccessorial[] = input.accessorials.map((a) => {
    // validate() has checked every code exists.
    const fee = input.feeTable[a.code]!;
    const amountMinor = lineAmountMinor(fee.amountMinor, a.quantity);
    return {
      code: a.code,
      description: fee.description,
      quantity: a.quantity,
      amountMinor,
      taxMinor: taxOn(amountMinor, fee.taxable),
    };
  });

  const lineAmountByRef = new Map(lines.map((l) => [l.ref, l.amountMinor]));
  const deductions: InvoiceDeduction[] = input.otifDeductions.map((d) => {
    // validate() has checked every lineRef exists.
    const penaltyMinor = applyBp(lineAmountByRef.get(d.lineRef)!, d.penaltyBp);
    // A penalty that rounds to nothing is 0, not -0, so equality checks downstream stay simple.
    return {
      lineRef: d.lineRef,
      reason: d.reason,
      penaltyBp: d.penaltyBp,
      amountMinor: penaltyMinor === 0 ? 0 : -penaltyMinor,
    };
  });

  const subtotalMinor = sumMinor([
    ...lines.map((l) => l.amountMinor),
    freightMinor,
    ...accessorials.map((a) => a.amountMinor),
    ...deductions.map((d) => d.amountMinor),
  ]);
  const taxMinor = sumMinor([...lines.map((l) => l.taxMinor), freightTaxMinor, ...accessorials.map((a) => a.taxMinor)]);
  const totalMinor = sumMinor([subtotalMinor, taxMinor]);

  return {
    ok: true,
    invoice: {
      currency: input.currency,
      lines,
      freightMinor,
      freightTaxMinor,
      accessorials,
      deductions,
      subtotalMinor,
      taxMinor,
      totalMinor,
    },
  };
}

/**
 * One invoice from several computed ones (a period invoice: one part per order, each taxed at its own
 * ship-to's rate and under its own freight terms). Needs at least one part, all in one currency, with
 * line refs unique across parts. Lines and deductions are kept as they are; freight and its tax are
 * summed; accessorials of the same code are summed into one line. No rounding happens here: every
 * amount was rounded per line in its part, so the combined total is exactly the sum of the parts.
 */
export function combineInvoices(parts: ComputedInvoice[]): ComputedInvoice {
  if (parts.length === 0) throw new Error('combineInvoices needs at least one invoice');
  const currency = parts[0]!.currency;
  const other = parts.find((p) => p.currency !== currency);
  if (other) throw new Error(`cannot combine invoices in ${currency} and ${other.currency}: one currency per invoice`);
  const lines = parts.flatMap((p) => p.lines);
  const refs = new Set<string>();
  for (const line of lines) {
    if (refs.has(line.ref)) throw new Error(`cannot combine invoices: line ref "${line.ref}" appears in more than one`);
    refs.add(line.ref);
  }
  const accessorials = new Map<string, InvoiceAccessorial>();
  for (const a of parts.flatMap((p) => p.accessorials)) {
    const seen = accessorials.get(a.code);
    accessorials.set(
      a.code,
      seen
        ? {
            ...seen,
            quantity: seen.quantity + a.quantity,
            amountMinor: sumMinor([seen.amountMinor, a.amountMinor]),
            taxMinor: sumMinor([seen.taxMinor, a.taxMinor]),
          }
        : { ...a },
    );
  }
  const sumOf = (pick: (p: ComputedInvoice) => number) => sumMinor(parts.map(pick));
  return {
    currency,
    lines,
    freightMinor: sumOf((p) => p.freightMinor),
    freightTaxMinor: sumOf((p) => p.freightTaxMinor),
    accessorials: [...accessorials.values()],
    deductions: parts.flatMap((p) => p.deductions),
    subtotalMinor: sumOf((p) => p.subtotalMinor),
    taxMinor: sumOf((p) => p.taxMinor),
    totalMinor: sumOf((p) => p.totalMinor),
  };
}

export interface TaxAtRate {
  rateBp: number;
  taxMinor: number;
}

/**
 * The tax of an invoice grouped by rate, for printing: one row per distinct rate, in the order the
 * rates first appear. Needs each part's rate and the tax computeInvoice gave it (a per-shipment or
 * per-order invoice is one part; a period invoice one part per order). Sums only: every amount was
 * already rounded per line, so the rows add up to the invoice's tax exactly.
 */
export function taxByRate(parts: readonly { taxRateBp: number; taxMinor: number }[]): TaxAtRate[] {
  const byRate = new Map<number, number>();
  for (const part of parts) byRate.set(part.taxRateBp, sumMinor([byRate.get(part.taxRateBp) ?? 0, part.taxMinor]));
  return [...byRate].map(([rateBp, taxMinor]) => ({ rateBp, taxMinor }));
}
