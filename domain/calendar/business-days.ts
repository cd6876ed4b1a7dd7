/**
 * Calendar arithmetic on ISO dates ('YYYY-MM-DD'). Dates are calendar days, not instants, so every
 * computation runs in UTC: a warehouse's "Friday" must not become Thursday because the worker runs in
 * another time zone. A business day is Monday to Friday and not in the caller's holiday set; which
 * holidays apply (a country, a warehouse, a carrier) is the caller's choice.
 *
 * A malformed date or a non-integer day count is a bug in the caller, not a business outcome, so these
 * functions throw a RangeError rather than return an error.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days in `month` (1-12) of `year`, proleptic Gregorian as Date uses. */
const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;

/**
 * True when `value` is a real calendar date written 'YYYY-MM-DD' (so '2025-02-30' is not). Checked by
 * arithmetic rather than a Date round trip: list reads call it a few times per invoice (issue 13).
 * Years before 0100 stay refused, as the round trip refused them (Date.UTC reads 0050 as 1950).
 */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function toEpochMs(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`date must be a calendar date as YYYY-MM-DD (got "${date}")`);
  return Date.parse(`${date}T00:00:00Z`);
}

function toIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number of days (got ${value})`);
}

/**
 * True when `date` is Monday to Friday and not one of `holidays` (ISO dates). Needs a valid ISO date.
 */
export function isBusinessDay(date: string, holidays: ReadonlySet<string>): boolean {
  const weekday = new Date(toEpochMs(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/**
 * Returns the date `n` calendar days after `date` (`n` may be negative or 0). Needs a valid ISO date and
 * an integer `n`.
 */
export function addCalendarDays(date: string, n: number): string {
  assertInteger(n, 'n');
  return toIso(toEpochMs(date) + n * MS_PER_DAY);
}

/**
 * Returns the first business day strictly after `date`, whatever `date` itself is. Needs a valid ISO date.
 */
export function nextBusinessDay(date: string, holidays: ReadonlySet<string>): string {
  let candidate = addCalendarDays(date, 1);
  while (!isBusinessDay(candidate, holidays)) candidate = addCalendarDays(candidate, 1);
  return candidate;
}

/**
 * Returns the date `n` business days after `date`. Needs a valid ISO date and an integer `n >= 0`.
 * A start that is not a business day counts from the next business day, so `n = 0` gives `date` itself
 * when it is a business day and otherwise the next business day, and an order received on Saturday with
 * one day of handling ships on Tuesday, not Monday (work cannot start before Monday). Promises a
 * business day, and `add(add(d, a), b) === add(d, a + b)`, so handling and transit can be added in steps.
 */
export function addBusinessDays(date: string, n: number, holidays: ReadonlySet<string>): string {
  assertInteger(n, 'n');
  if (n < 0) throw new RangeError(`n must be >= 0 business days (got ${n})`);
  let result = isBusinessDay(date, holidays) ? date : nextBusinessDay(date, holidays);
  for (let i = 0; i < n; i += 1) result = nextBusinessDay(result, holidays);
  return result;
}

/** Returns the later of two ISO dates (either one when equal). Needs valid ISO dates. */
export function maxDate(a: string, b: string): string {
  toEpochMs(a);
  toEpochMs(b);
  // Zero-padded ISO dates sort lexicographically in calendar order.
  return a >= b ? a : b;
}

/**
 * Returns the number of calendar days from `a` to `b` (`b - a`): negative when `b` is earlier, 0 for the
 * same day. Needs valid ISO dates.
 */
export function daysBetween(a: string, b: string): number {
  return Math.round((toEpochMs(b) - toEpochMs(a)) / MS_PER_DAY);
}
