/**
 * Accounts-receivable aging: open balances per customer and currency, bucketed by days past due, and
 * the CSV export finance loads into a spreadsheet. Currencies are never added together.
 */
import { daysBetween } from '../calendar/business-days';
import { formatMoney } from '../money';
import { assertSafeInteger } from './rounding';

export interface AgingInvoice {
  customerId: string;
  customerName: string;
  currency: string;
  dueDate: string;
  balanceMinor: number;
}

/** Amounts in minor units of the row's currency. */
export interface AgingBuckets {
  /** Not yet due, or due today. */
  current: number;
  /** 1 to 30 days past due. */
  d1_30: number;
  d31_60: number;
  d61_90: number;
  /** 91 days or more past due. */
  d90_plus: number;
  totalMinor: number;
}

export interface AgingRow extends AgingBuckets {
  customerId: string;
  customerName: string;
  currency: string;
}

export interface AgingTotal extends AgingBuckets {
  currency: string;
}

export interface AgingReport {
  asOf: string;
  /** One row per customer and currency, sorted by customer name, customer id, then currency. */
  rows: AgingRow[];
  /** Grand totals, one per currency, sorted by currency. */
  totals: AgingTotal[];
}

type BucketName = Exclude<keyof AgingBuckets, 'totalMinor'>;

const emptyBuckets = (): AgingBuckets => ({ current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0, totalMinor: 0 });

/** The bucket for a number of days past due (asOf - dueDate). */
export function agingBucketFor(daysOverdue: number): BucketName {
  if (daysOverdue <= 0) return 'current';
  if (daysOverdue <= 30) return 'd1_30';
  if (daysOverdue <= 60) return 'd31_60';
  if (daysOverdue <= 90) return 'd61_90';
  return 'd90_plus';
}

function add(buckets: AgingBuckets, bucket: BucketName, amountMinor: number): void {
  buckets[bucket] += amountMinor;
  buckets.totalMinor += amountMinor;
  if (!Number.isSafeInteger(buckets.totalMinor)) throw new RangeError('aging total exceeds the exact integer range');
}

/**
 * Buckets open invoice balances as of a date. Needs the invoices (balance in minor units, due date
 * 'YYYY-MM-DD') and `asOf`. Days overdue = asOf - dueDate: 0 or less is current (due today is not yet
 * late), 1-30, 31-60, 61-90, and 91+ in d90_plus. Invoices with a zero balance are skipped; negative
 * balances (unapplied credits) are kept, in their bucket, so a customer's total is its net exposure.
 * Promises one row per (customerId, currency), each row's buckets summing to its totalMinor, and
 * grand totals per currency equal to the sum of that currency's rows; the customer name is the first
 * one seen for the id. Deterministic ordering (see AgingReport).
 */
export function agingBuckets(invoices: readonly AgingInvoice[], asOf: string): AgingReport {
  const rows = new Map<string, AgingRow>();
  const totals = new Map<string, AgingTotal>();
  for (const invoice of invoices) {
    assertSafeInteger(invoice.balanceMinor, `balance of ${invoice.customerId} due ${invoice.dueDate}`);
    if (invoice.balanceMinor === 0) continue;
    const bucket = agingBucketFor(daysBetween(invoice.dueDate, asOf));
    // JSON keys cannot collide the way "a|b" + "c" and "a" + "b|c" could.
    const key = JSON.stringify([invoice.customerId, invoice.currency]);
    let row = rows.get(key);
    if (!row) {
      row = {
        customerId: invoice.customerId,
        customerName: invoice.customerName,
        currency: invoice.currency,
        ...emptyBuckets(),
      };
      rows.set(key, row);
    }
    let total = totals.get(invoice.currency);
    if (!total) {
      total = { currency: invoice.currency, ...emptyBuckets() };
      totals.set(invoice.currency, total);
    }
    add(row, bucket, invoice.balanceMinor);
    add(total, bucket, invoice.balanceMinor);
  }
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    asOf,
    rows: [...rows.values()].sort(
      (a, b) =>
        compare(a.customerName, b.customerName) ||
        compare(a.customerId, b.customerId) ||
        compare(a.currency, b.currency),
    ),
    totals: [...totals.values()].sort((a, b) => compare(a.currency, b.currency)),
  };
}

/**
 * Number of decimal places of a currency's minor unit. money.ts keeps that table private, so it is read
 * back from formatMoney (the one place that knows it) rather than copied here and left to drift.
 */
function minorDigits(currency: string): number {
  const formatted = formatMoney(0, currency);
  const dot = formatted.lastIndexOf('.');
  return dot < 0 ? 0 : formatted.length - dot - 1;
}

/** "1234.50" from 123450 (USD), "-0.05" from -5: exact, no grouping, no currency code. */
function decimalAmount(amountMinor: number, digits: number): string {
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}

/**
 * Quotes a CSV text field (RFC 4180), and defuses spreadsheet formulas: a customer named "=HYPERLINK(...)"
 * must not run when finance opens the file, so a leading = + - @ gets a leading apostrophe (OWASP).
 */
function csvText(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const AGING_CSV_HEADER =
  'customer_id,customer_name,currency,current,days_1_30,days_31_60,days_61_90,days_90_plus,total';

/**
 * Renders an aging report as CSV: the header line AGING_CSV_HEADER, one line per row in report order,
 * then one "TOTAL" line per currency (empty customer id, customer name "TOTAL"). Needs a report from
 * agingBuckets. Promises amounts as exact decimal strings in the currency's minor unit (123450 USD ->
 * 1234.50, JPY without decimals), no thousands separators, text fields quoted when needed, lines ended
 * by "\n" including the last.
 */
export function agingCsv(report: AgingReport): string {
  const amounts = (b: AgingBuckets, currency: string): string => {
    const digits = minorDigits(currency);
    return [b.current, b.d1_30, b.d31_60, b.d61_90, b.d90_plus, b.totalMinor]
      .map((a) => decimalAmount(a, digits))
      .join(',');
  };
  const lines = [
    AGING_CSV_HEADER,
    ...report.rows.map(
      (r) => `${csvText(r.customerId)},${csvText(r.customerName)},${csvText(r.currency)},${amounts(r, r.currency)}`,
    ),
    ...report.totals.map((t) => `,TOTAL,${csvText(t.currency)},${amounts(t, t.currency)}`),
  ];
  return `${lines.join('\n')}\n`;
}
