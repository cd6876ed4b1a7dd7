/**
 * Payment terms ("NET30", "2/10 NET30") and the due dates they give. Dates are ISO 'YYYY-MM-DD' calendar
 * days computed in UTC (domain/calendar), so a due date never shifts with the server's time zone or a
 * daylight-saving change.
 */
import { addCalendarDays, isIsoDate } from '../calendar/business-days';

/** The grammar of terms the closed-won API accepts (kept here so workflows can parse terms without zod). */
export const PAYMENT_TERMS_PATTERN = /^(?:(\d{1,2})\/(\d{1,3}) )?NET(\d{1,3})$/;

/** Parsed payment terms: net days, plus an optional early-payment discount. */
export interface PaymentTerms {
  /** Days after the invoice date when the invoice falls due. */
  netDays: number;
  /** Early-payment discount in basis points (2% = 200), present together with `discountDays`. */
  discountBp?: number;
  /** Days after the invoice date during which the discount may be taken (inclusive). */
  discountDays?: number;
  /** Canonical text of the terms, e.g. "2/10 NET30". */
  label: string;
}

/** The name the rest of billing uses for terms that went through `parsePaymentTerms`. */
export type ParsedTerms = PaymentTerms;

export type ParsePaymentTermsResult = { ok: true; terms: PaymentTerms } | { ok: false; reason: string };

/**
 * Throws unless `isoDate` is a real calendar date written 'YYYY-MM-DD', naming the parameter. Dates are
 * validated at the API edge, so a malformed one reaching the domain is a programmer error, not a
 * business outcome.
 */
export function assertIsoDate(isoDate: string, name = 'date'): void {
  if (!isIsoDate(isoDate))
    throw new RangeError(`${name} must be a calendar date as YYYY-MM-DD (got ${JSON.stringify(isoDate)})`);
}

/**
 * Parses payment terms: "NETn" (due n days after the invoice date) or "d/n NETm" (d% off when paid
 * within n days, otherwise due in m days), e.g. 'NET30', 'NET60', 'NET90', '2/10 NET30'. Needs the
 * terms text; surrounding spaces are ignored. Uses the same grammar the closed-won API accepts
 * (PAYMENT_TERMS_PATTERN), so the API and billing never disagree on the shape. Promises `{ ok: true, terms }` with a
 * canonical `label`, or `{ ok: false, reason }` quoting the text: for text outside the grammar, for
 * "CUSTOMER_DEFAULT" (resolve it to the customer's terms first), for NET0, for a discount of 0% or a
 * discount window that does not end before the net due date.
 */
export function parsePaymentTerms(text: string): ParsePaymentTermsResult {
  const trimmed = text.trim();
  if (trimmed === 'CUSTOMER_DEFAULT') {
    return {
      ok: false,
      reason:
        'payment terms "CUSTOMER_DEFAULT" must be resolved to the customer\'s own terms before they can be parsed',
    };
  }
  const match = PAYMENT_TERMS_PATTERN.exec(trimmed);
  if (!match)
    return {
      ok: false,
      reason: `payment terms ${JSON.stringify(text)} must be NETn or "d/n NETn", e.g. NET30 or 2/10 NET30`,
    };
  const [, discountPercentText, discountDaysText, netDaysText] = match;
  const netDays = Number(netDaysText);
  if (netDays <= 0)
    return { ok: false, reason: `payment terms ${JSON.stringify(text)}: net days must be > 0 (got ${netDays})` };
  if (discountPercentText === undefined || discountDaysText === undefined) {
    return { ok: true, terms: { netDays, label: `NET${netDays}` } };
  }
  const discountPercent = Number(discountPercentText);
  const discountDays = Number(discountDaysText);
  if (discountPercent <= 0)
    return {
      ok: false,
      reason: `payment terms ${JSON.stringify(text)}: discount must be > 0% (got ${discountPercent}%)`,
    };
  if (discountDays <= 0 || discountDays >= netDays) {
    return {
      ok: false,
      reason: `payment terms ${JSON.stringify(text)}: discount days must be > 0 and before the ${netDays} net days (got ${discountDays})`,
    };
  }
  return {
    ok: true,
    terms: {
      netDays,
      discountBp: discountPercent * 100,
      discountDays,
      label: `${discountPercent}/${discountDays} NET${netDays}`,
    },
  };
}

/**
 * Returns the due date: the invoice date plus the net days. Needs a valid 'YYYY-MM-DD' invoice date
 * and parsed terms. Promises a UTC calendar date; no business-day adjustment (a due date on a Sunday
 * stays on the Sunday, as the printed terms say).
 */
export function dueDate(invoiceDate: string, terms: PaymentTerms): string {
  assertIsoDate(invoiceDate, 'invoiceDate');
  return addCalendarDays(invoiceDate, terms.netDays);
}

/**
 * Returns the last day on which the early-payment discount may be taken (invoice date plus discount
 * days; a payment received on that day still earns the discount), or undefined when the terms have no
 * discount. Needs a valid 'YYYY-MM-DD' invoice date and parsed terms.
 */
export function discountDeadline(invoiceDate: string, terms: PaymentTerms): string | undefined {
  assertIsoDate(invoiceDate, 'invoiceDate');
  if (terms.discountBp === undefined || terms.discountDays === undefined) return undefined;
  return addCalendarDays(invoiceDate, terms.discountDays);
}
