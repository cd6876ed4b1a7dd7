/**
 * The order as integrators and ops read it: the stored row (what lists and filters use) joined with the
 * workflow's state as the step-event mirror holds it (steps, SLA deadlines, errors). The state is null
 * before the workflow's first transition; the order may still sit in the inbox. `queryRunState` (a
 * Temporal query) stays for actions that answer with the run's state, never for a screen's read.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Prisma, type Db } from '../../lib/db';
import { getState } from '../../workflows/engine/messages';
import type { RunState } from '../../workflows/engine/state';
import { CLOSED_WON } from '../intake/closed-won';
import type { RunKind } from '../run-kind';
import { shipmentDetailsJsonSql, shipmentsByOrderSql } from './shipment-view';
import { invoicesJsonText, invoiceTupleSql, invoiceTuplesSql, type InvoiceTuple } from './invoice-view';
import { returnsByOrderSql, returnsJsonSql } from './return-view';
import { daySql, isoSql, jsonArraySql, jsonArraysByKeySql, jsonMembersSql, sqlRows } from './sql-json';
import { runStateFromMirror, type MirroredEvent, type MirroredRow } from './run-state';

export {
  orderSummarySchema,
  orderViewSchema,
  runStateSchema,
  type OrderSummary,
  type OrderView,
} from './order-schemas';
import type { OrderStatus } from '../../domain/statuses';

export async function queryRunState(temporal: Client, workflowId: string): Promise<RunState | null | 'not-found'> {
  try {
    return await temporal.withDeadline(Date.now() + 5000, () =>
      temporal.workflow.getHandle(workflowId).query(getState),
    );
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
export async function loadRunState(
  db: Db,
  workflowId: string,
  kind: RunKind,
  row?: MirroredRow,
): Promise<RunState | null> {
  const [found] = await db.$queryRaw<{ events: EventJson[] | null }[]>`
    SELECT (SELECT json_agg(${EVENT_JSON} ORDER BY e.occurred_at, e.seq, e.id) FROM step_event e WHERE e.workflow_id = ${workflowId}) AS events`;
  return runStateFromMirror({ id: workflowId, kind, events: (found?.events ?? []).map(eventOf), row });
}

/** Orders whose run ended: a shipment step still recorded as stuck (from before cancellations were written to it) asks nothing of ops. */
export const ENDED_ORDER = ['cancelled', 'rejected'] as const satisfies readonly OrderStatus[];

/**
 * The summary's fields of the order row `o` up to its shipments, in the order of orderSummarySchema,
 * for sql-json.ts (jsonMembersSql); `needsAttention` is that field's value.
 */
const orderHeadFields = (needsAttention: Prisma.Sql) => Prisma.sql`o.id AS "orderId", o.deal_id AS "dealId", o.status,
  (SELECT row_to_json(c) FROM (SELECT o.customer_id AS id, o.customer_name AS name) c) AS customer,
  o.po_number AS "poNumber", o.currency, o.total_minor AS "totalMinor", o.current_step AS "currentStep",
  ${needsAttention} AS "needsAttention", o.sla_breached AS "slaBreached",
  ${isoSql(Prisma.sql`o.created_at`)} AS "createdAt", ${isoSql(Prisma.sql`o.updated_at`)} AS "updatedAt"`;

/**
 * An order needs attention when its own run does (the row's flag) or, while it has not ended, one of
 * its shipment runs does: a shipment runs as its own workflow, so its stuck step never sets the order
 * row's flag; record-transition mirrors it onto the shipment's row instead. The page, the lists and
 * their needsAttention filter all ask this, the work queue's rule. `o` is the order row's alias.
 */
// `IN (subquery)`, not a correlated EXISTS: PostgreSQL reads the flagged shipments once per statement
// (a hashed subplan over the (needs_attention, order_id) index), so a list filtered on the flag checks
// each order it walks in memory. shipment.order_id is NOT NULL: NOT of this is never NULL.
export const orderNeedsAttentionSql = (o: Prisma.Sql) =>
  Prisma.sql`(${o}.needs_attention OR (${o}.status <> ALL(${ENDED_ORDER}) AND ${o}.id IN (
    SELECT s.order_id FROM shipment s WHERE s.needs_attention)))`;

/** The backorder row `b` as the summary shows it. */
const BACKORDER_FIELDS = Prisma.sql`b.line_no AS "lineNo", b.sku, b.warehouse_id AS "warehouseId", b.quantity, ${daySql(Prisma.sql`b.available_date`)} AS "availableDate",
      b.receipt_id AS "receiptId", b.status`;

