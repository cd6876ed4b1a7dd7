/**
 * Reservation: allocates an order's lines across warehouses and records reservations and backorders,
 * all in one transaction that holds the order's fence (adapters/fence.ts), then the stock and
 * scheduled-receipt row locks.
 */
import type { Db } from '../../lib/db';
import { Prisma } from '../../lib/db';
import { allocateOrder, rankWarehouses, type AllocationResult } from '../../domain/fulfillment/atp';
import type { ReserveRequest } from '../types';
import { enterCommit, fenceKey } from '../fence';
import { holidays, isoDate, qualifyingOnHand, resultFrom, TX, type Tx } from './shared';

export function reserve(db: Db, request: ReserveRequest): Promise<AllocationResult> {
  return db.$transaction(async (tx) => {
    // First, before the stock locks: a release of this order that ran first refuses this (late) attempt.
    await enterCommit(tx, fenceKey.reservation(request.orderId));
    const previous = await previousAllocation(tx, request.orderId);
    if (previous) return previous; // a retry: same answer
    const result = await allocateUnderLock(tx, request);
    await recordReservations(tx, request.orderId, result.allocations);
    await recordBackorders(tx, request.orderId, result.backorders);
    return result;
  }, TX);
}

/** What an earlier call for this order reserved and backordered, or null on the first call. */
async function previousAllocation(tx: Tx, orderId: string): Promise<AllocationResult | null> {
  const [done, waiting] = await Promise.all([
    tx.reservation.findMany({
      where: { orderId },
      orderBy: [{ lineNo: 'asc' }, { warehouseId: 'asc' }],
    }),
    tx.backorder.findMany({
      where: { orderId },
      orderBy: [{ lineNo: 'asc' }, { partNo: 'asc' }],
    }),
  ]);
  return done.length > 0 || waiting.length > 0 ? resultFrom(done, waiting) : null;
}

/**
 * Locks the stock rows of the order's SKUs, then their open scheduled receipts (stock before receipt,
 * as receive() takes them: no two transactions wait in a cycle), and allocates against what they hold.
 */
async function allocateUnderLock(tx: Tx, request: ReserveRequest): Promise<AllocationResult> {
  const skus = [...new Set(request.lines.map((l) => l.sku))].sort();
  const stock = await tx.$queryRaw<{ warehouse_id: string; sku: string; on_hand: number; reserved: number }[]>`
          SELECT warehouse_id, sku, on_hand, reserved FROM stock
          WHERE sku IN (${Prisma.join(skus)}) ORDER BY warehouse_id, sku FOR UPDATE`;
  const receipts = await tx.$queryRaw<
    {
      id: string;
      warehouse_id: string;
      sku: string;
      quantity: number;
      promised_quantity: number;
      due_date: Date;
      expiry_date: Date | null;
    }[]
  >`
          SELECT id, warehouse_id, sku, quantity, promised_quantity, due_date, expiry_date FROM scheduled_receipt
          WHERE sku IN (${Prisma.join(skus)}) AND received_at IS NULL ORDER BY id FOR UPDATE`;
  const [skuRows, warehouses, days] = await Promise.all([
    tx.sku.findMany({ where: { sku: { in: skus } } }),
    tx.warehouse.findMany({ select: { id: true, priority: true } }),
    holidays(tx),
  ]);

  const qualifying = await qualifyingOnHand(tx, skuRows, request.today, request.minShelfLifeDays);
  const result = allocateOrder({
    lines: request.lines,
    stock: stock.map((s) => ({
      warehouseId: s.warehouse_id,
      sku: s.sku,
      onHand: s.on_hand,
      reserved: s.reserved,
      ...qualifying(s.warehouse_id, s.sku),
    })),
    receipts: receipts.map((r) => ({
      id: r.id,
      warehouseId: r.warehouse_id,
      sku: r.sku,
      quantity: r.quantity,
      promisedQuantity: r.promised_quantity,
      dueDate: isoDate(r.due_date),
      expiryDate: r.expiry_date ? isoDate(r.expiry_date) : null,
    })),
    // Warehouses may share a priority: ranked by id among them, never by the order rows come back in.
    warehousePriority: rankWarehouses(warehouses),
    allowsPartialShipment: request.allowsPartialShipment,
    today: request.today,
    leadTimeDaysBySku: Object.fromEntries(skuRows.map((s) => [s.sku, s.leadTimeDays])),
    holidays: days,
    minShelfLifeDays: request.minShelfLifeDays,
  });

  return result;
}

async function recordReservations(tx: Tx, orderId: string, allocations: AllocationResult['allocations']) {
  for (const a of allocations) {
    await tx.stock.update({
      where: { warehouseId_sku: { warehouseId: a.warehouseId, sku: a.sku } },
      data: { reserved: { increment: a.quantity } },
    });
    await tx.reservation.create({
      data: {
        orderId,
        lineNo: a.lineNo,
        warehouseId: a.warehouseId,
        sku: a.sku,
        quantity: a.quantity,
        status: 'reserved',
      },
    });
  }
}

async function recordBackorders(tx: Tx, orderId: string, backorders: AllocationResult['backorders']) {
  // A line can wait on several sources (part of a receipt, the rest on lead time): one part each.
  const partsOfLine = new Map<number, number>();
  for (const b of backorders) {
    const partNo = partsOfLine.get(b.lineNo) ?? 0;
    partsOfLine.set(b.lineNo, partNo + 1);
    if (b.receiptId)
      await tx.scheduledReceipt.update({
        where: { id: b.receiptId },
        data: { promisedQuantity: { increment: b.quantity } },
      });
    await tx.backorder.create({
      data: {
        orderId,
        lineNo: b.lineNo,
        partNo,
        sku: b.sku,
        warehouseId: b.warehouseId,
        quantity: b.quantity,
        availableDate: new Date(`${b.availableDate}T00:00:00Z`),
        receiptId: b.receiptId ?? null,
        status: 'waiting',
      },
    });
  }
}
