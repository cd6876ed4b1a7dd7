/**
 * Compensation for pick(): a picked shipment's units go back on hand and to their lots. The shipment's
 * pick stays fenced (adapters/fence.ts) even when nothing was picked, or the shipment never stored: a
 * pick still running for a timed-out attempt is refused rather than taking the units after this.
 */
import type { Db } from '../../lib/db';
import { fenceKey, markCompensated } from '../fence';
import type { ShipmentPicks } from '../types';
import { TX } from './shared';

export function unpick(db: Db, shipmentId: string): Promise<void> {
  return db.$transaction(async (tx) => {
    await markCompensated(tx, fenceKey.pick(shipmentId));
    const shipment = await tx.shipment.findUnique({ where: { id: shipmentId } });
    if (!shipment?.picks || !['picked', 'packed', 'booked'].includes(shipment.status)) return;
    const picks = shipment.picks as unknown as ShipmentPicks;
    for (const line of picks.lines) {
      for (const lot of line.lots) {
        await tx.stockLot.update({
          where: { warehouseId_sku_lotId: { warehouseId: shipment.warehouseId, sku: line.sku, lotId: lot.lotId } },
          data: { quantity: { increment: lot.quantity } },
        });
      }
      await tx.stock.update({
        where: { warehouseId_sku: { warehouseId: shipment.warehouseId, sku: line.sku } },
        data: { onHand: { increment: line.quantity } },
      });
    }
    await tx.shipment.update({ where: { id: shipmentId }, data: { status: 'cancelled' } });
  }, TX);
}
