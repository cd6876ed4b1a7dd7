/**
 * The checks computeInvoice runs before any arithmetic: integers where money, quantities and rates
 * are (a float is a bug: thrown), then every business problem of the input, each naming its field and
 * value (returned, in the order of the input's fields).
 */
import { formatMoney } from '../money';
import { assertSafeInteger } from './rounding';
import type { FreightTerms, InvoiceError, InvoiceInput } from './invoice-calc';

const FREIGHT_TERMS: readonly FreightTerms[] = ['prepaid', 'collect', 'prepaid_and_add'];

type Money = (amountMinor: number) => string;

export function assertIntegers(input: InvoiceInput): void {
  input.lines.forEach((l, i) => {
    assertSafeInteger(l.quantity, `lines[${i}].quantity`);
    assertSafeInteger(l.unitPriceMinor, `lines[${i}].unitPriceMinor`);
  });
  assertSafeInteger(input.freight.carrierCostMinor, 'freight.carrierCostMinor');
  assertSafeInteger(input.freight.markupBp, 'freight.markupBp');
  input.accessorials.forEach((a, i) => assertSafeInteger(a.quantity, `accessorials[${i}].quantity`));
  for (const [code, fee] of Object.entries(input.feeTable))
    assertSafeInteger(fee.amountMinor, `feeTable.${code}.amountMinor`);
  assertSafeInteger(input.taxRateBp, 'taxRateBp');
  input.otifDeductions.forEach((d, i) => assertSafeInteger(d.penaltyBp, `otifDeductions[${i}].penaltyBp`));
}

export function validate(input: InvoiceInput): InvoiceError[] {
  const money = (amountMinor: number) => formatMoney(amountMinor, input.currency);
  return [
    ...lineErrors(input, money),
    ...freightErrors(input, money),
    ...feeErrors(input, money),
    ...(input.taxRateBp < 0
      ? [{ field: 'taxRateBp', message: `tax rate must be >= 0 bp (got ${input.taxRateBp} bp)` }]
      : []),
    ...otifErrors(input),
  ];
}

function lineErrors(input: InvoiceInput, money: Money): InvoiceError[] {
  const errors: InvoiceError[] = [];
  const seenRefs = new Set<string>();
  if (input.lines.length === 0) errors.push({ field: 'lines', message: 'an invoice needs at least one line (got 0)' });
  input.lines.forEach((line, i) => {
    const at = `lines[${i}]`;
    if (seenRefs.has(line.ref))
      errors.push({ field: `${at}.ref`, message: `${at}: line ref "${line.ref}" appears more than once` });
    seenRefs.add(line.ref);
    if (line.quantity < 0)
      errors.push({
        field: `${at}.quantity`,
        message: `${at} (${line.sku}): quantity shipped must be >= 0 (got ${line.quantity})`,
      });
    if (line.unitPriceMinor < 0) {
      errors.push({
        field: `${at}.unitPriceMinor`,
        message: `${at} (${line.sku}): unit price must be >= 0 (got ${money(line.unitPriceMinor)})`,
      });
    }
  });

  return errors;
}

function freightErrors(input: InvoiceInput, money: Money): InvoiceError[] {
  const errors: InvoiceError[] = [];
  const { terms, carrierCostMinor, markupBp } = input.freight;
  if (!FREIGHT_TERMS.includes(terms)) {
    errors.push({
      field: 'freight.terms',
      message: `freight terms must be one of ${FREIGHT_TERMS.join(', ')} (got ${JSON.stringify(terms)})`,
    });
  }
  if (carrierCostMinor < 0)
    errors.push({
      field: 'freight.carrierCostMinor',
      message: `freight carrier cost must be >= 0 (got ${money(carrierCostMinor)})`,
    });
  if (markupBp < 0)
    errors.push({ field: 'freight.markupBp', message: `freight markup must be >= 0 bp (got ${markupBp} bp)` });

  return errors;
}

/** Accessorials must name a fee of the table; the table's fees must not be negative. */
function feeErrors(input: InvoiceInput, money: Money): InvoiceError[] {
  const errors: InvoiceError[] = [];
  input.accessorials.forEach((a, i) => {
    const at = `accessorials[${i}]`;
    // Own properties only: a code such as "constructor" must not match Object.prototype.
    if (!Object.prototype.hasOwnProperty.call(input.feeTable, a.code)) {
      errors.push({
        field: `${at}.code`,
        message: `${at}: unknown accessorial code "${a.code}" (not in the fee table)`,
      });
    }
    if (a.quantity <= 0)
      errors.push({ field: `${at}.quantity`, message: `${at} (${a.code}): quantity must be > 0 (got ${a.quantity})` });
  });
  for (const [code, fee] of Object.entries(input.feeTable)) {
    if (fee.amountMinor < 0)
      errors.push({
        field: `feeTable.${code}.amountMinor`,
        message: `fee ${code}: amount must be >= 0 (got ${money(fee.amountMinor)})`,
      });
  }

  return errors;
}

/** Each penalty must hit a line of the invoice, and a line's penalties together cannot exceed it. */
function otifErrors(input: InvoiceInput): InvoiceError[] {
  const errors: InvoiceError[] = [];
  const seenRefs = new Set(input.lines.map((line) => line.ref));
  const penaltyBpByRef = new Map<string, number>();
  input.otifDeductions.forEach((d, i) => {
    const at = `otifDeductions[${i}]`;
    if (!seenRefs.has(d.lineRef))
      errors.push({ field: `${at}.lineRef`, message: `${at}: line ref "${d.lineRef}" is not a line of this invoice` });
    if (d.penaltyBp <= 0 || d.penaltyBp > 10_000) {
      errors.push({
        field: `${at}.penaltyBp`,
        message: `${at} (line ${d.lineRef}): penalty must be between 1 and 10000 bp (got ${d.penaltyBp} bp)`,
      });
    }
    penaltyBpByRef.set(d.lineRef, (penaltyBpByRef.get(d.lineRef) ?? 0) + d.penaltyBp);
  });
  // Several penalties may hit one line (late and short), but together they cannot take more than the line.
  for (const [lineRef, totalBp] of penaltyBpByRef) {
    if (totalBp > 10_000 && seenRefs.has(lineRef)) {
      errors.push({
        field: 'otifDeductions',
        message: `line ${lineRef}: OTIF penalties add up to ${totalBp} bp, more than the whole line (10000 bp)`,
      });
    }
  }
  return errors;
}
