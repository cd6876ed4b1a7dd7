/**
 * Customers as ops and finance see them: a searchable list, and the 360 view of one (contract, credit
 * limit and exposure, credit hold, billing set-up, and what is in flight: orders, shipments, open
 * invoices, returns). PostgreSQL only; every query is by an indexed customer id.
 *
 * crm keys are not scoped to customers (a crm key may read any order), so the customer pages, which
 * show credit and receivables, are for ops, finance and admin only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { Prisma } from '../../lib/db';
import { decodeCursor, page, pageQuery, pageSchema } from '../pagination';
import { problemResponses } from '../schemas';
import { ProblemError } from '../problems';
import { invoiceSummary } from '../views/invoice-view';
import { invoiceListItem, invoiceListItemSchema, OPEN_INVOICE_STATUSES } from '../views/invoice-overdue';

const READERS = { auth: { roles: ['ops', 'finance'] as const } };
const errors = problemResponses(400, 401, 403, 404);
/** The same rule as the other customer routes (billing-period). */
const customerIdParam = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore');
/** Order statuses after which nothing more happens to the order. */
export const FINAL_ORDER_STATUSES = ['fulfilled', 'partially_fulfilled', 'unfulfilled', 'cancelled', 'rejected'];
const OPEN_RETURN_STATUSES = [
  'requested',
  'pending_approval',
  'approved',
  'label_booked',
  'received',
  'inspected',
  'credited',
];
const RECENT = 10;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
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

const customer360Schema = z.object({
  customer: z.object({
    customerId: z.string(),
    name: z.string(),
    currency: z.string(),
    isActive: z.boolean(),
    paymentTerms: z.string(),
    slaProfileId: z.string(),
    billOn: z.string(),
    isTaxExempt: z.boolean(),
    minShelfLifeDays: z.number().int(),
    salesRepEmail: z.string().nullable(),
    billingAddress: z.unknown(),
  }),
  credit: z.object({
    creditLimitMinor: z.number().int(),
    openReceivablesMinor: z
      .number()
      .int()
      .describe("The ERP's open receivables: what the credit check adds a new order to"),
    exposureMinor: z
      .number()
      .int()
      .describe(
        'Open receivables, as the credit check counts them (a new order is approved while exposure + its value <= limit)',
      ),
    availableCreditMinor: z.number().int().describe('creditLimitMinor - exposureMinor (negative when over the limit)'),
    openInvoiceBalanceMinor: z.number().int().describe('Sum of the open balances of every open invoice'),
    isOnCreditHold: z.boolean(),
    creditHoldSource: z
      .string()
      .nullable()
      .describe("'dunning' (lifted when the escalated invoice is settled) or a manual hold"),
    ordersOnCreditHold: z.number().int().describe('Orders waiting for a credit decision'),
  }),
  billing: z.object({
    invoiceGrouping: z.string(),
    billingPeriod: z.string(),
    paymentTerms: z.string(),
    billOn: z.string(),
    freightMarkupBp: z.number().int(),
  }),
  counts: z.object({
    orders: z.number().int(),
    openOrders: z.number().int(),
    shipments: z.number().int(),
    openInvoices: z.number().int(),
    overdueInvoices: z.number().int(),
    returns: z.number().int(),
    openReturns: z.number().int(),
  }),
  orders: z
    .array(
      z.object({
        orderId: z.string(),
        dealId: z.string(),
        poNumber: z.string(),
        status: z.string(),
        currency: z.string(),
        totalMinor: z.number().int(),
        currentStep: z.string().nullable(),
        needsAttention: z.boolean(),
        slaBreached: z.boolean(),
        createdAt: z.string(),
      }),
    )
    .describe('The 10 most recent'),
  shipments: z
    .array(
      z.object({
        shipmentId: z.string(),
        orderId: z.string(),
        warehouseId: z.string(),
        status: z.string(),
        carrierId: z.string().nullable(),
        mode: z.string().nullable(),
        trackingNumber: z.string().nullable(),
        promisedShipDate: z.string().nullable(),
        promisedDeliveryDate: z.string().nullable(),
        shippedAt: z.string().nullable(),
        deliveredAt: z.string().nullable(),
        createdAt: z.string(),
      }),
    )
    .describe('The 10 most recent'),
  openInvoices: z
    .array(invoiceListItemSchema)
    .describe('Open (payable) invoices, oldest due first, at most 100 (counts.openInvoices is the true number)'),
  returns: z
    .array(
      z.object({
        returnId: z.string(),
        orderId: z.string(),
        status: z.string(),
        valueMinor: z.number().int(),
        currency: z.string(),
        requestedAt: z.string(),
      }),
    )
    .describe('The 10 most recent'),
});

