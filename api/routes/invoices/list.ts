/** GET /invoices: the finance list, filtered in SQL and written as JSON by PostgreSQL. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { decodeCursor, page, pageQuery, pageSchema } from '../../pagination';
import { orderIdFilterSchema, RUN_PROBLEMS } from '../../schemas';
import { invoiceTupleSql, type InvoiceTuple } from '../../views/invoice-view';
import { invoiceListItemJsonText, invoiceListItemSchema, OPEN_INVOICE_STATUSES } from '../../views/invoice-overdue';
import { isoSql, pageJsonText, sendJsonText, sqlRows } from '../../views/sql-json';
import { Prisma } from '../../../lib/db';
import type { RouteApp } from '../route-app';
import { READERS } from './shared';
import { INVOICE_STATUSES } from '../../../domain/statuses';

const invoiceListQuery = z.object({
  status: z.enum(INVOICE_STATUSES).optional(),
  customerId: z.string().max(64).optional(),
  orderId: orderIdFilterSchema.optional(),
  dueFrom: z.iso.date().optional().describe('due on or after (YYYY-MM-DD)'),
  dueTo: z.iso.date().optional().describe('due on or before (YYYY-MM-DD)'),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe(
      'true: open with a balance and past the due date (UTC today), or marked overdue; false: every other invoice',
    ),
  ...pageQuery,
});

/** The rule of api/views/invoice-overdue.ts as a filter: open statuses have a balance, and `overdue` is only set past the due date. */
function overdueWhere(overdue: boolean, asOf: string): Prisma.Sql {
  const pastDueStatuses = OPEN_INVOICE_STATUSES.filter((s) => s !== 'overdue');
  if (overdue)
    return Prisma.sql`(status = 'overdue' OR (status IN (${Prisma.join(pastDueStatuses)}) AND due_date < ${asOf}::date))`;
  return Prisma.sql`status <> 'overdue' AND (status NOT IN (${Prisma.join(OPEN_INVOICE_STATUSES)}) OR due_date IS NULL OR due_date >= ${asOf}::date)`;
}

function invoiceListWhere(q: z.output<typeof invoiceListQuery>, asOf: string): Prisma.Sql[] {
  const cursor = decodeCursor(q.cursor);
  return [
    ...(q.overdue !== undefined ? [overdueWhere(q.overdue, asOf)] : []),
    ...(q.status ? [Prisma.sql`status = ${q.status}`] : []),
    ...(q.customerId ? [Prisma.sql`customer_id = ${q.customerId}`] : []),
    // Containment, so the GIN index on order_ids answers it (a period invoice bills several orders).
    ...(q.orderId ? [Prisma.sql`order_ids @> ARRAY[${q.orderId}]::text[]`] : []),
    ...(q.dueFrom ? [Prisma.sql`due_date >= ${q.dueFrom}::date`] : []),
    ...(q.dueTo ? [Prisma.sql`due_date <= ${q.dueTo}::date`] : []),
    ...(cursor ? [Prisma.sql`(created_at, id) < (${new Date(cursor.at)}::timestamptz, ${cursor.id})`] : []),
  ];
}

export function registerInvoiceList(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/invoices',
    {
      config: READERS,
      schema: {
        tags: ['finance'],
        summary:
          'Invoices by status, customer, order, due date range and overdue; each says whether it is overdue and by how many days; newest first',
        querystring: invoiceListQuery,
        response: { 200: pageSchema(invoiceListItemSchema), ...RUN_PROBLEMS },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const asOf = new Date().toISOString().slice(0, 10);
      const conditions = invoiceListWhere(q, asOf);
      // One statement; PostgreSQL writes each item's stored fields in the schema's shape and the domain
      // adds balance, amount due and overdue (api/views/sql-json.ts). Not the PDF or the computed lines.
      const rows = await sqlRows<{ t: InvoiceTuple; id: string; at: string }>(
        deps.db,
        Prisma.sql`
      SELECT ${invoiceTupleSql(Prisma.sql`i`)} AS t, i.id, ${isoSql(Prisma.sql`i.created_at`)} AS at FROM invoice i
      ${conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}
      ORDER BY i.created_at DESC, i.id DESC
      LIMIT ${q.limit + 1}`,
      );
      const { items, nextCursor } = page(rows, q.limit, (r) => ({ at: r.at, id: r.id }));
      return sendJsonText(
        reply,
        pageJsonText(
          items.map((r) => invoiceListItemJsonText(r.t, asOf)),
          nextCursor,
        ),
      );
    },
  );
}
