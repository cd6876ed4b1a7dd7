/** FEFO lot picking of a planned shipment, once per shipment, unless the shipment was unpicked or released first. */
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../../lib/db';
import { FAILURES } from '../../domain/failures';
import { pickLots } from '../../domain/fulfillment/lots';
import type { PickRequest, ShipmentPicks } from '../types';
import { enterCommit, fenceKey } from '../fence';
import { isoDate, TX } from './shared';

export function pick(db: Db, request: PickRequest): Promise<ShipmentPicks> {
  return db.$transaction(async (tx) => {
    // First, before the lot and stock locks: an unpick or release of this shipment refuses a late pick.
    await enterCommit(tx, fenceKey.pick(request.shipmentId));
    const shipment = await tx.shipment.findUniqueOrThrow({ where: { id: request.shipmentId } });
    if (shipment.picks) return shipment.picks as unknown as ShipmentPicks; // picked already (retry)
    const skuRows = await tx.sku.findMany({ where: { sku: { in: request.lines.map((l) => l.sku) } } });
    const picks: ShipmentPicks = { lines: [] };
    // Rows are locked in SKU order, as reserve() does: two transactions never wait on each other in a cycle.
    const bySku = [...request.lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.lineNo - b.lineNo));
    for (const line of bySku) {
      const sku = skuRows.find((s) => s.sku === line.sku);
      let lots: ShipmentPicks['lines'][number]['lots'] = [];
      if (sku?.isLotTracked) {
        const available = await tx.$queryRaw<{ lot_id: string; quantity: number; expiry_date: Date | null }[]>`
              SELECT lot_id, quantity, expiry_date FROM stock_lot
              WHERE warehouse_id = ${request.warehouseId} AND sku = ${line.sku} AND quantity > 0 ORDER BY lot_id FOR UPDATE`;
        const picked = pickLots({
          lots: available.map((l) => ({
            lotId: l.lot_id,
            quantity: l.quantity,
            expiryDate: l.expiry_date ? isoDate(l.expiry_date) : null,
          })),
          quantity: line.quantity,
          today: request.today,
          minRemainingShelfLifeDays: request.minShelfLifeDays,
        });
        if (picked.shortfall > 0) {
          const excluded = picked.excluded.map((e) => `${e.lotId} ${e.reason}`).join(', ');
          throw ApplicationFailure.nonRetryable(
            `line ${line.lineNo}: ${line.sku} needs ${line.quantity}, only ${line.quantity - picked.shortfall} in lots with at least ${request.minShelfLifeDays} days of shelf life at ${request.warehouseId}${excluded ? ` (excluded: ${excluded})` : ''}`,
            FAILURES.PickShortfall.type,
          );
        }
        for (const p of picked.picks) {
          await tx.stockLot.update({
            where: { warehouseId_sku_lotId: { warehouseId: request.warehouseId, sku: line.sku, lotId: p.lotId } },
            data: { quantity: { decrement: p.quantity } },
          });
        }
        lots = picked.picks;
      }
      await tx.stock.update({
        where: { warehouseId_sku: { warehouseId: request.warehouseId, sku: line.sku } },
        data: { onHand: { decrement: line.quantity }, reserved: { decrement: line.quantity } },
      });
      await tx.reservation.update({
        where: {
          orderId_lineNo_warehouseId: {
            orderId: request.orderId,
            lineNo: line.lineNo,
            warehouseId: request.warehouseId,
          },
        },
        data: { quantity: { decrement: line.quantity } },
      });
      picks.lines.push({ ...line, lots });
    }
    picks.lines.sort((a, b) => a.lineNo - b.lineNo);
    await tx.shipment.update({
      where: { id: request.shipmentId },
      data: { picks: picks as object, status: 'picked' },
    });
    return picks;
  }, TX);
}
