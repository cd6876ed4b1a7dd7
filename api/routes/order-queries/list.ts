/** GET /orders and GET /customers/:customerId/orders: one seek-paged SQL statement per page. */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { Prisma } from '../../../lib/db';
import { decodeCursor, encodeCursor, pageQuery, pageSchema, type Cursor } from '../../pagination';
import { problemResponses } from '../../schemas';
import { ProblemError } from '../../problems';
import {
  listedOrderPartsSql,
  orderJsonText,
  orderNeedsAttentionSql,
  orderSummarySchema,
  type OrderPartsRow,
} from '../../views/order-view';
import { isoSql, pageJsonText, sendJsonText, sqlRows } from '../../views/sql-json';
import type { RouteApp } from '../route-app';
import { READERS } from './shared';

const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');
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
type ListQuery = z.infer<typeof listQuery>;
type ListedRow = Partial<OrderPartsRow> & { found: number; known: boolean; id: string | null; at: string | null };

/** A date alone as an upper bound means the whole day. */
const upperBound = (value: string): Date =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000) : new Date(value);
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function registerOrderList(app: RouteApp, deps: AppDeps): void {
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
}

export function registerCustomerOrderList(app: RouteApp, deps: AppDeps): void {
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
}

/** The filters of the query, and the seek past the cursor on (sort key, id). */
function orderListWhere(q: ListQuery, cursor: Cursor | undefined, customerId?: string): Prisma.Sql[] {
  const from = q.from ?? q.createdFrom;
  const to = q.to ?? q.createdTo;
  const customer = customerId ?? q.customerId;
  const conditions: Prisma.Sql[] = [
    ...(q.status ? [Prisma.sql`status = ${q.status}`] : []),
    ...(q.step ? [Prisma.sql`current_step = ${q.step}`] : []),
    ...(q.needsAttention !== undefined
      ? [
          q.needsAttention
            ? orderNeedsAttentionSql(Prisma.sql`"order"`)
            : Prisma.sql`NOT ${orderNeedsAttentionSql(Prisma.sql`"order"`)}`,
        ]
      : []),
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
  if (cursor) {
    const byValue = q.sort.endsWith('value');
    const key = byValue ? Prisma.sql`(total_minor, id)` : Prisma.sql`(created_at, id)`;
    // The value cursor keeps the shared cursor shape: the row's id, whose total is read back (an order's total never changes).
    const after = byValue
      ? Prisma.sql`(SELECT total_minor, id FROM "order" WHERE id = ${cursor.id})`
      : Prisma.sql`(${new Date(cursor.at)}::timestamptz, ${cursor.id})`;
    conditions.push(q.sort.startsWith('-') ? Prisma.sql`${key} < ${after}` : Prisma.sql`${key} > ${after}`);
  }
  return conditions;
}

/**
 * One SQL statement per page, seeking on (sort key, id) so every page costs the same however deep:
 * each filter has an index that leads with it and ends with the sort key (migration
 * ..._console_read_indexes), except needsAttention, which also asks the shipments' flags (read once per
 * statement, see orderNeedsAttentionSql) while walking the sort index. `q` is a substring match (ILIKE) on three columns, so it is filtered
 * while walking the sort index rather than looked up. The same statement reads each listed order's
 * shipments, invoices and returns (index lookups, only for the `limit` orders shown: the extra row
 * only says whether another page exists; each part read for the whole page at once, see
 * listedOrderPartsSql) and, for a customer's orders, whether the customer is known.
 * PostgreSQL writes each order in the schema's shape; the domain adds its invoices' computed fields
 * (api/views/sql-json.ts), and the page is sent as that text.
 */
async function listOrders(deps: AppDeps, reply: FastifyReply, q: ListQuery, customerId?: string) {
  const cursor = decodeCursor(q.cursor);
  const conditions = orderListWhere(q, cursor, customerId);
  const direction = q.sort.startsWith('-') ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const order = (o: Prisma.Sql) =>
    q.sort.endsWith('value')
      ? Prisma.sql`${o}.total_minor ${direction}, ${o}.id ${direction}`
      : Prisma.sql`${o}.created_at ${direction}, ${o}.id ${direction}`;
  // An unknown customer is a 404, not an empty page; orders recorded before master data knew the
  // customer (rejected at validation) still count as known.
  const known = customerId
    ? Prisma.sql`EXISTS (SELECT 1 FROM o) OR EXISTS (SELECT 1 FROM customer WHERE id = ${customerId}) OR EXISTS (SELECT 1 FROM "order" WHERE customer_id = ${customerId})`
    : Prisma.sql`true`;
  // One row per listed order, or a single row of nulls for an empty page (found and known still say).
  const rows = await sqlRows<ListedRow>(
    deps.db,
    Prisma.sql`
    WITH o AS (
      SELECT id, deal_id, customer_id, customer_name, po_number, currency, total_minor, status, current_step,
        needs_attention, sla_breached, created_at, updated_at FROM "order"
      ${conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}
      ORDER BY ${order(Prisma.sql`"order"`)}
      LIMIT ${q.limit + 1}),
    listed AS (SELECT * FROM o ORDER BY ${order(Prisma.sql`o`)} LIMIT ${q.limit})
    SELECT c.found, c.known, p.id, p.at, p.head, p.invoices, p.tail
    FROM (SELECT count(*)::int AS found, ${known} AS known FROM o) c
    LEFT JOIN LATERAL (
      SELECT o.id, o.created_at, o.total_minor, ${isoSql(Prisma.sql`o.created_at`)} AS at, ${listedOrderPartsSql.columns}
      FROM listed o ${listedOrderPartsSql.joins}) p ON true
    ORDER BY ${order(Prisma.sql`p`)}`,
  );
  if (customerId && !rows[0]?.known) throw new ProblemError('notFound', `no customer ${customerId}`);
  return sendJsonText(reply, orderPageJsonText(rows, q.limit));
}

/** The page as JSON text: each listed order as PostgreSQL wrote it, and the next cursor when more were found. */
function orderPageJsonText(rows: ListedRow[], limit: number): string {
  const asOf = new Date().toISOString().slice(0, 10);
  const listed = rows.filter(
    (r): r is OrderPartsRow & { found: number; known: boolean; id: string; at: string } => r.id !== null,
  );
  const last = listed.at(-1);
  const nextCursor = (rows[0]?.found ?? 0) > limit && last ? encodeCursor({ at: last.at, id: last.id }) : null;
  return pageJsonText(
    listed.map((r) => orderJsonText(r, asOf)),
    nextCursor,
  );
}
