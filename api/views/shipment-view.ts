import { z } from 'zod';
import { Prisma } from '../../lib/db';
import { daySql, isoSql, jsonArraySql } from './sql-json';

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

/**
 * A json value (see sql-json.ts): the shipments of the `s` rows matching `where`, by id, each in the
 * shape of shipmentViewSchema. Lines are rebuilt key by key: jsonb keeps its own key order and the
 * stored lines may carry more than the view shows.
 */
export const shipmentsJsonSql = (where: Prisma.Sql) => jsonArraySql({
  from: Prisma.sql`shipment s`,
  fields: Prisma.sql`s.id AS "shipmentId", s.warehouse_id AS "warehouseId", s.status,
    ${jsonArraySql({
      from: Prisma.sql`jsonb_array_elements(s.lines) WITH ORDINALITY e(v, n)`,
      fields: Prisma.sql`e.v->'lineNo' AS "lineNo", e.v->'sku' AS sku, e.v->'quantity' AS quantity`,
      orderBy: Prisma.sql`e.n`,
    })} AS lines,
    s.carrier_id AS "carrierId", s.mode, s.tracking_number AS "trackingNumber",
    ${daySql(Prisma.sql`s.promised_ship_date`)} AS "promisedShipDate", ${daySql(Prisma.sql`s.promised_delivery_date`)} AS "promisedDeliveryDate",
    ${isoSql(Prisma.sql`s.shipped_at`)} AS "shippedAt", ${isoSql(Prisma.sql`s.delivered_at`)} AS "deliveredAt"`,
  where,
  orderBy: Prisma.sql`s.id`,
});