/** The parts after the invoices (returns, backorders) of the order whose id is `orderId`, as JSON members. */
const orderTailSql = (orderId: Prisma.Sql) =>
  jsonMembersSql(Prisma.sql`
  ${returnsJsonSql(Prisma.sql`rr.order_id = ${orderId}`)} AS returns,
  ${jsonArraySql({
    from: Prisma.sql`backorder b`,
    fields: BACKORDER_FIELDS,
    where: Prisma.sql`b.order_id = ${orderId}`,
    orderBy: Prisma.sql`b.line_no, b.part_no`,
  })} AS backorders`);

/** Columns `head`, `invoices` and `tail` of the one order row `o` (as listedOrderPartsSql), its head's fields being `headFields`. */
const orderPartsOf = (headFields: Prisma.Sql) => Prisma.sql`
  ${jsonMembersSql(headFields)} AS head,
  ${invoiceTuplesSql(Prisma.sql`i.order_ids @> ARRAY[o.id]::text[]`)} AS invoices,
  ${orderTailSql(Prisma.sql`o.id`)} AS tail`;

/**
 * Columns `head` (the summary's members up to its invoices), `invoices` (InvoiceTuples) and `tail` (the
 * members after them), for orderJsonText, of each order row `o` of the CTE `listed` (a page of a list),
 * with the joins they read (put them after `FROM listed o`). Each part is read for the whole page at
 * once, one index scan grouped by order, not a subquery per order: a page of 50 ran each part's
 * subquery 50 times (issue 13). A period invoice shows under every order it bills: one GIN lookup
 * of order_ids for all the listed ids, each invoice then joined to the listed orders it bills.
 */
export const listedOrderPartsSql = {
  columns: Prisma.sql`
  ${jsonMembersSql(Prisma.sql`${orderHeadFields(orderNeedsAttentionSql(Prisma.sql`o`))}, coalesce(sh.v, '[]'::json) AS shipments`)} AS head,
  coalesce(iv.v, '[]'::json) AS invoices,
  ${jsonMembersSql(Prisma.sql`coalesce(rt.v, '[]'::json) AS returns, coalesce(bo.v, '[]'::json) AS backorders`)} AS tail`,
  joins: Prisma.sql`
  LEFT JOIN ${shipmentsByOrderSql(Prisma.sql`s.order_id IN (SELECT id FROM listed)`)} sh ON sh.key = o.id
  LEFT JOIN (SELECT k.order_id AS key, array_to_json(array_agg(${invoiceTupleSql(Prisma.sql`i`)} ORDER BY i.id)) AS v
    FROM invoice i CROSS JOIN LATERAL unnest(i.order_ids) WITH ORDINALITY k(order_id, n)
    WHERE i.order_ids && (SELECT array_agg(id) FROM listed) AND k.order_id IN (SELECT id FROM listed)
      AND array_position(i.order_ids, k.order_id) = k.n
    GROUP BY k.order_id) iv ON iv.key = o.id
  LEFT JOIN ${returnsByOrderSql(Prisma.sql`rr.order_id IN (SELECT id FROM listed)`)} rt ON rt.key = o.id
  LEFT JOIN ${jsonArraysByKeySql({
    key: Prisma.sql`b.order_id`,
    from: Prisma.sql`backorder b`,
    fields: BACKORDER_FIELDS,
    where: Prisma.sql`b.order_id IN (SELECT id FROM listed)`,
    orderBy: Prisma.sql`b.line_no, b.part_no`,
  })} bo ON bo.key = o.id`,
};

/** The parts of orderPartsOf for the order page (orderViewSchema): shipments with lots and notices. */
const orderPagePartsSql = orderPartsOf(
  Prisma.sql`${orderHeadFields(orderNeedsAttentionSql(Prisma.sql`o`))}, ${shipmentDetailsJsonSql(Prisma.sql`s.order_id = o.id`)} AS shipments`,
);

/** What listedOrderPartsSql and orderPartsOf read for one order. */
export interface OrderPartsRow {
  head: string;
  invoices: InvoiceTuple[];
  tail: string;
}

/** The order summary's JSON text (orderSummarySchema); `extra` adds members before the closing brace (the page's workflow). */
export const orderJsonText = (parts: OrderPartsRow, asOf: string, extra = '') =>
  `{${parts.head},"invoices":${invoicesJsonText(parts.invoices, asOf)},${parts.tail}${extra}}`;

interface OrderPageRow extends Partial<OrderPartsRow> {
  status: string | null;
  current_step: string | null;
  needs_attention: boolean | null;
  sla_breached: boolean | null;
  events: EventJson[] | null;
  step_durations: Record<string, string> | null;
  inbox: {
    payload: { dealId: string; customer: { id: string; name: string }; poNumber: string; currency: string };
    received_at: string;
    started_at: string | null;
  } | null;
  shipments: string;
  invoices_of_id: InvoiceTuple[];
  tail_of_id: string;
}

