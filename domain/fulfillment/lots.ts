/**
 * Lot picking, first-expired-first-out: the units that expire soonest leave first, so stock does not age
 * out on the shelf, while no customer receives goods that are expired or too close to expiry to use.
 */
import { daysBetween, isIsoDate } from '../calendar/business-days';

export interface Lot {
  lotId: string;
  quantity: number;
  /** Null for goods that do not expire. */
  expiryDate: string | null;
}

export interface PickLotsInput {
  lots: readonly Lot[];
  quantity: number;
  today: string;
  /** Days from today to expiry a lot must still have, typically from the customer's contract. */
  minRemainingShelfLifeDays: number;
}

export interface LotPick {
  lotId: string;
  quantity: number;
  expiryDate: string | null;
}

export interface LotExclusion {
  lotId: string;
  reason: 'expired' | 'shelf-life';
}

export interface PickLotsResult {
  picks: LotPick[];
  /** Units still missing after every eligible lot was used; 0 when the pick is complete. */
  shortfall: number;
  excluded: LotExclusion[];
}

function compareFefo(a: Lot, b: Lot): number {
  // Dated lots first, soonest expiry first; goods that never expire can wait.
  if (a.expiryDate !== b.expiryDate) {
    if (a.expiryDate === null) return 1;
    if (b.expiryDate === null) return -1;
    return a.expiryDate < b.expiryDate ? -1 : 1;
  }
  return a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0;
}

/** Why a lot cannot go to this customer today, or undefined when it can. */
function exclusionOf(lot: Lot, today: string, minRemainingShelfLifeDays: number): LotExclusion['reason'] | undefined {
  if (lot.expiryDate === null) return undefined;
  if (!isIsoDate(lot.expiryDate))
    throw new RangeError(`lot ${lot.lotId} expiryDate must be a calendar date as YYYY-MM-DD (got "${lot.expiryDate}")`);
  const daysLeft = daysBetween(today, lot.expiryDate);
  if (daysLeft <= 0) return 'expired';
  if (daysLeft < minRemainingShelfLifeDays) return 'shelf-life';
  return undefined;
}

/**
 * Units in `lots` that `pickLots` could pick for this customer today (same exclusion rules): what
 * available-to-promise may count of a lot-tracked SKU, so an order splits or backorders instead of
 * failing at pick. Needs the same input as `pickLots` without a quantity (throws otherwise).
 */
export function qualifyingQuantity(input: Omit<PickLotsInput, 'quantity'>): number {
  const { excluded } = pickLots({ ...input, quantity: 0 }); // validates every lot as a pick would
  const isExcluded = new Set(excluded.map((e) => e.lotId));
  return input.lots.reduce((sum, lot) => sum + (isExcluded.has(lot.lotId) ? 0 : lot.quantity), 0);
}

/**
 * Picks `quantity` units from `lots`, first-expired-first-out. Needs non-negative integer quantities,
 * valid ISO dates and an integer `minRemainingShelfLifeDays >= 0` (throws otherwise). A lot is excluded as
 * 'expired' when its expiry is today or earlier, and as 'shelf-life' when fewer than
 * `minRemainingShelfLifeDays` days remain from today to its expiry (exactly the minimum is accepted).
 * Eligible lots are used soonest expiry first, lots without expiry last, ties by lotId; empty lots are
 * skipped silently. Promises: picks never exceed a lot's quantity, picked plus `shortfall` equals
 * `quantity`, and `excluded` lists every ineligible lot in the same FEFO order.
 */
export function pickLots(input: PickLotsInput): PickLotsResult {
  const { quantity, today, minRemainingShelfLifeDays } = input;
  if (!Number.isSafeInteger(quantity) || quantity < 0)
    throw new RangeError(`quantity must be a non-negative integer (got ${quantity})`);
  if (!Number.isSafeInteger(minRemainingShelfLifeDays) || minRemainingShelfLifeDays < 0) {
    throw new RangeError(`minRemainingShelfLifeDays must be a non-negative integer (got ${minRemainingShelfLifeDays})`);
  }
  if (!isIsoDate(today)) throw new RangeError(`today must be a calendar date as YYYY-MM-DD (got "${today}")`);

  const picks: LotPick[] = [];
  const excluded: LotExclusion[] = [];
  let missing = quantity;
  for (const lot of [...input.lots].sort(compareFefo)) {
    if (!Number.isSafeInteger(lot.quantity) || lot.quantity < 0)
      throw new RangeError(`lot ${lot.lotId} quantity must be a non-negative integer (got ${lot.quantity})`);
    const reason = exclusionOf(lot, today, minRemainingShelfLifeDays);
    if (reason) {
      excluded.push({ lotId: lot.lotId, reason });
      continue;
    }
    const take = Math.min(missing, lot.quantity);
    if (take === 0) continue;
    picks.push({ lotId: lot.lotId, quantity: take, expiryDate: lot.expiryDate });
    missing -= take;
  }
  return { picks, shortfall: missing, excluded };
}
