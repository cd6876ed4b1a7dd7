import { z } from 'zod';
import { Prisma } from '../../lib/db';
import { sendAsnStep } from '../../workflows/shipping/steps/send-asn';
import { daySql, isoSql, jsonArraySql, jsonArraysByKeySql, jsonObjectSql } from './sql-json';

const shipmentLineSchema = z.object({ lineNo: z.number(), sku: z.string(), quantity: z.number() });

export const shipmentViewSchema = z.object({
  shipmentId: z.string(),
  warehouseId: z.string(),
  status: z.string(),
  lines: z.array(shipmentLineSchema),
  carrierId: z.string().nullable(),
  mode: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  promisedShipDate: z.string().nullable(),
  promisedDeliveryDate: z.string().nullable(),
  shippedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});

export type ShipmentView = z.infer<typeof shipmentViewSchema>;

const pickedLotSchema = z.object({
  lotId: z.string(),
  quantity: z.number(),
  expiryDate: z.string().nullable().describe('YYYY-MM-DD; null for a lot without expiry'),
});

const asnSchema = z.object({
  reference: z
    .string()
    .describe("the notice's number as the customer reads it (its subject and packing list): the shipment id"),
  messageId: z.string().nullable().describe("Message-ID of the notice's e-mail; null until it is first tried"),
  sentAt: z.string().nullable().describe('when the e-mail went out; null while it is still being sent or failing'),
});

const lineOtifSchema = z.object({
  isOnTime: z.boolean(),
  isInFull: z.boolean(),
  goodQuantity: z.number().describe('units delivered in good condition (quantity less damaged, short or wrong items)'),
  promisedDate: z.string().describe('YYYY-MM-DD'),
  deliveredDate: z.string().describe('YYYY-MM-DD'),
});

const proofOfDeliverySchema = z.object({
  signer: z.string().nullable(),
  deliveredAt: z.string().nullable().describe('as the carrier or driver reported it'),
  exceptions: z.array(
    z.object({
      lineNo: z.number(),
      type: z.string().describe('damaged | short | wrong-item'),
      quantity: z.number(),
      note: z.string().nullable(),
    }),
  ),
});

/**
 * A shipment on the order page: the list's shape with the lots picked for each line (FEFO, by the pick
 * step), each line's on-time-in-full result, the advance ship notice and the proof of delivery. Lists
 * keep the lighter shape: these are read per order.
 */
export const shipmentDetailSchema = shipmentViewSchema.extend({
  lines: z.array(
    shipmentLineSchema.extend({
      lots: z
        .array(pickedLotSchema)
        .describe('lots picked for the line, first-expired first; empty before picking and for SKUs not lot-tracked'),
      otif: lineOtifSchema.nullable().describe('on time and in full, recorded at delivery; null before'),
    }),
  ),
  asn: asnSchema
    .nullable()
    .describe('the advance ship notice; null until the send-asn step has built it (or when it was skipped)'),
  proofOfDelivery: proofOfDeliverySchema
    .nullable()
    .describe('signer, time and exceptions as recorded at delivery; null before'),
});

export type ShipmentDetail = z.infer<typeof shipmentDetailSchema>;

/** The stored line `e.v` key by key: jsonb keeps its own key order and the stored lines may carry more than the view shows. */
const LINE_FIELDS = Prisma.sql`e.v->'lineNo' AS "lineNo", e.v->'sku' AS sku, e.v->'quantity' AS quantity`;

/** The fields of the shipment row `s` in the order of shipmentViewSchema, with its lines' fields `lineFields`. */
const shipmentFields = (
  lineFields: Prisma.Sql,
) => Prisma.sql`s.id AS "shipmentId", s.warehouse_id AS "warehouseId", s.status,
    ${jsonArraySql({
      from: Prisma.sql`jsonb_array_elements(s.lines) WITH ORDINALITY e(v, n)`,
      fields: lineFields,
      orderBy: Prisma.sql`e.n`,
    })} AS lines,
    s.carrier_id AS "carrierId", s.mode, s.tracking_number AS "trackingNumber",
    ${daySql(Prisma.sql`s.promised_ship_date`)} AS "promisedShipDate", ${daySql(Prisma.sql`s.promised_delivery_date`)} AS "promisedDeliveryDate",
    ${isoSql(Prisma.sql`s.shipped_at`)} AS "shippedAt", ${isoSql(Prisma.sql`s.delivered_at`)} AS "deliveredAt"`;

