/**
 * The order as integrators and ops read it: the stored row (what lists and filters use) joined with the
 * workflow's state as the step-event mirror holds it (steps, SLA deadlines, errors). The state is null
 * before the workflow's first transition; the order may still sit in the inbox. `queryRunState` (a
 * Temporal query) stays for actions that answer with the run's state, never for a screen's read.
 */
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Prisma, type Db } from '../../lib/db';
import { getState } from '../../workflows/engine/messages';
import type { RunState } from '../../workflows/engine/state';
import { CLOSED_WON } from '../intake/closed-won';
import type { RunKind } from '../run-kind';
import { shipmentFromJson, shipmentsJson, shipmentViewSchema, type ShipmentJson } from './shipment-view';
import { invoiceFromJson, invoicesJson, invoiceSummarySchema, type InvoiceJson } from './invoice-view';
import { returnFromJson, returnsJson, returnSummarySchema, type ReturnJson } from './return-view';
import { runStateFromMirror, type MirroredEvent, type MirroredRow } from './run-state';

const stepSchema = z.object({
  name: z.string(),
  status: z.string(),
  rounds: z.number(),
  lastError: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  slaDeadline: z.string().optional(),
  slaBreached: z.boolean(),
  breachedAt: z.string().optional(),
  skippedReason: z.string().optional(),
});

export const runStateSchema = z.object({
  id: z.string(),
  status: z.string(),
  currentStep: z.string().optional(),
  needsAttention: z.boolean(),
  slaBreached: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.array(stepSchema),
  results: z.record(z.string(), z.unknown()),
  cancelReason: z.string().optional(),
  hold: z.object({ reason: z.string(), actor: z.string(), since: z.string() }).optional(),
});

const backorderSchema = z.object({
  lineNo: z.number().int(),
  sku: z.string(),
  warehouseId: z.string(),
  quantity: z.number().int(),
  availableDate: z.string().describe('when the units are promised: the receipt\'s date or the SKU\'s lead time'),
  receiptId: z.string().nullable().describe('the scheduled receipt they wait on; null on lead time'),
  status: z.string().describe('waiting | received | released | cancelled'),
});
type BackorderJson = z.infer<typeof backorderSchema>;

export const orderViewSchema = z.object({
  orderId: z.string(),
  dealId: z.string(),
  status: z.string(),
  customer: z.object({ id: z.string(), name: z.string() }),
  poNumber: z.string(),
  currency: z.string(),
  totalMinor: z.number().int().describe('order value in minor units (cents) at the prices sent'),
  currentStep: z.string().nullable(),
  needsAttention: z.boolean(),
  slaBreached: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  shipments: z.array(shipmentViewSchema).describe('per warehouse and backorder release: carrier, tracking, promised dates'),
  invoices: z.array(invoiceSummarySchema).describe('with balance and due date'),
  returns: z.array(returnSummarySchema).describe('return requests (RMA) with their status, tracking and credit memo'),
  backorders: z.array(backorderSchema).describe('units waiting on a scheduled receipt or on lead time, per line and source'),
  workflow: runStateSchema.nullable().describe('the run\'s state as its step events mirror it (results is empty: the outputs live in shipments, invoices...); null before its first transition'),
});

export type OrderView = z.infer<typeof orderViewSchema>;

export async function queryRunState(temporal: Client, workflowId: string): Promise<RunState | null | 'not-found'> {
  try {
    return await temporal.withDeadline(Date.now() + 5000, () => temporal.workflow.getHandle(workflowId).query(getState));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'not-found';
    return null;
  }
}

/** step_event columns as the views read them (JSON keys of the aggregate). */
const EVENT_JSON = Prisma.sql`json_build_object('step', e.step, 'fromStatus', e.from_status, 'toStatus', e.to_status, 'attempt', e.attempt,
  'error', e.error, 'actor', e.actor, 'reason', e.reason, 'occurredAt', e.occurred_at)`;

