/**
 * GET /customers/:customerId, the customer 360: every figure from PostgreSQL by the indexed customer
 * id, counted in SQL and shaped here.
 */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import type { Db } from '../../../lib/db';
import { ProblemError } from '../../problems';
import { invoiceSummary } from '../../views/invoice-view';
import { invoiceListItem, OPEN_INVOICE_STATUSES } from '../../views/invoice-overdue';
import type { RouteApp } from '../route-app';
import { customer360Schema } from './customer-360-schema';
import { errors, FINAL_ORDER_STATUSES, READERS } from './shared';
import { OPEN_RETURN_STATUSES } from '../../../domain/statuses';

type Customer360 = z.input<typeof customer360Schema>;
type CustomerRow = NonNullable<Awaited<ReturnType<Db['customer']['findUnique']>>>;

/** The same rule as the other customer routes (billing-period). */
const customerIdParam = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore');
const RECENT = 10;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export function registerCustomer360(app: RouteApp, deps: AppDeps): void {
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
      const c = await deps.db.customer.findUnique({ where: { id: customerId } });
      if (!c) throw new ProblemError('notFound', `no customer ${customerId}`);
      const asOf = new Date().toISOString().slice(0, 10);
      const [counts, recent] = await Promise.all([
        customerCounts(deps.db, customerId, asOf),
        recentActivity(deps.db, customerId, asOf),
      ]);
      return { ...customerFacts(c, counts), counts: counts.counts, ...recent };
    },
  );
}

/** Orders, shipments, returns and open invoices counted, and the open invoice balance. */
async function customerCounts(db: Db, customerId: string, asOf: string) {
  const [orderCounts, shipmentCount, returnCounts, invoiceTotals] = await Promise.all([
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
  ]);
  return {
    openInvoiceBalanceMinor: Number(invoiceTotals[0]!.balance ?? 0),
    ordersOnCreditHold: Number(orderCounts[0]!.credit_hold),
    counts: {
      orders: Number(orderCounts[0]!.orders),
      openOrders: Number(orderCounts[0]!.open),
      shipments: Number(shipmentCount[0]!.n),
      openInvoices: Number(invoiceTotals[0]!.open),
      overdueInvoices: Number(invoiceTotals[0]!.overdue),
      returns: Number(returnCounts[0]!.returns),
      openReturns: Number(returnCounts[0]!.open),
    },
  };
}

/** The customer's contract, credit and billing set-up. */
function customerFacts(
  c: CustomerRow,
  counts: Awaited<ReturnType<typeof customerCounts>>,
): Pick<Customer360, 'customer' | 'credit' | 'billing'> {
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
      openInvoiceBalanceMinor: counts.openInvoiceBalanceMinor,
      isOnCreditHold: c.isOnCreditHold,
      creditHoldSource: c.creditHoldSource,
      ordersOnCreditHold: counts.ordersOnCreditHold,
    },
    billing: {
      invoiceGrouping: c.invoiceGrouping,
      billingPeriod: c.billingPeriod,
      paymentTerms: c.paymentTerms,
      billOn: c.billOn,
      freightMarkupBp: c.freightMarkupBp,
    },
  };
}

interface ShipmentRow {
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
}

/** The most recent orders, shipments and returns, and the open invoices oldest due first. */
async function recentActivity(
  db: Db,
  customerId: string,
  asOf: string,
): Promise<Pick<Customer360, 'orders' | 'shipments' | 'openInvoices' | 'returns'>> {
  const [orders, shipments, invoices, returns] = await Promise.all([
    db.order.findMany({ where: { customerId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: RECENT }),
    db.$queryRaw<ShipmentRow[]>`
        SELECT s.id, s.order_id, s.warehouse_id, s.status, s.carrier_id, s.mode, s.tracking_number, s.promised_ship_date, s.promised_delivery_date,
               s.shipped_at, s.delivered_at, s.created_at
        FROM shipment s JOIN "order" o ON o.id = s.order_id WHERE o.customer_id = ${customerId}
        ORDER BY s.created_at DESC, s.id DESC LIMIT ${RECENT}`,
    db.invoice.findMany({
      where: { customerId, status: { in: [...OPEN_INVOICE_STATUSES] } },
      orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
      take: 100,
    }),
    db.returnRequest.findMany({
      where: { customerId },
      orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
      take: RECENT,
    }),
  ]);
  return {
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
    shipments: shipments.map(recentShipment),
    openInvoices: invoices.map((row) => invoiceListItem(invoiceSummary(row, asOf), row, asOf)),
    returns: returns.map((r) => ({
      returnId: r.id,
      orderId: r.orderId,
      status: r.status,
      valueMinor: Number(r.valueMinor),
      currency: r.currency,
      requestedAt: r.requestedAt.toISOString(),
    })),
  };
}

const recentShipment = (s: ShipmentRow) => ({
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
});
