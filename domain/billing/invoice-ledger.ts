/**
 * An invoice's ledger arithmetic, written once: the open balance (total less payments, discounts taken
 * and credit memos), the balance an invoice reports (nothing once void or written off), the total that
 * payments settle (net of credit memos) and what a credit memo settles. Pure: the invoice workflow,
 * the activities and the API all compute with it, on numbers or on the database's bigints.
 */

/** The four running figures of an invoice, in minor units. */
export interface LedgerFigures<M extends number | bigint = number> {
  totalMinor: M;
  paidMinor: M;
  discountTakenMinor: M;
  creditedMinor: M;
}

/** Statuses that leave nothing to collect although the figures may still show a balance. */
export const ZERO_BALANCE_STATUSES: readonly string[] = ['void', 'written_off'];

/** What is still owed: total - paid - discount taken - credited. */
export function openBalanceMinor(figures: LedgerFigures<number>): number;
export function openBalanceMinor(figures: LedgerFigures<bigint>): bigint;
export function openBalanceMinor({
  totalMinor,
  paidMinor,
  discountTakenMinor,
  creditedMinor,
}: LedgerFigures<number> | LedgerFigures<bigint>): number | bigint {
  // Both overloads keep one type for all four figures; bigint rows are subtracted exactly, as before.
  return typeof totalMinor === 'bigint'
    ? totalMinor - (paidMinor as bigint) - (discountTakenMinor as bigint) - (creditedMinor as bigint)
    : totalMinor - (paidMinor as number) - (discountTakenMinor as number) - (creditedMinor as number);
}

/**
 * The balance an invoice shows: 0 once void or written off, else its open balance (a database row's
 * bigints are subtracted exactly, then made a number).
 */
export function reportedBalanceMinor(
  figures: LedgerFigures<number> | LedgerFigures<bigint>,
  status: string | undefined,
): number {
  if (status !== undefined && ZERO_BALANCE_STATUSES.includes(status)) return 0;
  return typeof figures.totalMinor === 'bigint'
    ? Number(openBalanceMinor(figures as LedgerFigures<bigint>))
    : openBalanceMinor(figures as LedgerFigures<number>);
}

/** The total payments settle: the invoiced total less the credit memos applied to it. */
export function netTotalMinor(figures: Pick<LedgerFigures<number>, 'totalMinor' | 'creditedMinor'>): number;
export function netTotalMinor(figures: Pick<LedgerFigures<bigint>, 'totalMinor' | 'creditedMinor'>): bigint;
export function netTotalMinor({
  totalMinor,
  creditedMinor,
}:
  | Pick<LedgerFigures<number>, 'totalMinor' | 'creditedMinor'>
  | Pick<LedgerFigures<bigint>, 'totalMinor' | 'creditedMinor'>): number | bigint {
  return typeof totalMinor === 'bigint'
    ? totalMinor - (creditedMinor as bigint)
    : totalMinor - (creditedMinor as number);
}

/** A credit memo applied to the figures: the new credited sum, the balance after, and how it settles. */
export interface CreditOutcome {
  creditedMinor: number;
  balanceMinor: number;
  /** Set when the credit clears the balance: `paid` if payments covered part of it, else `credited`. */
  settlesAs?: 'paid' | 'credited';
}

export function applyCreditToLedger(figures: LedgerFigures<number>, amountMinor: number): CreditOutcome {
  const creditedMinor = figures.creditedMinor + amountMinor;
  const balanceMinor = openBalanceMinor({ ...figures, creditedMinor });
  const settlesAs = balanceMinor === 0 ? (figures.paidMinor > 0 ? 'paid' : 'credited') : undefined;
  return { creditedMinor, balanceMinor, ...(settlesAs ? { settlesAs } : {}) };
}
