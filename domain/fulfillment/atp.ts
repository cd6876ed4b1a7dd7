/**
 * Available-to-promise and order allocation for a B2B distributor: which warehouse ships which line now,
 * and when the rest can be promised from scheduled receipts or, beyond them, from supplier lead time.
 *
 * Malformed input (a non-integer or negative quantity, a missing lead time) is a bug or a configuration
 * gap, not a business outcome: it throws a RangeError, which an activity retries until someone fixes the
 * data, instead of rejecting the customer's order.
 */
import { isIsoDate } from '../calendar/business-days';
import { assertQuantity, planBackorders } from './backorders';

export interface WarehouseStock {
  warehouseId: string;
  sku: string;
  onHand: number;
  reserved: number;
  /**
   * Lot-tracked SKUs: units on hand in lots this customer accepts (not expired, enough shelf life left;
   * `qualifyingQuantity` in lots.ts). Omitted for SKUs without lots, where every unit qualifies.
   */
  qualifyingOnHand?: number;
}

export interface ScheduledReceipt {
  id: string;
  warehouseId: string;
  sku: string;
  quantity: number;
  /** Units of this receipt already promised to earlier backorders. */
  promisedQuantity: number;
  dueDate: string;
  /** Expiry of the lot it brings; null or omitted for goods that do not expire. */
  expiryDate?: string | null;
}

export interface AllocationLine {
  lineNo: number;
  sku: string;
  quantity: number;
}

export interface AllocateOrderInput {
  lines: readonly AllocationLine[];
  stock: readonly WarehouseStock[];
  receipts: readonly ScheduledReceipt[];
  /** Warehouses allowed to serve this order, preferred first. Stock and receipts elsewhere are ignored. */
  warehousePriority: readonly string[];
  allowsPartialShipment: boolean;
  today: string;
  leadTimeDaysBySku: Readonly<Record<string, number>>;
  holidays: ReadonlySet<string>;
  /** Days of shelf life the customer needs from a receipt's lot when it arrives; 0 when omitted. */
  minShelfLifeDays?: number;
}

export interface Allocation {
  lineNo: number;
  sku: string;
  warehouseId: string;
  quantity: number;
}

export interface Backorder {
  lineNo: number;
  sku: string;
  quantity: number;
  availableDate: string;
  source: 'receipt' | 'lead-time';
  /** Set when `source` is 'receipt'. */
  receiptId?: string;
  warehouseId: string;
}

export interface AllocationResult {
  allocations: Allocation[];
  backorders: Backorder[];
}

export interface WarehouseShipment {
  warehouseId: string;
  lines: { lineNo: number; sku: string; quantity: number }[];
}

/**
 * Units of a stock row that can still be promised: on hand minus reserved, never below 0 (a row can be
 * over-reserved after a count correction, and that must not make other rows look smaller). For a
 * lot-tracked row only qualifying units count, and every reserved unit is assumed to take one of them
 * (the worst case: other orders may need the same shelf life), so a promise never fails at pick for
 * want of usable lots. Needs integer quantities (throws otherwise).
 */
export function availableToPromise(stock: WarehouseStock): number {
  assertQuantity(stock.onHand, `stock ${stock.warehouseId}/${stock.sku} onHand`);
  assertQuantity(stock.reserved, `stock ${stock.warehouseId}/${stock.sku} reserved`);
  let usable = stock.onHand;
  if (stock.qualifyingOnHand !== undefined) {
    assertQuantity(stock.qualifyingOnHand, `stock ${stock.warehouseId}/${stock.sku} qualifyingOnHand`);
    usable = Math.min(usable, stock.qualifyingOnHand);
  }
  return Math.max(0, usable - stock.reserved);
}

const stockKey = (warehouseId: string, sku: string): string => `${warehouseId}\u0000${sku}`;

export interface RankedWarehouse {
  id: string;
  /** Lower ships first; several warehouses may share a priority. */
  priority: number;
}

/**
 * Warehouse ids in the order `allocateOrder` prefers them: by priority, then by id (compared by code
 * point, not by locale), so warehouses that share a priority always come in the same order and a plan
 * never depends on the order the database returns rows in. Needs nothing; promises a new array.
 */