interface EventJson extends Omit<MirroredEvent, 'occurredAt'> {
  occurredAt: string;
}
const eventOf = (e: EventJson): MirroredEvent => ({ ...e, occurredAt: new Date(e.occurredAt) });

/** The events of one run, oldest first (reset runs interleave by time; seq breaks ties within a run). */
export async function loadRunState(db: Db, workflowId: string, kind: RunKind, row?: MirroredRow): Promise<RunState | null> {
  const [found] = await db.$queryRaw<{ events: EventJson[] | null }[]>`
    SELECT (SELECT json_agg(${EVENT_JSON} ORDER BY e.occurred_at, e.seq, e.id) FROM step_event e WHERE e.workflow_id = ${workflowId}) AS events`;
  return runStateFromMirror({ id: workflowId, kind, events: (found?.events ?? []).map(eventOf), row });
}

/** The order row's columns, as lists and the order page read them (the keys of OrderJson). */
export const ORDER_JSON_COLUMNS = Prisma.sql`id, deal_id, customer_id, customer_name, po_number, currency, total_minor, status, current_step,
  needs_attention, sla_breached, created_at, updated_at`;

export interface OrderJson {
  id: string; deal_id: string; customer_id: string; customer_name: string; po_number: string; currency: string; total_minor: number;
  status: string; current_step: string | null; needs_attention: boolean; sla_breached: boolean; created_at: string; updated_at: string;
}

/** What an order shows beside its row, as JSON arrays (null when there is none). */
export interface OrderPartsJson {
  shipments: ShipmentJson[] | null;
  invoices: InvoiceJson[] | null;
  returns: ReturnJson[] | null;
  backorders: BackorderJson[] | null;
}

/**
 * Four subqueries (columns shipments, invoices, returns, backorders) for the order whose id is `orderId`, a
 * parameter or an outer column such as `o.id` (no subquery uses the alias `o`). A period invoice shows
 * under every order it bills: one GIN lookup of order_ids per order.
 */
export const orderPartsSql = (orderId: Prisma.Sql) => Prisma.sql`
    ${shipmentsJson(Prisma.sql`order_id = ${orderId}`)} AS shipments,
    ${invoicesJson(Prisma.sql`order_ids @> ARRAY[${orderId}]::text[]`)} AS invoices,
    ${returnsJson(Prisma.sql`rr.order_id = ${orderId}`)} AS returns,
    (SELECT json_agg(json_build_object('lineNo', b.line_no, 'sku', b.sku, 'warehouseId', b.warehouse_id, 'quantity', b.quantity,
        'availableDate', b.available_date, 'receiptId', b.receipt_id, 'status', b.status) ORDER BY b.line_no, b.part_no)
       FROM backorder b WHERE b.order_id = ${orderId}) AS backorders`;

/** An order in a list: the order view without the live workflow state (lists never query Temporal). */
export const orderSummarySchema = orderViewSchema.omit({ workflow: true });
export type OrderSummary = z.infer<typeof orderSummarySchema>;

/** The summary of an order row and its parts read as JSON; invoices as of `asOf` (the discount offer depends on the day). */
export const orderSummaryFromJson = (row: OrderJson, parts: OrderPartsJson, asOf: string): OrderSummary => ({
  orderId: row.id,
  dealId: row.deal_id,
  status: row.status,
  customer: { id: row.customer_id, name: row.customer_name },
  poNumber: row.po_number,
  currency: row.currency,
  totalMinor: Number(row.total_minor),
  currentStep: row.current_step,
  needsAttention: row.needs_attention,
  slaBreached: row.sla_breached,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
  shipments: (parts.shipments ?? []).map(shipmentFromJson),
  invoices: (parts.invoices ?? []).map((i) => invoiceFromJson(i, asOf)),
  returns: (parts.returns ?? []).map(returnFromJson),
  backorders: parts.backorders ?? [],
});

