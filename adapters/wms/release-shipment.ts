/** A shipment cancelled on its own: its unpicked reserved units go back to available stock, once. */
import type { Db } from '../../lib/db';
import type { WmsAdapter } from '../types';
import { fenceKey, markCompensated } from '../fence';
import { TX } from './shared';

type ShipmentRelease = Parameters<WmsAdapter['releaseShipment']>[0];

export function releaseShipment(db: Db, request: ShipmentRelease): Promise<void> {
  return db.$transaction(async (tx) => {
    // A pick of this shipment still running (a timed-out attempt) must not take the released units.
    await markCompensated(tx, fenceKey.pick(request.shipmentId));
    // The shipment row is the once-marker: a repeat (activity retry) finds it released already.
    const [row] = await tx.$queryRaw<{ picks: unknown; lines_released_at: Date | null }[]>`
          SELECT picks, lines_released_at FROM shipment WHERE id = ${request.shipmentId} FOR UPDATE`;
    if (row?.lines_released_at) return;
    // Picked units left the reservation at pick (and went back on hand at unpick): only unpicked lines hold stock.
    if (!row?.picks) {
      for (const line of [...request.lines].sort((a, b) =>
        a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.lineNo - b.lineNo,
      )) {
        const key = {
          orderId_lineNo_warehouseId: {
            orderId: request.orderId,
            lineNo: line.lineNo,
            warehouseId: request.warehouseId,
          },
        };
        const reservation = await tx.reservation.findUnique({ where: key });
        const quantity = Math.min(line.quantity, reservation?.status === 'reserved' ? reservation.quantity : 0);
        if (quantity <= 0) continue;
        await tx.stock.update({
          where: { warehouseId_sku: { warehouseId: request.warehouseId, sku: line.sku } },
          data: { reserved: { decrement: quantity } },
        });
        await tx.reservation.update({
          where: key,
          data:
            reservation!.quantity === quantity
              ? { quantity: 0, status: 'released' }
              : { quantity: { decrement: quantity } },
        });
      }
    }
    await tx.shipment.upsert({
      where: { id: request.shipmentId },
      create: {
        id: request.shipmentId,
        orderId: request.orderId,
        warehouseId: request.warehouseId,
        status: 'cancelled',
        lines: request.lines,
        linesReleasedAt: new Date(),
      },
      update: { status: 'cancelled', linesReleasedAt: new Date() },
    });
  }, TX);
}
