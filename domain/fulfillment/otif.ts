/**
 * On-time-in-full (OTIF), the delivery KPI B2B customers hold suppliers to: a line counts only when it
 * arrived by the promised date with every ordered unit usable.
 */
import { isIsoDate } from '../calendar/business-days';

export interface DeliveryException {
  type: 'damaged' | 'short' | 'wrong-item';
  quantity: number;
}

export interface LineOtifInput {
  orderedQuantity: number;
  deliveredQuantity: number;
  promisedDeliveryDate: string;
  /** Null while the line has not been delivered. */
  deliveredDate: string | null;
  exceptions: readonly DeliveryException[];
}

export interface LineOtif {
  isOnTime: boolean;
  isInFull: boolean;
  goodQuantity: number;
}

function assertQuantity(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} must be a non-negative integer (got ${value})`);
}

/**
 * Scores one delivered line. Needs non-negative integer quantities and ISO dates (throws otherwise).
 * On time: delivered on or before the promised delivery date. Good quantity: delivered minus damaged and
 * wrong-item units, never below 0; 'short' exceptions are not subtracted again because a short delivery
 * already shows in `deliveredQuantity`. In full: good quantity at least the ordered quantity (an
 * over-delivery still counts as in full). A line not yet delivered is neither on time nor in full.
 */
export function lineOtif(input: LineOtifInput): LineOtif {
  const { orderedQuantity, deliveredQuantity, promisedDeliveryDate, deliveredDate, exceptions } = input;
  assertQuantity(orderedQuantity, 'orderedQuantity');
  assertQuantity(deliveredQuantity, 'deliveredQuantity');
  for (const exception of exceptions) assertQuantity(exception.quantity, `${exception.type} exception quantity`);
  for (const date of [promisedDeliveryDate, deliveredDate]) {
    if (date !== null && !isIsoDate(date)) throw new RangeError(`dates must be YYYY-MM-DD (got "${date}")`);
  }

  const unusable = exceptions
    .filter((exception) => exception.type === 'damaged' || exception.type === 'wrong-item')
    .reduce((sum, exception) => sum + exception.quantity, 0);
  const goodQuantity = Math.max(0, deliveredQuantity - unusable);
  // Zero-padded ISO dates compare lexicographically in calendar order.
  const isOnTime = deliveredDate !== null && deliveredDate <= promisedDeliveryDate;
  return { isOnTime, isInFull: deliveredDate !== null && goodQuantity >= orderedQuantity, goodQuantity };
}

/**
 * Share of lines both on time and in full, in basis points (10000 = 100%), rounded down so a single
 * failed line keeps the rate below 100%. Needs scored lines (e.g. from `lineOtif`). Returns null for no
 * lines: an empty period has no rate, and neither 0 nor 100% would be true.
 */
export function otifRate(lines: readonly Pick<LineOtif, 'isOnTime' | 'isInFull'>[]): number | null {
  if (lines.length === 0) return null;
  const hits = lines.filter((line) => line.isOnTime && line.isInFull).length;
  return Math.floor((hits * 10_000) / lines.length);
}
