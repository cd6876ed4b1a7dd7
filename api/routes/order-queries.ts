/**
 * Reading orders without scanning Temporal: lists and filters come from the order rows and step
 * events the workflows keep current; only the timeline adds the live state (SLA deadlines).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { Prisma } from '../../lib/db';
import { AUDIT_ID, decodeCursor, encodeCursor, page, pageQuery, pageSchema } from '../pagination';
import { orderIdSchema, problemResponses } from '../schemas';
import { ProblemError } from '../problems';
import {
  loadRunState,
  orderJsonText,
  orderPartsSql,
  orderSummarySchema,
  runStateSchema,
  type OrderPartsRow,
} from '../views/order-view';
import { isoSql, pageJsonText, sendJsonText, sqlRows } from '../views/sql-json';
import type { FastifyReply } from 'fastify';

const READERS = { auth: { roles: ['crm', 'ops', 'finance'] as const } };
const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export { orderSummarySchema };

/** Text PostgreSQL can take as a parameter (a NUL byte would be a 500) and a LIKE pattern can hold. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const PRINTABLE = /^[^\u0000-\u001f]*$/;
const instant = z.iso.datetime({ offset: true }).or(z.iso.date());
export const ORDER_SORTS = ['createdAt', '-createdAt', 'value', '-value'] as const;

const listQuery = z.object({
  status: z
    .string()
    .regex(/^[a-z_]{1,40}$/, 'must be an order status, e.g. shipped or credit_hold')
    .optional(),
  step: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/, 'must be a step name, e.g. create-erp-order')
    .optional()
    .describe('current step'),
  needsAttention: boolParam.optional(),
  slaBreached: boolParam.optional(),
  customerId: z.string().max(64).regex(PRINTABLE, 'must not contain control characters').optional(),
  from: instant.optional().describe('created at or after (ISO date or date-time)'),
  to: instant.optional().describe('created before this instant, or on or before this day when a date (YYYY-MM-DD)'),
  createdFrom: instant.optional().describe('same as from (older name)'),
  createdTo: instant.optional().describe('same as to (older name)'),
  q: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100)
    .regex(PRINTABLE, 'must not contain control characters')
    .optional()
    .describe('part of the deal id, PO number or customer name, any case'),
  sort: z
    .enum(ORDER_SORTS)
    .default('-createdAt')
    .describe('createdAt or value (order total), ascending; prefix - for descending'),
  ...pageQuery,
});

/** A date alone as an upper bound means the whole day. */
const upperBound = (value: string): Date =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000) : new Date(value);
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One SQL statement per page, seeking on (sort key, id) so every page costs the same however deep:
 * each filter has an index that leads with it and ends with the sort key (migration
 * ..._console_read_indexes). `q` is a substring match (ILIKE) on three columns, so it is filtered
 * while walking the sort index rather than looked up. The same statement reads each listed order's
 * shipments, invoices and returns (index lookups, only for the `limit` orders shown: the extra row
 * only says whether another page exists) and, for a customer's orders, whether the customer is known.
 * PostgreSQL writes each order in the schema's shape; the domain adds its invoices' computed fields
 * (api/views/sql-json.ts), and the page is sent as that text.
 */