export const customerRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const db = deps.db;

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
      const rows = await db.$queryRaw<{ id: string; name: string }[]>`
      SELECT id, name FROM customer
      WHERE ${like ? Prisma.sql`(name ILIKE ${like} OR id ILIKE ${like})` : Prisma.sql`true`}
        ${cursor ? Prisma.sql`AND (name, id) > (SELECT name, id FROM customer WHERE id = ${cursor.id})` : Prisma.empty}
      ORDER BY name, id LIMIT ${q.limit + 1}`;
      const { items, nextCursor } = page(rows, q.limit, (r) => ({ at: EPOCH, id: r.id }));
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
      return {
        items: items.map(({ id }) => {
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
        }),
        nextCursor,
      };
    },
  );

  app.get(
    '/customers/:customerId',
    {
      config: READERS,
      schema: {
        tags: ['console'],
        summary:
          'The customer 360: contract, credit limit and exposure, credit hold, billing set-up, counts, recent orders, shipments and returns, open invoices',
        params: z.object({ customerId: customerIdParam }),
        response: { 200: customer360Schema, ...errors },
      },
    },
    async (req) => {
      const { customerId } = req.params;
      const c = await db.customer.findUnique({ where: { id: customerId } });
      if (!c) throw new ProblemError('notFound', `no customer ${customerId}`);
      const asOf = new Date().toISOString().slice(0, 10);
      const [orderCounts, shipmentCount, returnCounts, invoiceTotals, orders, shipments, invoices, returns] =
        await Promise.all([
          db.$queryRaw<{ orders: bigint; open: bigint; credit_hold: bigint }[]>`
        SELECT count(*) AS orders, count(*) FILTER (WHERE status <> ALL(${FINAL_ORDER_STATUSES})) AS open, count(*) FILTER (WHERE status = 'credit_hold') AS credit_hold
        FROM "order" WHERE customer_id = ${customerId}`,
          db.$queryRaw<
            { n: bigint }[]
          >`SELECT count(*) AS n FROM shipment s JOIN "order" o ON o.id = s.order_id WHERE o.customer_id = ${customerId}`,
          db.$queryRaw<{ returns: bigint; open: bigint }[]>`
        SELECT count(*) AS returns, count(*) FILTER (WHERE status = ANY(${OPEN_RETURN_STATUSES})) AS open FROM return_request WHERE customer_id = ${customerId}`,
          // Open statuses always carry a balance; past due by the rule of api/views/invoice-overdue.ts.
          db.$queryRaw<{ open: bigint; overdue: bigint; balance: bigint | null }[]>`
        SELECT count(*) AS open, count(*) FILTER (WHERE status = 'overdue' OR due_date < ${new Date(asOf)}::date) AS overdue,
               sum(total_minor - paid_minor - discount_taken_minor - credited_minor) AS balance
        FROM invoice WHERE customer_id = ${customerId} AND status = ANY(${OPEN_INVOICE_STATUSES})`,
          db.order.findMany({ where: { customerId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: RECENT }),
          db.$queryRaw<
            {
              id: string;
              order_id: string;
              warehouse_id: string;
              status: string;
              carrier_id: string | null;
              mode: string | null;
              tracking_number: string | null;
              promised_ship_date: Date | null;
              promised_delivery_date: Date | null;
              shipped_at: Date | null;
              delivered_at: Date | null;
              created_at: Date;
            }[]
          >`
        SELECT s.id, s.order_id, s.warehouse_id, s.status, s.carrier_id, s.mode, s.tracking_number, s.promised_ship_date, s.promised_delivery_date,
               s.shipped_at, s.delivered_at, s.created_at
        FROM shipment s JOIN "order" o ON o.id = s.order_id WHERE o.customer_id = ${customerId}
        ORDER BY s.created_at DESC, s.id DESC LIMIT ${RECENT}`,
          db.invoice.findMany({
            where: { customerId, status: { in: OPEN_INVOICE_STATUSES } },
            orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
            take: 100,
          }),
          db.returnRequest.findMany({
            where: { customerId },
            orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
            take: RECENT,
          }),
        ]);
      const openInvoices = invoices.map((row) => invoiceListItem(invoiceSummary(row, asOf), row, asOf));
      const exposureMinor = Number(c.openReceivablesMinor);
      return {
        customer: {
          customerId: c.id,
          name: c.name,
          currency: c.currency,
          isActive: c.isActive,
          paymentTerms: c.paymentTerms,
          slaProfileId: c.slaProfileId,
          billOn: c.billOn,
          isTaxExempt: c.isTaxExempt,
          minShelfLifeDays: c.minShelfLifeDays,
          salesRepEmail: c.salesRepEmail,
          billingAddress: c.billingAddress ?? null,
        },
        credit: {
          creditLimitMinor: Number(c.creditLimitMinor),
          openReceivablesMinor: Number(c.openReceivablesMinor),
          exposureMinor,
          availableCreditMinor: Number(c.creditLimitMinor) - exposureMinor,
          openInvoiceBalanceMinor: Number(invoiceTotals[0]!.balance ?? 0),
          isOnCreditHold: c.isOnCreditHold,
          creditHoldSource: c.creditHoldSource,
          ordersOnCreditHold: Number(orderCounts[0]!.credit_hold),
        },
        billing: {
          invoiceGrouping: c.invoiceGrouping,
          billingPeriod: c.billingPeriod,
          paymentTerms: c.paymentTerms,
          billOn: c.billOn,
          freightMarkupBp: c.freightMarkupBp,
        },
        counts: {
          orders: Number(orderCounts[0]!.orders),
          openOrders: Number(orderCounts[0]!.open),
          shipments: Number(shipmentCount[0]!.n),
          openInvoices: Number(invoiceTotals[0]!.open),
          overdueInvoices: Number(invoiceTotals[0]!.overdue),
          returns: Number(returnCounts[0]!.returns),
          openReturns: Number(returnCounts[0]!.open),
        },
        orders: orders.map((o) => ({
          orderId: o.id,
          dealId: o.dealId,
          poNumber: o.poNumber,
          status: o.status,
          currency: o.currency,
          totalMinor: Number(o.totalMinor),
          currentStep: o.currentStep,
          needsAttention: o.needsAttention,
          slaBreached: o.slaBreached,
          createdAt: o.createdAt.toISOString(),
        })),
        shipments: shipments.map((s) => ({
          shipmentId: s.id,
          orderId: s.order_id,
          warehouseId: s.warehouse_id,
          status: s.status,
          carrierId: s.carrier_id,
          mode: s.mode,
          trackingNumber: s.tracking_number,
          promisedShipDate: day(s.promised_ship_date),
          promisedDeliveryDate: day(s.promised_delivery_date),
          shippedAt: s.shipped_at?.toISOString() ?? null,
          deliveredAt: s.delivered_at?.toISOString() ?? null,
          createdAt: s.created_at.toISOString(),
        })),
        openInvoices,
        returns: returns.map((r) => ({
          returnId: r.id,
          orderId: r.orderId,
          status: r.status,
          valueMinor: Number(r.valueMinor),
          currency: r.currency,
          requestedAt: r.requestedAt.toISOString(),
        })),
      };
    },
  );
};