export function rankWarehouses(warehouses: readonly RankedWarehouse[]): string[] {
  return [...warehouses]
    .sort((x, y) => x.priority - y.priority || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .map((w) => w.id);
}

/**
 * Decides where each order line ships from now and when the rest can be promised. Needs integer
 * quantities (lines > 0), valid ISO dates, and a lead time for every SKU that has to fall back to lead
 * time (throws otherwise). Rules, in order:
 * (a) when one warehouse's ATP covers every line (quantities of repeated SKUs added up), everything ships
 * from the first such warehouse in `warehousePriority`;
 * (b) otherwise, when partial shipments are allowed, lines take stock in line-number order, each from
 * warehouses in priority order, split across warehouses as needed;
 * (c) otherwise nothing is allocated now and every line is backordered in full, so the order ships complete.
 * Whatever is not allocated is backordered against unpromised receipt units of the SKU (only receipts
 * whose lot will have `minShelfLifeDays` left on arrival; earliest due date first, then warehouse
 * priority, then receipt id; each unit promised to one line only), then against lead time (today +
 * lead time in business days, received at the first warehouse in priority that carries the SKU: one
 * with a stock row of it, even an empty one, or a scheduled receipt of it, even one promised in full).
 * A SKU that no allowed warehouse carries cannot wait on lead time anywhere (no receipt would ever
 * release it): that is a master-data gap and throws, naming the line and the SKU.
 * Promises: never more than a warehouse's ATP is allocated, only warehouses in `warehousePriority` are
 * used, allocated plus backordered equals each line's quantity, a backorder waits at a warehouse that
 * carries its SKU, and the output is deterministic (sorted by line number, then warehouse priority or
 * availability). Callers with warehouses that share a priority order them with `rankWarehouses`.
 */
export function allocateOrder(input: AllocateOrderInput): AllocationResult {
  const { warehousePriority, today } = input;
  if (!isIsoDate(today)) throw new RangeError(`today must be a calendar date as YYYY-MM-DD (got "${today}")`);
  const rank = new Map<string, number>();
  warehousePriority.forEach((warehouseId, index) => {
    if (!rank.has(warehouseId)) rank.set(warehouseId, index);
  });
  const warehouses = [...rank.keys()];

  // Stable sort: earlier line numbers get scarce stock and the earliest receipts first.
  const lines = input.lines
    .map((line, index) => ({ line, index }))
    .sort((x, y) => x.line.lineNo - y.line.lineNo || x.index - y.index)
    .map(({ line }) => line);
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new RangeError(`line ${line.lineNo}: quantity must be a positive integer (got ${line.quantity})`);
    }
  }

  const atp = new Map<string, number>();
  for (const row of input.stock) {
    const available = availableToPromise(row);
    if (!rank.has(row.warehouseId)) continue;
    const key = stockKey(row.warehouseId, row.sku);
    atp.set(key, (atp.get(key) ?? 0) + available);
  }
  const atpOf = (warehouseId: string, sku: string): number => atp.get(stockKey(warehouseId, sku)) ?? 0;

  const demandBySku = new Map<string, number>();
  for (const line of lines) demandBySku.set(line.sku, (demandBySku.get(line.sku) ?? 0) + line.quantity);
  const fillsAll = warehouses.find((warehouseId) =>
    [...demandBySku].every(([sku, demand]) => atpOf(warehouseId, sku) >= demand),
  );

  const allocations: Allocation[] = [];
  const remainders: AllocationLine[] = [];
  if (fillsAll !== undefined) {
    for (const line of lines)
      allocations.push({ lineNo: line.lineNo, sku: line.sku, warehouseId: fillsAll, quantity: line.quantity });
  } else if (input.allowsPartialShipment) {
    for (const line of lines) {
      let missing = line.quantity;
      for (const warehouseId of warehouses) {
        if (missing === 0) break;
        const take = Math.min(missing, atpOf(warehouseId, line.sku));
        if (take === 0) continue;
        atp.set(stockKey(warehouseId, line.sku), atpOf(warehouseId, line.sku) - take);
        allocations.push({ lineNo: line.lineNo, sku: line.sku, warehouseId, quantity: take });
        missing -= take;
      }
      if (missing > 0) remainders.push({ ...line, quantity: missing });
    }
  } else {
    remainders.push(...lines);
  }

  return { allocations, backorders: planBackorders(remainders, input, rank) };
}

/**
 * Groups allocations into one shipment per warehouse, warehouses in order of first appearance (for the
 * output of `allocateOrder`, the warehouse of the lowest line number first) and lines in their given order.
 * Needs nothing more than the allocations; promises every allocation lands in exactly one shipment.
 */
export function reservationsByWarehouse(allocations: readonly Allocation[]): WarehouseShipment[] {
  const shipments = new Map<string, WarehouseShipment>();
  for (const { warehouseId, lineNo, sku, quantity } of allocations) {
    let shipment = shipments.get(warehouseId);
    if (!shipment) {
      shipment = { warehouseId, lines: [] };
      shipments.set(warehouseId, shipment);
    }
    shipment.lines.push({ lineNo, sku, quantity });
  }
  return [...shipments.values()];
}