async function listOrders(deps: AppDeps, reply: FastifyReply, q: z.infer<typeof listQuery>, customerId?: string) {
  const cursor = decodeCursor(q.cursor);
  const desc = q.sort.startsWith('-');
  const byValue = q.sort.endsWith('value');
  const from = q.from ?? q.createdFrom;
  const to = q.to ?? q.createdTo;
  const customer = customerId ?? q.customerId;
  const conditions: Prisma.Sql[] = [
    ...(q.status ? [Prisma.sql`status = ${q.status}`] : []),
    ...(q.step ? [Prisma.sql`current_step = ${q.step}`] : []),
    ...(q.needsAttention !== undefined ? [Prisma.sql`needs_attention = ${q.needsAttention}`] : []),
    ...(q.slaBreached !== undefined ? [Prisma.sql`sla_breached = ${q.slaBreached}`] : []),
    ...(customer ? [Prisma.sql`customer_id = ${customer}`] : []),
    ...(from ? [Prisma.sql`created_at >= ${new Date(from)}`] : []),
    ...(to ? [Prisma.sql`created_at < ${upperBound(to)}`] : []),
    ...(q.q
      ? [
          Prisma.sql`(deal_id ILIKE ${likePattern(q.q)} OR po_number ILIKE ${likePattern(q.q)} OR customer_name ILIKE ${likePattern(q.q)})`,
        ]
      : []),
  ];
  const key = byValue ? Prisma.sql`(total_minor, id)` : Prisma.sql`(created_at, id)`;
  if (cursor) {
    // The value cursor keeps the shared cursor shape: the row's id, whose total is read back (an order's total never changes).
    const after = byValue
      ? Prisma.sql`(SELECT total_minor, id FROM "order" WHERE id = ${cursor.id})`
      : Prisma.sql`(${new Date(cursor.at)}::timestamptz, ${cursor.id})`;
    conditions.push(desc ? Prisma.sql`${key} < ${after}` : Prisma.sql`${key} > ${after}`);
  }
  const direction = desc ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const order = (o: Prisma.Sql) =>
    byValue
      ? Prisma.sql`${o}.total_minor ${direction}, ${o}.id ${direction}`
      : Prisma.sql`${o}.created_at ${direction}, ${o}.id ${direction}`;
  // An unknown customer is a 404, not an empty page; orders recorded before master data knew the
  // customer (rejected at validation) still count as known.
  const known = customerId
    ? Prisma.sql`EXISTS (SELECT 1 FROM o) OR EXISTS (SELECT 1 FROM customer WHERE id = ${customerId}) OR EXISTS (SELECT 1 FROM "order" WHERE customer_id = ${customerId})`
    : Prisma.sql`true`;
  // One row per listed order, or a single row of nulls for an empty page (found and known still say).
  const rows = await sqlRows<
    Partial<OrderPartsRow> & { found: number; known: boolean; id: string | null; at: string | null }
  >(
    deps.db,
    Prisma.sql`
    WITH o AS (
      SELECT id, deal_id, customer_id, customer_name, po_number, currency, total_minor, status, current_step,
        needs_attention, sla_breached, created_at, updated_at FROM "order"
      ${conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}
      ORDER BY ${order(Prisma.sql`"order"`)}
      LIMIT ${q.limit + 1})
    SELECT c.found, c.known, p.id, p.at, p.head, p.invoices, p.tail
    FROM (SELECT count(*)::int AS found, ${known} AS known FROM o) c
    LEFT JOIN LATERAL (
      SELECT o.id, o.created_at, o.total_minor, ${isoSql(Prisma.sql`o.created_at`)} AS at, ${orderPartsSql}
      FROM o ORDER BY ${order(Prisma.sql`o`)} LIMIT ${q.limit}) p ON true
    ORDER BY ${order(Prisma.sql`p`)}`,
  );
  const [first] = rows;
  if (customerId && !first?.known) throw new ProblemError('notFound', `no customer ${customerId}`);
  const asOf = new Date().toISOString().slice(0, 10);
  const listed = rows.filter(
    (r): r is OrderPartsRow & { found: number; known: boolean; id: string; at: string } => r.id !== null,
  );
  const last = listed.at(-1);
  const nextCursor = (first?.found ?? 0) > q.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null;
  return sendJsonText(
    reply,
    pageJsonText(
      listed.map((r) => orderJsonText(r, asOf)),
      nextCursor,
    ),
  );
}

