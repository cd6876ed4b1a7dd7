/**
 * Days sales outstanding, per currency: open receivables / invoiced in the range x days in the range.
 * Amounts in different currencies are never added together (1 000 JPY is not 1 000 USD), so a
 * customer billed in two currencies has two figures.
 */

export interface DsoByCurrency {
  currency: string;
  /** Rounded to a tenth of a day. */
  days: number;
  invoicedMinor: number;
  openMinor: number;
}

/**
 * Needs the invoices issued in the range (their totals), the open invoices (their balances, whenever
 * issued) and the number of days in the range (>= 1). Promises one entry per currency that was
 * invoiced in the range, sorted by currency; a currency with open balances but nothing invoiced in
 * the range has no DSO (it would divide by zero) and is left out.
 */
export function dsoByCurrency(
  invoiced: readonly { currency: string; totalMinor: number }[],
  open: readonly { currency: string; balanceMinor: number }[],
  days: number,
): DsoByCurrency[] {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a whole number >= 1 (got ${days})`);
  const sums = new Map<string, { invoicedMinor: number; openMinor: number }>();
  const of = (currency: string) => {
    let s = sums.get(currency);
    if (!s) sums.set(currency, (s = { invoicedMinor: 0, openMinor: 0 }));
    return s;
  };
  for (const i of invoiced) of(i.currency).invoicedMinor += i.totalMinor;
  for (const o of open) of(o.currency).openMinor += o.balanceMinor;
  return [...sums.entries()]
    .filter(([, s]) => s.invoicedMinor > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, s]) => ({ currency, days: Math.round((s.openMinor / s.invoicedMinor) * days * 10) / 10, ...s }));
}
