/**
 * Business validation of an order's lines against the customer, the catalogue and the price book, after
 * the API has checked the shape of the request. Every violation is returned, not just the first, so a
 * customer service rep can fix an order in one round trip.
 */
import { formatMoney } from '../money';

export interface OrderLineInput {
  sku: string;
  quantity: number;
  /** Price per unit in minor units as sent by the customer, or 'contract' to use the contract price. */
  unitPriceMinor: number | 'contract';
}

export interface PriceEntry {
  unitPriceMinor: number;
  currency: string;
}

export interface ValidateOrderLinesInput {
  currency: string;
  lines: readonly OrderLineInput[];
  customer: { id: string; currency: string; isActive: boolean } | undefined;
  /** The customer id the order named, for the message when no such customer exists. */
  customerIdGiven: string;
  skus: Readonly<Record<string, { sku: string; isActive: boolean }>>;
  /** This customer's contract prices, by SKU. */
  contractPrices: Readonly<Record<string, PriceEntry>>;
  listPrices: Readonly<Record<string, PriceEntry>>;
  /** How far a sent price may be from the reference price, in basis points of the reference price. */
  priceToleranceBp: number;
}

export type PriceSource = 'contract' | 'list' | 'sent';

export interface ValidatedOrderLine {
  /** 1-based position of the line in the order. */
  lineNo: number;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  priceSource: PriceSource;
}

export interface OrderValidationError {
  line?: number;
  field: string;
  message: string;
}

export type OrderValidationResult =
  { ok: true; lines: ValidatedOrderLine[] } | { ok: false; errors: OrderValidationError[] };

const BP_PER_WHOLE = 10_000n;

const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** Sent prices accepted against a reference price: [ceil(ref x (1 - tol)), floor(ref x (1 + tol))], exact. */
function acceptedRange(referenceMinor: number, toleranceBp: number): { min: bigint; max: bigint } {
  const ref = BigInt(referenceMinor);
  const tol = BigInt(toleranceBp);
  const lowNumerator = ref * (BP_PER_WHOLE - tol);
  const min = lowNumerator <= 0n ? 0n : (lowNumerator + BP_PER_WHOLE - 1n) / BP_PER_WHOLE;
  const max = (ref * (BP_PER_WHOLE + tol)) / BP_PER_WHOLE;
  return { min, max };
}

type Priced = { ok: true; unitPriceMinor: number; priceSource: PriceSource } | { ok: false; message: string };

function priceLine(line: OrderLineInput, lineNo: number, input: ValidateOrderLinesInput): Priced {
  const { currency, priceToleranceBp } = input;
  const contract = input.contractPrices[line.sku];
  const customerId = input.customer?.id ?? input.customerIdGiven;

  if (line.unitPriceMinor === 'contract') {
    if (!contract)
      return {
        ok: false,
        message: `line ${lineNo}: unitPriceMinor is "contract" but customer "${customerId}" has no contract price for SKU "${line.sku}"`,
      };
    if (contract.currency !== currency) {
      return {
        ok: false,
        message: `line ${lineNo}: the contract price for SKU "${line.sku}" is in ${contract.currency} but the order is in ${currency}`,
      };
    }
    return { ok: true, unitPriceMinor: contract.unitPriceMinor, priceSource: 'contract' };
  }

  const sent = line.unitPriceMinor;
  if (!Number.isSafeInteger(sent) || sent < 0) {
    return {
      ok: false,
      message: `line ${lineNo}: unitPriceMinor must be a non-negative integer of minor units or "contract" (got ${shown(sent)})`,
    };
  }
  // A contract price, when there is one, is the customer's negotiated price and overrides the list.
  const listPrice = input.listPrices[line.sku];
  const reference = contract
    ? { kind: 'contract' as const, price: contract }
    : listPrice
      ? { kind: 'list' as const, price: listPrice }
      : undefined;
  // Nothing to check against (a quote-only item): the sent price stands, marked as such.
  if (!reference) return { ok: true, unitPriceMinor: sent, priceSource: 'sent' };
  const { kind, price } = reference;
  if (price.currency !== currency) {
    return {
      ok: false,
      message: `line ${lineNo}: the ${kind} price for SKU "${line.sku}" is in ${price.currency} but the order is in ${currency}, so unitPriceMinor ${sent} cannot be checked`,
    };
  }
  const { min, max } = acceptedRange(price.unitPriceMinor, priceToleranceBp);
  const sentBig = BigInt(sent);
  if (sentBig < min || sentBig > max) {
    return {
      ok: false,
      message:
        `line ${lineNo}: unitPriceMinor ${sent} (${formatMoney(sent, currency)}) differs from the ${kind} price ` +
        `${price.unitPriceMinor} (${formatMoney(price.unitPriceMinor, currency)}) by more than the ${priceToleranceBp} bp tolerance ` +
        `(accepted: ${min} to ${max})`,
    };
  }
  // Within tolerance the reference price is billed: the tolerance absorbs rounding in the customer's
  // purchasing system, it does not renegotiate the price.
  return { ok: true, unitPriceMinor: price.unitPriceMinor, priceSource: kind };
}

