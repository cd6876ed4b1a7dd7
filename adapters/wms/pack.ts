/** Packs a picked shipment into packages (weight and hazard limits). */
import type { Db } from '../../lib/db';
import { packShipment, type PackedShipment } from '../../domain/fulfillment/packing';
import type { ShipmentPicks } from '../types';

export async function pack(db: Db, shipmentId: string): Promise<PackedShipment> {
  const shipment = await db.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
  const picks = shipment.picks as unknown as ShipmentPicks;
  const skuRows = await db.sku.findMany({ where: { sku: { in: picks.lines.map((l) => l.sku) } } });
  const packed = packShipment(
    picks.lines.map((l) => {
      const sku = skuRows.find((s) => s.sku === l.sku)!;
      return {
        sku: l.sku,
        quantity: l.quantity,
        unitWeightGrams: sku.unitWeightGrams,
        isHazardous: sku.hazardClass !== null,
      };
    }),
  );
  await db.shipment.update({ where: { id: shipmentId }, data: { packages: packed as object, status: 'packed' } });
  return packed;
}