/**
 * One statement for the whole page: the order row's summary parts, its run's events, its customer's SLA
 * durations, and the inbox row for an order not recorded yet (then the parts are read by the id, as
 * the workflow may already have written some). Every part is an index lookup.
 */
const orderPageSql = (orderId: string) => Prisma.sql`
  SELECT o.status, o.current_step, o.needs_attention, o.sla_breached, p.head, p.invoices, p.tail,
    (SELECT json_agg(${EVENT_JSON} ORDER BY e.occurred_at, e.seq, e.id) FROM step_event e WHERE e.workflow_id = ${orderId}) AS events,
    (SELECT sp.step_durations FROM customer c JOIN sla_profile sp ON sp.id = c.sla_profile_id WHERE c.id = o.customer_id) AS step_durations,
    (SELECT json_build_object('payload', b.payload, 'received_at', b.received_at, 'started_at', b.started_at) FROM inbound_event b
       WHERE o.id IS NULL AND b.workflow_id = ${orderId} AND b.kind = ${CLOSED_WON} LIMIT 1) AS inbox,
    CASE WHEN o.id IS NULL THEN ${shipmentDetailsJsonSql(Prisma.sql`s.order_id = ${orderId}`)}::text END AS shipments,
    CASE WHEN o.id IS NULL THEN ${invoiceTuplesSql(Prisma.sql`i.order_ids @> ARRAY[${orderId}]::text[]`)} END AS invoices_of_id,
    CASE WHEN o.id IS NULL THEN ${orderTailSql(Prisma.sql`${orderId}`)} END AS tail_of_id
  FROM (SELECT 1) one
  LEFT JOIN "order" o ON o.id = ${orderId}
  LEFT JOIN LATERAL (SELECT ${orderPagePartsSql}) p ON o.id IS NOT NULL`;

/** The mirrored state's JSON text in the order of runStateSchema (the engine builds steps in another order). */
function runStateJsonText(state: RunState | null): string {
  if (!state) return 'null';
  const {
    id,
    status,
    currentStep,
    needsAttention,
    slaBreached,
    createdAt,
    updatedAt,
    steps,
    results,
    cancelReason,
    hold,
  } = state;
  return JSON.stringify({
    id,
    status,
    currentStep,
    needsAttention,
    slaBreached,
    createdAt,
    updatedAt,
    steps: steps.map((st) => ({
      name: st.name,
      status: st.status,
      rounds: st.rounds,
      lastError: st.lastError,
      startedAt: st.startedAt,
      finishedAt: st.finishedAt,
      slaDeadline: st.slaDeadline,
      slaBreached: st.slaBreached,
      breachedAt: st.breachedAt,
      skippedReason: st.skippedReason,
    })),
    results,
    cancelReason,
    hold: hold && { reason: hold.reason, actor: hold.actor, since: hold.since },
  });
}

/**
 * The order page from PostgreSQL alone, in one round trip, as the JSON text of orderViewSchema: the
 * stored row, and the workflow's state as its step events mirror it (see run-state.ts); no Temporal
 * query, so a busy or unreachable worker never slows or empties the page. Undefined: no such order.
 */
export async function orderViewJsonText(db: Db, orderId: string): Promise<string | undefined> {
  const [read] = await sqlRows<OrderPageRow>(db, orderPageSql(orderId));
  if (!read) return undefined;
  const asOf = new Date().toISOString().slice(0, 10);
  const events = (read.events ?? []).map(eventOf);
  const row = read.status === null ? undefined : read;
  const workflow = runStateFromMirror({
    id: orderId,
    kind: 'order',
    events,
    ...(row
      ? {
          row: {
            status: row.status!,
            currentStep: row.current_step,
            needsAttention: row.needs_attention!,
            slaBreached: row.sla_breached!,
          },
        }
      : {}),
    stepDurations: read.step_durations ?? undefined,
  });
  const workflowMember = `,"workflow":${runStateJsonText(workflow)}`;
  if (row) return orderJsonText(row as OrderPartsRow, asOf, workflowMember);
  // Accepted but not written yet (workflow starting, or Temporal was down): answer from the inbox.
  const inbox = read.inbox;
  if (!inbox) return undefined;
  const event = inbox.payload;
  const receivedAt = new Date(inbox.received_at).toISOString();
  const head = JSON.stringify({
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
  }).slice(1, -1);
  return orderJsonText(
    { head: `${head},"shipments":${read.shipments}`, invoices: read.invoices_of_id, tail: read.tail_of_id },
    asOf,
    workflowMember,
  );
}
