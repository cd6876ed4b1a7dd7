/**
 * Compensation for reserve(): releases an order's reservations and cancels its open backorders. It
 * leaves the order's reservation fenced (adapters/fence.ts), also when nothing was reserved yet: a
 * reserve() still running for a timed-out attempt either committed before (and is released here) or
 * is refused after.
 */
import type { Db } from '../../lib/db';
import { fenceKey, markCompensated } from '../fence';
import { lockOpenBackorders, TX } from './shared';

export function releaseOrder(db: Db, orderId: string): Promise<void> {
  return db.$transaction(async (tx) => {
    await markCompensated(tx, fenceKey.reservation(orderId));
    // Backorders' stock rows before reading reservations: a backorder release running meanwhile holds
    // them, so what it turned into reservations is read (and released) once it committed. The reserved
    // rows are locked in the same sorted statement (as reserve() orders its locks): taking them one by
    // one afterwards could deadlock with another order's reserve(). A reservation a concurrent backorder
    // release adds lies in a backorder's row, which is locked already.
    const reserved = await tx.reservation.findMany({
      where: { orderId, status: 'reserved' },
      distinct: ['warehouseId', 'sku'],
      select: { warehouseId: true, sku: true },
    });
    const { open } = await lockOpenBackorders(tx, orderId, reserved);
    const reservations = await tx.reservation.findMany({ where: { orderId, status: 'reserved' } });
    for (const r of reservations) {
      if (r.quantity > 0) {
        await tx.stock.update({
          where: { warehouseId_sku: { warehouseId: r.warehouseId, sku: r.sku } },
          data: { reserved: { decrement: r.quantity } },
        });
      }
      await tx.reservation.update({
        where: { orderId_lineNo_warehouseId: { orderId, lineNo: r.lineNo, warehouseId: r.warehouseId } },
        data: { status: 'released' },
      });
    }
    for (const b of open) {
      if (b.status === 'received') {
        // Its receipt arrived and receive() reserved the units for it: they go back to stock.
        await tx.stock.update({
          where: { warehouseId_sku: { warehouseId: b.warehouseId, sku: b.sku } },
          data: { reserved: { decrement: b.quantity } },
        });
      } else if (b.receiptId) {
        await tx.scheduledReceipt.update({
          where: { id: b.receiptId },
          data: { promisedQuantity: { decrement: b.quantity } },
        });
      }
      await tx.backorder.update({
        where: { orderId_lineNo_partNo: { orderId, lineNo: b.lineNo, partNo: b.partNo } },
        data: { status: 'cancelled' },
      });
    }
  }, TX);
}
