import { z } from 'zod';
import { Prisma, type Db } from '../../lib/db';

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

/** The columns the view reads, as the JSON of shipmentsJson. */
export interface ShipmentJson {
  id: string; order_id: string; warehouse_id: string; status: string; lines: ShipmentView['lines']; carrier_id: string | null; mode: string | null;
  tracking_number: string | null; promised_ship_date: string | null; promised_delivery_date: string | null; shipped_at: string | null; delivered_at: string | null;
}

/** A subquery: the JSON array (or null) of the shipments matching `where`, by id. */
export const shipmentsJson = (where: Prisma.Sql) => Prisma.sql`(SELECT json_agg(s ORDER BY s.id) FROM (SELECT id, order_id, warehouse_id, status, lines, carrier_id,
  mode, tracking_number, promised_ship_date, promised_delivery_date, shipped_at, delivered_at FROM shipment WHERE ${where}) s)`;

const day = (d: string | null) => (d ? d.slice(0, 10) : null);
const iso = (d: string | null) => (d ? new Date(d).toISOString() : null);

export const shipmentFromJson = (s: ShipmentJson): ShipmentView => ({
  shipmentId: s.id, warehouseId: s.warehouse_id, status: s.status, lines: s.lines, carrierId: s.carrier_id, mode: s.mode,
  trackingNumber: s.tracking_number, promisedShipDate: day(s.promised_ship_date), promisedDeliveryDate: day(s.promised_delivery_date),
  shippedAt: iso(s.shipped_at), deliveredAt: iso(s.delivered_at),
});

/** Shipments of these orders, grouped by order id (one statement for a whole page of orders). */
export async function loadShipments(db: Db, orderIds: string[]): Promise<Map<string, ShipmentView[]>> {
  const [found] = await db.$queryRaw<{ rows: ShipmentJson[] | null }[]>`SELECT ${shipmentsJson(Prisma.sql`order_id = ANY (${orderIds}::text[])`)} AS rows`;
  const byOrder = new Map<string, ShipmentView[]>();
  for (const s of found?.rows ?? []) byOrder.set(s.order_id, [...(byOrder.get(s.order_id) ?? []), shipmentFromJson(s)]);
  return byOrder;
}