export const orderQueryRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/orders',
    {
      config: READERS,
      schema: {
        tags: ['ops'],
        summary:
          'Orders filtered by status, current step, needsAttention, slaBreached, customer, creation date range and free text (q); sorted by creation date or value; newest first by default',
        querystring: listQuery,
        response: { 200: pageSchema(orderSummarySchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (req, reply) => listOrders(deps, reply, req.query),
  );

  app.get(
    '/customers/:customerId/orders',
    {
      config: READERS,
      schema: {
        tags: ['crm'],
        summary: "A customer's orders with status, shipments, carriers and tracking",
        params: z.object({ customerId: z.string().min(1).max(64) }),
        querystring: listQuery.omit({ customerId: true }),
        response: { 200: pageSchema(orderSummarySchema), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => listOrders(deps, reply, req.query, req.params.customerId),
  );

  app.get(
    '/orders/:orderId/timeline',
    {
      // The timeline carries ops' and finance's reasons: not part of the CRM's read-back.
      config: { auth: { roles: ['ops', 'finance'] as const } },
      schema: {
        tags: ['ops'],
        summary:
          'Every step of the order and its shipments (status, attempts, errors, SLA deadline and breach) and every transition and ops action, in order',
        params: z.object({ orderId: orderIdSchema }),
        response: {
          200: z.object({
            orderId: z.string(),
            runs: z.array(z.object({ runId: z.string(), state: runStateSchema.nullable() })),
            events: z.array(
              z.object({
                at: z.string(),
                runId: z.string(),
                step: z.string(),
                from: z.string().nullable(),
                to: z.string(),
                attempt: z.number(),
                actor: z.string(),
                reason: z.string().nullable(),
                error: z.string().nullable(),
              }),
            ),
            actions: z.array(
              z.object({
                at: z.string(),
                actor: z.string(),
                action: z.string(),
                reason: z.string().nullable(),
                outcome: z.string(),
              }),
            ),
          }),
          ...problemResponses(404),
        },
      },
    },
    async (req) => {
      const { orderId } = req.params;
      const order = await deps.db.order.findUnique({ where: { id: orderId }, select: { id: true } });
      if (!order) throw new ProblemError('notFound', `no order ${orderId}`);
      const [events, shipments] = await Promise.all([
        deps.db.stepEvent.findMany({ where: { orderId }, orderBy: [{ occurredAt: 'asc' }, { seq: 'asc' }] }),
        deps.db.shipment.findMany({ where: { orderId }, select: { id: true }, orderBy: { id: 'asc' } }),
      ]);
      const runIds = [orderId, ...shipments.map((s) => s.id)];
      // Exact ids: a prefix match would show another order's actions (order-D-1 vs order-D-1042).
      const actions = await deps.db.auditLog.findMany({ where: { targetId: { in: runIds } }, orderBy: { at: 'asc' } });
      // From the step-event mirror, as the order page: no Temporal query on a screen's read path.
      const states = await Promise.all(
        runIds.map((id) => loadRunState(deps.db, id, id === orderId ? 'order' : 'shipment')),
      );
      return {
        orderId,
        runs: runIds.map((runId, i) => ({ runId, state: states[i] ?? null })),
        events: events.map((e) => ({
          at: e.occurredAt.toISOString(),
          runId: e.workflowId,
          step: e.step,
          from: e.fromStatus,
          to: e.toStatus,
          attempt: e.attempt,
          actor: e.actor,
          reason: e.reason,
          error: e.error,
        })),
        actions: actions.map((a) => ({
          at: a.at.toISOString(),
          actor: a.actor,
          action: a.action,
          reason: a.reason,
          outcome: a.outcome,
        })),
      };
    },
  );

  app.get(
    '/audit',
    {
      config: { auth: { roles: ['finance'] as const } },
      schema: {
        tags: ['finance'],
        summary: 'The audit log of ops and finance actions (admins and finance), newest first',
        querystring: z.object({
          targetId: z.string().max(120).optional(),
          actor: z.string().max(120).optional(),
          ...pageQuery,
        }),
        response: {
          200: pageSchema(
            z.object({
              id: z.string(),
              at: z.string(),
              actor: z.string(),
              role: z.string(),
              action: z.string(),
              targetType: z.string(),
              targetId: z.string(),
              reason: z.string().nullable(),
              outcome: z.string(),
              before: z.unknown(),
              after: z.unknown(),
            }),
          ),
          ...problemResponses(400),
        },
      },
    },
    async (req) => {
      const cursor = decodeCursor(req.query.cursor, { id: AUDIT_ID });
      const rows = await deps.db.auditLog.findMany({
        where: {
          ...(req.query.targetId ? { targetId: req.query.targetId } : {}),
          ...(req.query.actor ? { actor: req.query.actor } : {}),
          ...(cursor ? { id: { lt: BigInt(cursor.id) } } : {}),
        },
        orderBy: { id: 'desc' },
        take: req.query.limit + 1,
      });
      const { items, nextCursor } = page(rows, req.query.limit, (r) => ({ at: r.at.toISOString(), id: String(r.id) }));
      return {
        items: items.map((a) => ({ ...a, id: String(a.id), at: a.at.toISOString() })),
        nextCursor,
      };
    },
  );

  app.get(
    '/orders/:orderId/crm-deliveries',
    {
      config: READERS,
      schema: {
        tags: ['crm'],
        summary: 'Status milestones sent to the CRM webhook for this order: each attempt with its status code',
        params: z.object({ orderId: orderIdSchema }),
        response: {
          200: z.object({
            milestones: z.array(
              z.object({
                milestone: z.string(),
                idempotencyKey: z.string(),
                createdAt: z.string(),
                deliveredAt: z.string().nullable(),
                attempts: z.number(),
                deliveries: z.array(
                  z.object({
                    attempt: z.number(),
                    statusCode: z.number().nullable(),
                    error: z.string().nullable(),
                    durationMs: z.number(),
                    attemptedAt: z.string(),
                  }),
                ),
              }),
            ),
          }),
          ...problemResponses(404),
        },
      },
    },
    async (req) => {
      const { orderId } = req.params;
      const order = await deps.db.order.findUnique({ where: { id: orderId }, select: { id: true } });
      if (!order) throw new ProblemError('notFound', `no order ${orderId}`);
      const [milestones, deliveries] = await Promise.all([
        deps.db.crmMilestone.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } }),
        deps.db.webhookDelivery.findMany({ where: { orderId }, orderBy: { id: 'asc' } }),
      ]);
      return {
        milestones: milestones.map((m) => ({
          milestone: m.milestone,
          idempotencyKey: m.idempotencyKey,
          createdAt: m.createdAt.toISOString(),
          deliveredAt: m.deliveredAt?.toISOString() ?? null,
          attempts: m.attempts,
          deliveries: deliveries
            .filter((d) => d.milestoneKey === m.idempotencyKey)
            .map((d) => ({
              attempt: d.attempt,
              statusCode: d.statusCode,
              error: d.error,
              durationMs: d.durationMs,
              attemptedAt: d.attemptedAt.toISOString(),
            })),
        })),
      };
    },
  );
};