/**
 * Validates an order's customer, currency and lines and prices every line. Needs an integer
 * `priceToleranceBp >= 0` (throws otherwise: it is configuration, not customer input). Rejects, with one
 * error per violation naming the line, the field and the offending value: an unknown or inactive customer,
 * an order currency other than the customer's, an order without lines, an unknown or inactive SKU, a
 * quantity that is not a positive integer, 'contract' without a contract price for the SKU, a sent price
 * that is not a non-negative integer, a reference price in another currency, and a sent price further
 * than the tolerance from the contract price (or, without one, the list price); a difference of exactly
 * the tolerance is accepted. Repeated SKUs are allowed. Promises, when ok, one priced line per input line
 * in order: 'contract' lines and sent prices within tolerance are billed at the reference price
 * (priceSource 'contract' or 'list'); a sent price for a SKU with neither price stands as sent
 * (priceSource 'sent').
 */
export function validateOrderLines(input: ValidateOrderLinesInput): OrderValidationResult {
  const { customer, currency, lines } = input;
  if (!Number.isSafeInteger(input.priceToleranceBp) || input.priceToleranceBp < 0) {
    throw new RangeError(`priceToleranceBp must be a non-negative integer (got ${input.priceToleranceBp})`);
  }
  const errors: OrderValidationError[] = [];
  if (!customer) {
    errors.push({ field: 'customerId', message: `unknown customer "${input.customerIdGiven}"` });
  } else {
    if (!customer.isActive) errors.push({ field: 'customerId', message: `customer "${customer.id}" is inactive` });
    if (customer.currency !== currency) {
      errors.push({
        field: 'currency',
        message: `order currency "${currency}" differs from customer "${customer.id}" currency "${customer.currency}"`,
      });
    }
  }
  if (lines.length === 0) errors.push({ field: 'lines', message: 'order must have at least one line (got 0)' });

  const validated: ValidatedOrderLine[] = [];
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const sku = input.skus[line.sku];
    if (!sku) errors.push({ line: lineNo, field: 'sku', message: `line ${lineNo}: unknown SKU "${line.sku}"` });
    else if (!sku.isActive)
      errors.push({ line: lineNo, field: 'sku', message: `line ${lineNo}: SKU "${line.sku}" is inactive` });
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      errors.push({
        line: lineNo,
        field: 'quantity',
        message: `line ${lineNo}: quantity must be a positive integer (got ${shown(line.quantity)})`,
      });
    }
    // An unknown SKU has no price to check; saying so once is enough.
    if (!sku) return;
    const priced = priceLine(line, lineNo, input);
    if (!priced.ok) {
      errors.push({ line: lineNo, field: 'unitPriceMinor', message: priced.message });
      return;
    }
    validated.push({
      lineNo,
      sku: line.sku,
      quantity: line.quantity,
      unitPriceMinor: priced.unitPriceMinor,
      priceSource: priced.priceSource,
    });
  });

  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines: validated };
}
