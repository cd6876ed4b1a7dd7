import { z } from 'zod';
import type { Db } from '../../lib/db';

export const shipmentViewSchema = z.object({
  shipmentId: z.string(),
  warehouseId: z.string(),
  status: z.string(),
  lines: z.array(z.object({ lineNo: z.number(), sku: z.string(), quantity: z.number() })),
  carrierId: z.string().nullable(),
  mode: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  promisedShipDate: z.string().nullable(),
  promisedDeliveryDate: z.string().nullable(),
  shippedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});

export type ShipmentView = z.infer<typeof shipmentViewSchema>;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** Shipments of these orders, grouped by order id (one query for a whole page of orders). */
export async function loadShipments(db: Db, orderIds: string[]): Promise<Map<string, ShipmentView[]>> {
  const rows = await db.shipment.findMany({ where: { orderId: { in: orderIds } }, orderBy: { id: 'asc' } });
  const byOrder = new Map<string, ShipmentView[]>();
  for (const s of rows) {
    const list = byOrder.get(s.orderId) ?? [];
    list.push({
      shipmentId: s.id,
      warehouseId: s.warehouseId,
      status: s.status,
      lines: s.lines as ShipmentView['lines'],
      carrierId: s.carrierId,
      mode: s.mode,
      trackingNumber: s.trackingNumber,
      promisedShipDate: day(s.promisedShipDate),
      promisedDeliveryDate: day(s.promisedDeliveryDate),
      shippedAt: s.shippedAt?.toISOString() ?? null,
      deliveredAt: s.deliveredAt?.toISOString() ?? null,
    });
    byOrder.set(s.orderId, list);
  }
  return byOrder;
}
