/**
 * Packs a picked shipment into packages (weight and hazard limits). Under the shipment's pick fence
 * (adapters/fence.ts): a pack still running for a timed-out attempt after the unpick is refused, so it
 * cannot mark a cancelled shipment packed (its units back on the shelf would count as gone).
 */
import type { Db } from '../../lib/db';
import { packShipment, type PackedShipment } from '../../domain/fulfillment/packing';
import { enterCommit, fenceKey } from '../fence';
import type { ShipmentPicks } from '../types';
import { TX } from './shared';

export function pack(db: Db, shipmentId: string): Promise<PackedShipment> {
  return db.$transaction(async (tx) => {
    await enterCommit(tx, fenceKey.pick(shipmentId));
    const shipment = await tx.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
    const picks = shipment.picks as unknown as ShipmentPicks;
    const skuRows = await tx.sku.findMany({ where: { sku: { in: picks.lines.map((l) => l.sku) } } });
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
    await tx.shipment.update({ where: { id: shipmentId }, data: { packages: packed as object, status: 'packed' } });
    return packed;
  }, TX);
}
