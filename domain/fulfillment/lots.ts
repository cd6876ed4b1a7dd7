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
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new RangeError(`quantity must be a non-negative integer (got ${quantity})`);
  if (!Number.isSafeInteger(minRemainingShelfLifeDays) || minRemainingShelfLifeDays < 0) {
    throw new RangeError(`minRemainingShelfLifeDays must be a non-negative integer (got ${minRemainingShelfLifeDays})`);
  }
  if (!isIsoDate(today)) throw new RangeError(`today must be a calendar date as YYYY-MM-DD (got "${today}")`);

  const picks: LotPick[] = [];
  const excluded: LotExclusion[] = [];
  let missing = quantity;
  for (const lot of [...input.lots].sort(compareFefo)) {
    if (!Number.isSafeInteger(lot.quantity) || lot.quantity < 0) throw new RangeError(`lot ${lot.lotId} quantity must be a non-negative integer (got ${lot.quantity})`);
    if (lot.expiryDate !== null) {
      if (!isIsoDate(lot.expiryDate)) throw new RangeError(`lot ${lot.lotId} expiryDate must be a calendar date as YYYY-MM-DD (got "${lot.expiryDate}")`);
      const daysLeft = daysBetween(today, lot.expiryDate);
      if (daysLeft <= 0) {
        excluded.push({ lotId: lot.lotId, reason: 'expired' });
        continue;
      }
      if (daysLeft < minRemainingShelfLifeDays) {
        excluded.push({ lotId: lot.lotId, reason: 'shelf-life' });
        continue;
      }
    }
    const take = Math.min(missing, lot.quantity);
    if (take === 0) continue;
    picks.push({ lotId: lot.lotId, quantity: take, expiryDate: lot.expiryDate });
    missing -= take;
  }
  return { picks, shortfall: missing, excluded };
}