/**
 * A json value (see sql-json.ts): the shipments of the `s` rows matching `where`, by id, each in the
 * shape of shipmentViewSchema.
 */
export const shipmentsJsonSql = (where: Prisma.Sql) =>
  jsonArraySql({
    from: Prisma.sql`shipment s`,
    fields: shipmentFields(LINE_FIELDS),
    where,
    orderBy: Prisma.sql`s.id`,
  });

/** As shipmentsJsonSql, grouped by order (see jsonArraysByKeySql): the shipments of every order `where` selects. */
export const shipmentsByOrderSql = (where: Prisma.Sql) =>
  jsonArraysByKeySql({
    key: Prisma.sql`s.order_id`,
    from: Prisma.sql`shipment s`,
    fields: shipmentFields(LINE_FIELDS),
    where,
    orderBy: Prisma.sql`s.id`,
  });

/** The lots the pick step stored for the line `e.v` (shipment.picks, one entry per line with its lots). */
const lotsSql = jsonArraySql({
  from: Prisma.sql`jsonb_array_elements(s.picks->'lines') p(v) CROSS JOIN LATERAL jsonb_array_elements(p.v->'lots') WITH ORDINALITY l(v, n)`,
  fields: Prisma.sql`l.v->'lotId' AS "lotId", l.v->'quantity' AS quantity, l.v->'expiryDate' AS "expiryDate"`,
  where: Prisma.sql`p.v->'lineNo' = e.v->'lineNo'`,
  orderBy: Prisma.sql`l.n`,
});

/**
 * The notice of the shipment row `s`: built (shipment.asn) by send-asn, which then mails it once under
 * the step's idempotency key, `<workflow id>:<step>` (workflows/engine/keys.ts; a shipment's workflow
 * id is its id): one unique-index lookup in the outbox.
 */
const asnSql = Prisma.sql`CASE WHEN s.asn IS NOT NULL THEN (SELECT row_to_json(a) FROM (
    SELECT s.id AS reference, m.message_id AS "messageId", ${isoSql(Prisma.sql`m.sent_at`)} AS "sentAt"
    FROM (SELECT 1) one LEFT JOIN outbound_email m ON m.idempotency_key = s.id || ${`:${sendAsnStep.name}`}) a) END`;

/** The line `e.v`'s OTIF row, written at delivery (line_otif, keyed by shipment and line). */
const otifSql = Prisma.sql`(SELECT row_to_json(x) FROM (
    SELECT t.is_on_time AS "isOnTime", t.is_in_full AS "isInFull", t.good_quantity AS "goodQuantity",
      ${daySql(Prisma.sql`t.promised_date`)} AS "promisedDate", ${daySql(Prisma.sql`t.delivered_date`)} AS "deliveredDate"
    FROM line_otif t WHERE t.shipment_id = s.id AND t.line_no = (e.v->>'lineNo')::int) x)`;

/** The stored proof of delivery (shipment.proof_of_delivery, jsonb) key by key, in the schema's order. */
const podSql = Prisma.sql`CASE WHEN s.proof_of_delivery IS NOT NULL THEN ${jsonObjectSql(Prisma.sql`
    s.proof_of_delivery->'signer' AS signer, s.proof_of_delivery->'deliveredAt' AS "deliveredAt",
    ${jsonArraySql({
      from: Prisma.sql`jsonb_array_elements(coalesce(s.proof_of_delivery->'exceptions', '[]'::jsonb)) WITH ORDINALITY x(v, n)`,
      fields: Prisma.sql`x.v->'lineNo' AS "lineNo", x.v->'type' AS type, x.v->'quantity' AS quantity, x.v->'note' AS note`,
      orderBy: Prisma.sql`x.n`,
    })} AS exceptions`)} END`;

/** As shipmentsJsonSql, in the shape of shipmentDetailSchema (the order page). */
export const shipmentDetailsJsonSql = (where: Prisma.Sql) =>
  jsonArraySql({
    from: Prisma.sql`shipment s`,
    fields: Prisma.sql`${shipmentFields(Prisma.sql`${LINE_FIELDS}, ${lotsSql} AS lots, ${otifSql} AS otif`)}, ${asnSql} AS asn, ${podSql} AS "proofOfDelivery"`,
    where,
    orderBy: Prisma.sql`s.id`,
  });
