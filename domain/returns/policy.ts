/**
 * Return (RMA) policy: whether a customer's return request is allowed, and whether it can be approved
 * without a person. Every broken rule is reported, each on its line, so the customer fixes the request
 * in one round trip.
 */
import { assertIsoDate } from '../billing/payment-terms';
import { addCalendarDays, daysBetween } from '../calendar/business-days';
import { assertSafeInteger } from '../billing/rounding';

export interface ReturnRequestLine {
  sku: string;
  lotId?: string;
  quantity: number;
  reasonCode: string;
}

export interface ReturnPolicy {
  /** Calendar days after delivery during which a return may be requested (the last day included). */
  windowDays: number;
  nonReturnableSkus: string[];
  /** Requests worth at most this much (minor units) are approved automatically. */
  autoApproveMaxMinor: number;
  reasonCodes: string[];
}

export interface ReturnRequestError {
  /** 1-based line number of the request, or null for a problem with the whole request. */
  line: number | null;
  field: string;
  message: string;
}

export type ReturnCheckResult =
  | { ok: false; errors: ReturnRequestError[] }
  | { ok: true; decision: 'auto-approved' | 'needs-approval'; valueMinor: number };

/**
 * Checks a return request against the order and the return policy. Needs the request (lines and the
 * date it was requested), the delivery date, the policy, and per SKU the quantity delivered, the
 * quantity already returned and the unit price billed (every delivered SKU must have a price: a missing
 * one is a caller bug and throws, as do non-integer quantities or prices and malformed dates).
 * Rejects, as data, each of: a request made after the window (requested - delivered > windowDays; the
 * last day of the window is allowed) or before delivery; a SKU not on the order; a non-returnable SKU;
 * an unknown reason code; a quantity <= 0; a quantity above delivered minus already returned (lines of
 * the same SKU, e.g. different lots, count together). Promises all errors at once, each with its 1-based
 * line, the field and the values that broke the rule; otherwise the request's value (quantity x unit
 * price) and 'auto-approved' when it is at most autoApproveMaxMinor, else 'needs-approval'.
 */
export function checkReturnRequest(args: {
  request: { lines: ReturnRequestLine[]; requestedDate: string };
  deliveredDate: string;
  policy: ReturnPolicy;
  delivered: Record<string, number>;
  alreadyReturned: Record<string, number>;
  unitPrices: Record<string, number>;
}): ReturnCheckResult {
  const { request, deliveredDate, policy } = args;
  assertIsoDate(request.requestedDate, 'request.requestedDate');
  assertIsoDate(deliveredDate, 'deliveredDate');
  request.lines.forEach((l, i) => assertSafeInteger(l.quantity, `request.lines[${i}].quantity`));

  const errors: ReturnRequestError[] = [];
  if (request.lines.length === 0)
    errors.push({ line: null, field: 'lines', message: 'a return request needs at least one line (got 0)' });

  const windowError = returnWindowError(request.requestedDate, deliveredDate, policy.windowDays);
  if (windowError) errors.push(windowError);

  const nonReturnable = new Set(policy.nonReturnableSkus);
  const reasonCodes = new Set(policy.reasonCodes);
  const requestedBySku = new Map<string, number>();
  let valueMinor = 0;

  request.lines.forEach((line, i) => {
    const lineNo = i + 1;
    const at = `line ${lineNo} (${line.sku}${line.lotId === undefined ? '' : `, lot ${line.lotId}`})`;
    if (!reasonCodes.has(line.reasonCode)) {
      errors.push({
        line: lineNo,
        field: 'reasonCode',
        message: `${at}: unknown reason code "${line.reasonCode}" (allowed: ${policy.reasonCodes.join(', ')})`,
      });
    }
    if (line.quantity <= 0)
      errors.push({ line: lineNo, field: 'quantity', message: `${at}: quantity must be > 0 (got ${line.quantity})` });

    const deliveredQty = own(args.delivered, line.sku) ?? 0;
    if (deliveredQty <= 0) {
      errors.push({ line: lineNo, field: 'sku', message: `${at}: SKU ${line.sku} was not delivered on this order` });
      return;
    }
    if (nonReturnable.has(line.sku)) {
      errors.push({ line: lineNo, field: 'sku', message: `${at}: SKU ${line.sku} is not returnable` });
    }
    if (line.quantity <= 0) return;

    const returnedQty = own(args.alreadyReturned, line.sku) ?? 0;
    const returnableQty = deliveredQty - returnedQty;
    const requestedQty = (requestedBySku.get(line.sku) ?? 0) + line.quantity;
    requestedBySku.set(line.sku, requestedQty);
    if (requestedQty > returnableQty) {
      const earlierLines = requestedQty - line.quantity;
      errors.push({
        line: lineNo,
        field: 'quantity',
        message:
          `${at}: quantity ${line.quantity}${earlierLines > 0 ? ` (plus ${earlierLines} on earlier lines)` : ''} exceeds the ${returnableQty} returnable ` +
          `(${deliveredQty} delivered, ${returnedQty} already returned)`,
      });
    }

    const unitPriceMinor = own(args.unitPrices, line.sku);
    if (unitPriceMinor === undefined) throw new RangeError(`unitPrices has no price for delivered SKU ${line.sku}`);
    assertSafeInteger(unitPriceMinor, `unitPrices.${line.sku}`);
    valueMinor += unitPriceMinor * line.quantity;
    if (!Number.isSafeInteger(valueMinor)) throw new RangeError('return value exceeds the exact integer range');
  });

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    decision: valueMinor <= policy.autoApproveMaxMinor ? 'auto-approved' : 'needs-approval',
    valueMinor,
  };
}

// Own properties only: a SKU called "constructor" must not find Object.prototype's.
const own = (record: Record<string, number>, sku: string): number | undefined =>
  Object.prototype.hasOwnProperty.call(record, sku) ? record[sku] : undefined;

/** A request made after the window's last day, or before the goods arrived; undefined inside it. */
function returnWindowError(
  requestedDate: string,
  deliveredDate: string,
  windowDays: number,
): ReturnRequestError | undefined {
  const daysSinceDelivery = daysBetween(deliveredDate, requestedDate);
  if (daysSinceDelivery > windowDays) {
    return {
      line: null,
      field: 'requestedDate',
      message: `requested ${requestedDate} is ${daysSinceDelivery} days after delivery on ${deliveredDate}; the return window is ${windowDays} days (last day ${addCalendarDays(deliveredDate, windowDays)})`,
    };
  } else if (daysSinceDelivery < 0) {
    return {
      line: null,
      field: 'requestedDate',
      message: `requested ${requestedDate} is before delivery on ${deliveredDate}`,
    };
  }
  return undefined;
}
