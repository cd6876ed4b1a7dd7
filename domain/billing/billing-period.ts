/**
 * Billing periods of customers invoiced per period (invoiceGrouping 'per-period'): calendar weeks
 * (Monday to Sunday, labelled by ISO week, e.g. 2026-W48) or calendar months (2026-11), in UTC, so a
 * period never moves with the server's time zone. A period runs from `startsAt` (inclusive) to
 * `closesAt` (exclusive); a shipment belongs to the period open when it became billable.
 */

export type BillingPeriodKind = 'weekly' | 'monthly';

export const BILLING_PERIOD_KINDS: readonly BillingPeriodKind[] = ['weekly', 'monthly'];

export interface BillingPeriod {
  /** 2026-11 (monthly) or 2026-W48 (weekly). */
  label: string;
  /** ISO instant, inclusive. */
  startsAt: string;
  /** ISO instant, exclusive: the period closes (and is invoiced) at this moment. */
  closesAt: string;
}

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 week-numbering year and week of a UTC date (the week holding the year's first Thursday is week 1). */
function isoWeek(date: Date): { year: number; week: number } {
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  thursday.setUTCDate(thursday.getUTCDate() + 3 - ((thursday.getUTCDay() + 6) % 7));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return { year: thursday.getUTCFullYear(), week: Math.floor((thursday.getTime() - yearStart) / DAY_MS / 7) + 1 };
}

/**
 * The period of `kind` that holds the instant `at`. Needs a valid Date; throws on an unknown kind (the
 * customer master is validated where it is written).
 */
export function billingPeriodAt(kind: BillingPeriodKind, at: Date): BillingPeriod {
  if (Number.isNaN(at.getTime())) throw new Error('billingPeriodAt needs a valid date');
  if (kind === 'monthly') {
    const start = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
    const end = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
    return {
      label: `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}`,
      startsAt: new Date(start).toISOString(),
      closesAt: new Date(end).toISOString(),
    };
  }
  if (kind === 'weekly') {
    const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
    const start = midnight - ((at.getUTCDay() + 6) % 7) * DAY_MS; // back to Monday
    const { year, week } = isoWeek(at);
    return {
      label: `${year}-W${pad(week)}`,
      startsAt: new Date(start).toISOString(),
      closesAt: new Date(start + 7 * DAY_MS).toISOString(),
    };
  }
  throw new Error(`unknown billing period ${JSON.stringify(kind)}: use ${BILLING_PERIOD_KINDS.join(' or ')}`);
}

/** Unknown or missing values read from the customer master fall back to monthly, the usual B2B cycle. */
export const toBillingPeriodKind = (value: string | null | undefined): BillingPeriodKind =>
  BILLING_PERIOD_KINDS.includes(value as BillingPeriodKind) ? (value as BillingPeriodKind) : 'monthly';
