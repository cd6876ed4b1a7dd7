/** Compensation for pick(): a picked shipment's units go back on hand and to their lots. */
import type { Db } from '../../lib/db';
import type { ShipmentPicks } from '../types';
import { TX } from './shared';

export function unpick(db: Db, shipmentId: string): Promise<void> {
  return db.$transaction(async (tx) => {
    const shipment = await tx.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
    if (!shipment.picks || !['picked', 'packed', 'booked'].includes(shipment.status)) return;
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
