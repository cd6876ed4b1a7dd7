/**
 * Backorder release: an order's backorders whose stock has arrived become reservations, under the same
 * row locks as reserve(), once per idempotency key.
 */
import type { Db } from '../../lib/db';
import { availableToPromise, type AllocationResult } from '../../domain/fulfillment/atp';
import type { ReleaseBackordersRequest } from '../types';
import { lockOpenBackorders, qualifyingOnHand, resultFrom, rowKey, TX, type Tx } from './shared';

type Locked = Awaited<ReturnType<typeof lockOpenBackorders>>;
type OpenBackorder = Locked['open'][number];

export function releaseBackorders(
  db: Db,
  { orderId, allowsPartialShipment, today, minShelfLifeDays, idempotencyKey }: ReleaseBackordersRequest,
): Promise<AllocationResult> {
  return db.$transaction(async (tx) => {
    // A retry of a release that committed (a crash or timeout after it) answers what it released.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${idempotencyKey}))`;
    const first = await tx.backorderRelease.findUnique({ where: { idempotencyKey } });
    if (first) return first.result as unknown as AllocationResult;

    const { open, stock } = await lockOpenBackorders(tx, orderId);
    const canRelease = await releasableBackorders(tx, { open, stock }, today, minShelfLifeDays);
    // An order that must ship complete releases all of its backorders at once or none.
    const isReleasing = allowsPartialShipment || canRelease.every(Boolean);

    const released: AllocationResult = { allocations: [], backorders: [] };
    for (const [i, b] of open.entries()) {
      if (!isReleasing || !canRelease[i]) {
        released.backorders.push(...resultFrom([], [b]).backorders);
        continue;
      }
      await releaseBackorder(tx, orderId, b);
      released.allocations.push({ lineNo: b.lineNo, sku: b.sku, warehouseId: b.warehouseId, quantity: b.quantity });
    }
    await tx.backorderRelease.create({ data: { idempotencyKey, orderId, result: released as object } });
    return released;
  }, TX);
}

/** Which of the open backorders (in their order) the locked stock can serve now. */
async function releasableBackorders(
  tx: Tx,
  { open, stock }: Locked,
  today: string,
  minShelfLifeDays: number,
): Promise<boolean[]> {
  // Lot-tracked stock serves only from lots this customer accepts, as in reserve().
  const qualifying = await qualifyingOnHand(
    tx,
    await tx.sku.findMany({ where: { sku: { in: [...new Set(open.map((b) => b.sku))] } } }),
    today,
    minShelfLifeDays,
  );
  const atp = new Map<string, number>();
  for (const b of open) {
    const key = rowKey(b.warehouseId, b.sku);
    const row = stock.get(key);
    if (!atp.has(key))
      atp.set(
        key,
        row
          ? availableToPromise({
              warehouseId: b.warehouseId,
              sku: b.sku,
              onHand: row.on_hand,
              reserved: row.reserved,
              ...qualifying(b.warehouseId, b.sku),
            })
          : 0,
      );
  }
  // 'received': receive() reserved the units already. 'waiting': only if unreserved stock covers it.
  return open.map((b) => {
    if (b.status === 'received') return true;
    const key = rowKey(b.warehouseId, b.sku);
    const available = atp.get(key) ?? 0;
    if (available < b.quantity) return false;
    atp.set(key, available - b.quantity);
    return true;
  });
}

/** Turns one releasable backorder into a reservation; a 'waiting' one reserves its units from stock now. */
async function releaseBackorder(tx: Tx, orderId: string, b: OpenBackorder): Promise<void> {
  if (b.status === 'waiting') {
    await tx.stock.update({
      where: { warehouseId_sku: { warehouseId: b.warehouseId, sku: b.sku } },
      data: { reserved: { increment: b.quantity } },
    });
    if (b.receiptId)
      await tx.scheduledReceipt.update({
        where: { id: b.receiptId },
        data: { promisedQuantity: { decrement: b.quantity } },
      });
  }
  await tx.reservation.upsert({
    where: { orderId_lineNo_warehouseId: { orderId, lineNo: b.lineNo, warehouseId: b.warehouseId } },
    create: {
      orderId,
      lineNo: b.lineNo,
      warehouseId: b.warehouseId,
      sku: b.sku,
      quantity: b.quantity,
      status: 'reserved',
    },
    update: { quantity: { increment: b.quantity }, status: 'reserved' },
  });
  await tx.backorder.update({
    where: { orderId_lineNo_partNo: { orderId, lineNo: b.lineNo, partNo: b.partNo } },
    data: { status: 'released' },
  });
}
