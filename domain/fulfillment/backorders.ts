/**
 * Backorder planning for allocateOrder: what could not ship now waits on unpromised units of scheduled
 * receipts (whose lot will still have the customer's shelf life), then on supplier lead time at a
 * warehouse that carries the SKU.
 */
import { addBusinessDays, isIsoDate, maxDate } from '../calendar/business-days';
import { qualifyingQuantity } from './lots';
import type { AllocateOrderInput, AllocationLine, Backorder, ScheduledReceipt } from './atp';

/** Quantities are non-negative integers; anything else is a data bug and throws a RangeError. */
export function assertQuantity(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} must be a non-negative integer (got ${value})`);
}

/**
 * For each SKU, the allowed warehouses that carry it, best priority first. Carrying is about the
 * warehouse's assortment, not about today's quantities: an empty or over-reserved stock row counts, and
 * so does any scheduled receipt (promised in full, or with a lot too short-dated for this customer).
 */
function carriersBySku(input: AllocateOrderInput, rank: ReadonlyMap<string, number>): Map<string, string[]> {
  const carriers = new Map<string, Set<string>>();
  for (const { warehouseId, sku } of [...input.stock, ...input.receipts]) {
    if (!rank.has(warehouseId)) continue;
    let of = carriers.get(sku);
    if (!of) carriers.set(sku, (of = new Set()));
    of.add(warehouseId);
  }
  return new Map([...carriers].map(([sku, of]) => [sku, [...of].sort((x, y) => rank.get(x)! - rank.get(y)!)]));
}

/** Backorders for what allocation left over: unpromised receipt units first, then lead time. */
export function planBackorders(
  remainders: readonly AllocationLine[],
  input: AllocateOrderInput,
  rank: ReadonlyMap<string, number>,
): Backorder[] {
  const { today, holidays } = input;
  const carriers = carriersBySku(input, rank);
  const open = input.receipts
    .filter((receipt) => rank.has(receipt.warehouseId) && isReceiptUsable(receipt, today, input.minShelfLifeDays ?? 0))
    .map((receipt) => {
      assertQuantity(receipt.quantity, `receipt ${receipt.id} quantity`);
      assertQuantity(receipt.promisedQuantity, `receipt ${receipt.id} promisedQuantity`);
      if (!isIsoDate(receipt.dueDate))
        throw new RangeError(`receipt ${receipt.id} dueDate must be YYYY-MM-DD (got "${receipt.dueDate}")`);
      return { receipt, unpromised: Math.max(0, receipt.quantity - receipt.promisedQuantity) };
    })
    .sort(
      (x, y) =>
        (x.receipt.dueDate < y.receipt.dueDate ? -1 : x.receipt.dueDate > y.receipt.dueDate ? 1 : 0) ||
        (rank.get(x.receipt.warehouseId) ?? 0) - (rank.get(y.receipt.warehouseId) ?? 0) ||
        (x.receipt.id < y.receipt.id ? -1 : x.receipt.id > y.receipt.id ? 1 : 0),
    );

  const backorders: Backorder[] = [];
  for (const line of remainders) {
    let missing = line.quantity;
    for (const slot of open) {
      if (missing === 0) break;
      if (slot.receipt.sku !== line.sku || slot.unpromised === 0) continue;
      const take = Math.min(missing, slot.unpromised);
      // Consumed here so that the next line cannot be promised the same units.
      slot.unpromised -= take;
      missing -= take;
      backorders.push({
        lineNo: line.lineNo,
        sku: line.sku,
        quantity: take,
        // An overdue receipt is not available in the past: at the earliest today.
        availableDate: maxDate(today, slot.receipt.dueDate),
        source: 'receipt',
        receiptId: slot.receipt.id,
        warehouseId: slot.receipt.warehouseId,
      });
    }
    if (missing === 0) continue;
    const leadTimeDays = input.leadTimeDaysBySku[line.sku];
    if (leadTimeDays === undefined || !Number.isSafeInteger(leadTimeDays) || leadTimeDays < 0) {
      throw new RangeError(
        `line ${line.lineNo}: SKU "${line.sku}" needs a lead time in business days >= 0 to backorder ${missing} units (got ${leadTimeDays})`,
      );
    }
    // Not simply the first warehouse in priority: one that does not carry the SKU would never receive
    // it, so the backorder would wait there for ever (and several warehouses may share a priority).
    const warehouseId = carriers.get(line.sku)?.[0];
    if (warehouseId === undefined) {
      throw new RangeError(
        `line ${line.lineNo}: no warehouse carries SKU "${line.sku}" (none of the ${rank.size} allowed warehouses has a stock row or a scheduled receipt of it), ` +
          `so its ${missing} backordered units have no warehouse to be received into; add a stock row for it at the warehouse that will receive it`,
      );
    }
    backorders.push({
      lineNo: line.lineNo,
      sku: line.sku,
      quantity: missing,
      availableDate: addBusinessDays(today, leadTimeDays, holidays),
      source: 'lead-time',
      warehouseId,
    });
  }
  return backorders;
}

/** Whether a receipt's lot will still have the customer's shelf life when it arrives (never before today). */
function isReceiptUsable(receipt: ScheduledReceipt, today: string, minShelfLifeDays: number): boolean {
  if (!receipt.expiryDate) return true;
  if (!isIsoDate(receipt.dueDate))
    throw new RangeError(`receipt ${receipt.id} dueDate must be YYYY-MM-DD (got "${receipt.dueDate}")`);
  const arrival = maxDate(today, receipt.dueDate);
  return (
    qualifyingQuantity({
      lots: [{ lotId: receipt.id, quantity: 1, expiryDate: receipt.expiryDate }],
      today: arrival,
      minRemainingShelfLifeDays: minShelfLifeDays,
    }) > 0
  );
}