interface OrderReadJson extends OrderPartsJson {
  order: OrderJson | null;
  events: EventJson[] | null;
  step_durations: Record<string, string> | null;
  inbox: { payload: { dealId: string; customer: { id: string; name: string }; poNumber: string; currency: string }; received_at: string; started_at: string | null } | null;
}

/**
 * One statement for the whole page: the order row, its run's events, its customer's SLA durations,
 * shipments, invoices (a period invoice shows under every order it bills), returns with their lines and
 * credit memo, and the inbox row for an order not recorded yet. Every part is an index lookup. One JSON
 * text: parsed once here, where a json column would also be walked value by value by Prisma's raw-result
 * decoding (measurable on a page of this size).
 */
const orderReadSql = (orderId: string) => Prisma.sql`
  SELECT row_to_json(r)::text AS read FROM (SELECT
    (SELECT row_to_json(o) FROM (SELECT ${ORDER_JSON_COLUMNS} FROM "order" WHERE id = ${orderId}) o) AS "order",
    (SELECT json_agg(${EVENT_JSON} ORDER BY e.occurred_at, e.seq, e.id) FROM step_event e WHERE e.workflow_id = ${orderId}) AS events,
    (SELECT p.step_durations FROM "order" o JOIN customer c ON c.id = o.customer_id JOIN sla_profile p ON p.id = c.sla_profile_id WHERE o.id = ${orderId}) AS step_durations,
    ${orderPartsSql(Prisma.sql`${orderId}`)},
    (SELECT json_build_object('payload', b.payload, 'received_at', b.received_at, 'started_at', b.started_at) FROM inbound_event b
       WHERE b.workflow_id = ${orderId} AND b.kind = ${CLOSED_WON} AND NOT EXISTS (SELECT 1 FROM "order" WHERE id = ${orderId}) LIMIT 1) AS inbox) r`;

/**
 * The order page from PostgreSQL alone, in one round trip: the stored row, and the workflow's state as
 * its step events mirror it (see run-state.ts); no Temporal query, so a busy or unreachable worker never
 * slows or empties the page.
 */
export async function loadOrderView(db: Db, orderId: string): Promise<OrderView | undefined> {
  const [found] = await db.$queryRaw<{ read: string }[]>(orderReadSql(orderId));
  if (!found) return undefined;
  const read = JSON.parse(found.read) as OrderReadJson;
  const asOf = new Date().toISOString().slice(0, 10);
  const events = (read.events ?? []).map(eventOf);
  const row = read.order;
  const workflow = runStateFromMirror({
    id: orderId,
    kind: 'order',
    events,
    ...(row ? { row: { status: row.status, currentStep: row.current_step, needsAttention: row.needs_attention, slaBreached: row.sla_breached } } : {}),
    stepDurations: read.step_durations ?? undefined,
  });
  if (row) return { ...orderSummaryFromJson(row, read, asOf), workflow };
  // Accepted but not written yet (workflow starting, or Temporal was down): answer from the inbox.
  const inbox = read.inbox;
  if (!inbox) return undefined;
  const event = inbox.payload;
  const receivedAt = new Date(inbox.received_at).toISOString();
  return {
    orderId,
    dealId: event.dealId,
    status: workflow?.status ?? (inbox.started_at ? 'starting' : 'accepted'),
    customer: { id: event.customer.id, name: event.customer.name },
    poNumber: event.poNumber,
    currency: event.currency,
    totalMinor: 0,
    currentStep: workflow?.currentStep ?? null,
    needsAttention: workflow?.needsAttention ?? false,
    slaBreached: workflow?.slaBreached ?? false,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    shipments: (read.shipments ?? []).map(shipmentFromJson),
    invoices: (read.invoices ?? []).map((i) => invoiceFromJson(i, asOf)),
    returns: (read.returns ?? []).map(returnFromJson),
    backorders: read.backorders ?? [],
    workflow,
  };
}
