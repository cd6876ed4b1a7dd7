/** GET /customers: the searchable customer list with credit and open counts. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { Prisma, type Db } from '../../../lib/db';
import { decodeCursor, page, pageQuery, pageSchema } from '../../pagination';
import { OPEN_INVOICE_STATUSES } from '../../views/invoice-overdue';
import type { RouteApp } from '../route-app';
import { errors, FINAL_ORDER_STATUSES, READERS } from './shared';

/** The cursor's instant is not used by this list (it seeks by name, id): a fixed one keeps the shared format. */
const EPOCH = new Date(0).toISOString();

const customerListItemSchema = z.object({
  customerId: z.string(),
  name: z.string(),
  currency: z.string(),
  isActive: z.boolean(),
  creditLimitMinor: z.number().int(),
  openReceivablesMinor: z.number().int(),
  isOnCreditHold: z.boolean(),
  paymentTerms: z.string(),
  invoiceGrouping: z.string(),
  billingPeriod: z.string(),
  openOrderCount: z.number().int(),
  openInvoiceCount: z.number().int(),
  openInvoiceBalanceMinor: z.number().int(),
});

export function registerCustomerList(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/customers',
    {
      config: READERS,
      schema: {
        tags: ['console'],
        summary:
          'Customers by name (case-insensitive search on name or id with q), with credit and open counts; by name, then id',
        querystring: z.object({
          q: z
            .string()
            .trim()
            .min(1, 'must not be empty')
            .max(100)
            .optional()
            .describe('part of the name or id, any case'),
          ...pageQuery,
        }),
        response: { 200: pageSchema(customerListItemSchema), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const cursor = decodeCursor(q.cursor);
      const like = q.q ? `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
      const rows = await deps.db.$queryRaw<{ id: string; name: string }[]>`
      SELECT id, name FROM customer
      WHERE ${like ? Prisma.sql`(name ILIKE ${like} OR id ILIKE ${like})` : Prisma.sql`true`}
        ${cursor ? Prisma.sql`AND (name, id) > (SELECT name, id FROM customer WHERE id = ${cursor.id})` : Prisma.empty}
      ORDER BY name, id LIMIT ${q.limit + 1}`;
      const { items, nextCursor } = page(rows, q.limit, (r) => ({ at: EPOCH, id: r.id }));
      return { items: await customerListItems(deps.db, items), nextCursor };
    },
  );
}

/** Each customer of the page with its open orders and open invoices counted. */
async function customerListItems(db: Db, items: { id: string }[]): Promise<z.input<typeof customerListItemSchema>[]> {
  const ids = items.map((r) => r.id);
  const [customers, openOrders, openInvoices] = await Promise.all([
    db.customer.findMany({ where: { id: { in: ids } } }),
    db.$queryRaw<{ customer_id: string; n: bigint }[]>`
        SELECT customer_id, count(*) AS n FROM "order" WHERE customer_id = ANY(${ids}) AND status <> ALL(${FINAL_ORDER_STATUSES}) GROUP BY customer_id`,
    db.$queryRaw<{ customer_id: string; n: bigint; balance: bigint }[]>`
        SELECT customer_id, count(*) AS n, sum(total_minor - paid_minor - discount_taken_minor - credited_minor) AS balance
        FROM invoice WHERE customer_id = ANY(${ids}) AND status = ANY(${OPEN_INVOICE_STATUSES}) GROUP BY customer_id`,
  ]);
  const byId = new Map(customers.map((c) => [c.id, c]));
  return items.map(({ id }) => {
    const c = byId.get(id)!;
    const invoices = openInvoices.find((r) => r.customer_id === id);
    return {
      customerId: c.id,
      name: c.name,
      currency: c.currency,
      isActive: c.isActive,
      creditLimitMinor: Number(c.creditLimitMinor),
      openReceivablesMinor: Number(c.openReceivablesMinor),
      isOnCreditHold: c.isOnCreditHold,
      paymentTerms: c.paymentTerms,
      invoiceGrouping: c.invoiceGrouping,
      billingPeriod: c.billingPeriod,
      openOrderCount: Number(openOrders.find((r) => r.customer_id === id)?.n ?? 0),
      openInvoiceCount: Number(invoices?.n ?? 0),
      openInvoiceBalanceMinor: Number(invoices?.balance ?? 0),
    };
  });
}
