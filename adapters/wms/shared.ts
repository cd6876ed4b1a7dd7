/**
 * What the built-in warehouse operations share: transaction options, the backorder row locks, lot
 * qualification and the mapping of stored rows back to an allocation result.
 */
import type { Db } from '../../lib/db';
import { Prisma } from '../../lib/db';
import type { AllocationResult } from '../../domain/fulfillment/atp';
import { qualifyingQuantity } from '../../domain/fulfillment/lots';

export type Tx = Prisma.TransactionClient;
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
export const TX = { timeout: 30_000, maxWait: 30_000 };

export async function holidays(db: Db | Tx): Promise<Set<string>> {
  return new Set((await db.holiday.findMany()).map((h) => isoDate(h.date)));
}

/**
 * For lot-tracked SKUs, the units of a stock row in lots this customer accepts today (as
 * `{ qualifyingOnHand }`, ready to spread into a WarehouseStock); `{}` for other SKUs, where every unit
 * qualifies. Callers hold the stock rows' locks, which pick() takes too, so these lots cannot move meanwhile.
 */
export async function qualifyingOnHand(
  tx: Tx,
  skus: { sku: string; isLotTracked: boolean }[],
  today: string,
  minShelfLifeDays: number,
): Promise<(warehouseId: string, sku: string) => { qualifyingOnHand?: number }> {
  const lotTracked = new Set(skus.filter((s) => s.isLotTracked).map((s) => s.sku));
  const lots = lotTracked.size > 0 ? await tx.stockLot.findMany({ where: { sku: { in: [...lotTracked] } } }) : [];
  return (warehouseId, sku) => {
    if (!lotTracked.has(sku)) return {};
    const ofRow = lots.filter((l) => l.warehouseId === warehouseId && l.sku === sku);
    return {
      qualifyingOnHand: qualifyingQuantity({
        lots: ofRow.map((l) => ({
          lotId: l.lotId,
          quantity: l.quantity,
          expiryDate: l.expiryDate ? isoDate(l.expiryDate) : null,
        })),
        today,
        minRemainingShelfLifeDays: minShelfLifeDays,
      }),
    };
  };
}

export const OPEN = ['waiting', 'received'];
export const rowKey = (warehouseId: string, sku: string): string => `${warehouseId}\u0000${sku}`;

/**
 * An order's open backorders, read after locking the stock rows they wait on (one statement ordered as
 * reserve() orders its locks; receive() takes the same row first). A receipt arriving meanwhile has
 * either turned its backorders 'received' already or waits until this transaction ends, so no unit is
 * reserved twice or left reserved for a backorder that is gone.
 */
export async function lockOpenBackorders(
  tx: Tx,
  orderId: string,
  /** More stock rows the caller updates: locked in the same sorted statement, so no two rows are taken out of order. */
  alsoLock: { warehouseId: string; sku: string }[] = [],
) {
  const waitedOn = await tx.backorder.findMany({
    where: { orderId, status: { in: OPEN } },
    distinct: ['warehouseId', 'sku'],
    select: { warehouseId: true, sku: true },
  });
  const rows = [...new Map([...waitedOn, ...alsoLock].map((r) => [rowKey(r.warehouseId, r.sku), r])).values()];
  const stock = new Map<string, { on_hand: number; reserved: number }>();
  if (rows.length > 0) {
    const locked = await tx.$queryRaw<{ warehouse_id: string; sku: string; on_hand: number; reserved: number }[]>`
      SELECT warehouse_id, sku, on_hand, reserved FROM stock
      WHERE (warehouse_id, sku) IN (${Prisma.join(rows.map((r) => Prisma.sql`(${r.warehouseId}, ${r.sku})`))})
      ORDER BY warehouse_id, sku FOR UPDATE`;
    for (const row of locked) stock.set(rowKey(row.warehouse_id, row.sku), row);
  }
  const open = await tx.backorder.findMany({
    where: { orderId, status: { in: OPEN } },
    orderBy: [{ lineNo: 'asc' }, { partNo: 'asc' }],
  });
  return { open, stock };
}

export function resultFrom(
  reservations: { lineNo: number; sku: string; warehouseId: string; quantity: number }[],
  backorders: {
    lineNo: number;
    sku: string;
    warehouseId: string;
    quantity: number;
    availableDate: Date;
    receiptId: string | null;
  }[],
): AllocationResult {
  return {
    allocations: reservations.map((r) => ({
      lineNo: r.lineNo,
      sku: r.sku,
      warehouseId: r.warehouseId,
      quantity: r.quantity,
    })),
    backorders: backorders.map((b) => ({
      lineNo: b.lineNo,
      sku: b.sku,
      warehouseId: b.warehouseId,
      quantity: b.quantity,
      availableDate: isoDate(b.availableDate),
      source: b.receiptId ? 'receipt' : 'lead-time',
      ...(b.receiptId ? { receiptId: b.receiptId } : {}),
    })),
  };
}
