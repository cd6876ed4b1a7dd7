/**
 * The customer 360's one statement (customer-360.ts): the customer row, its counts and its recent
 * activity, each list written by PostgreSQL as JSON text in the schema's shape (see api/views/sql-json.ts).
 * Every part is an index lookup by the customer id.
 */
import { Prisma } from '../../../lib/db';
import { OPEN_RETURN_STATUSES } from '../../../domain/statuses';
import { invoiceTupleSql, type InvoiceTuple } from '../../views/invoice-view';
import { OPEN_INVOICE_STATUSES } from '../../views/invoice-overdue';
import { daySql, isoSql, jsonArraySql } from '../../views/sql-json';
import { FINAL_ORDER_STATUSES } from './shared';

/** How many of the most recent orders, shipments and returns the view lists. */
const RECENT = 10;
/** How many open invoices it lists (counts.openInvoices has them all). */
const OPEN_INVOICES = 100;

/** What customer360Sql reads: the customer's columns (null when there is no such customer), counts, lists. */
export interface Customer360Row {
  id: string | null;
  name: string;
  currency: string;
  is_active: boolean;
  payment_terms: string;
  sla_profile_id: string;
  bill_on: string;
  is_tax_exempt: boolean;
  min_shelf_life_days: number;
  sales_rep_email: string | null;
  billing_address: unknown;
  /** int8 columns arrive as text. */
  credit_limit_minor: string;
  open_receivables_minor: string;
  is_on_credit_hold: boolean;
  credit_hold_source: string | null;
  invoice_grouping: string;
  billing_period: string;
  freight_markup_bp: number;
  orders: number;
  open_orders: number;
  credit_hold_orders: number;
  shipments: number;
  returns: number;
  open_returns: number;
  open_invoices: number;
  overdue_invoices: number;
  /** numeric, as text; null without open invoices. */
  open_invoice_balance: string | null;
  recent_orders: string;
  recent_shipments: string;
  open_invoice_tuples: InvoiceTuple[];
  recent_returns: string;
}

/** The recent orders, in the shape of the view's `orders`, newest first. */
const recentOrdersSql = (customerId: string) =>
  jsonArraySql({
    from: Prisma.sql`(SELECT * FROM "order" WHERE customer_id = ${customerId} ORDER BY created_at DESC, id DESC LIMIT ${RECENT}) o`,
    fields: Prisma.sql`o.id AS "orderId", o.deal_id AS "dealId", o.po_number AS "poNumber", o.status, o.currency,
      o.total_minor AS "totalMinor", o.current_step AS "currentStep", o.needs_attention AS "needsAttention",
      o.sla_breached AS "slaBreached", ${isoSql(Prisma.sql`o.created_at`)} AS "createdAt"`,
    orderBy: Prisma.sql`o.created_at DESC, o.id DESC`,
  });

/** The recent shipments of the customer's orders (CTE customer_shipment), in the shape of the view's `shipments`, newest first. */
const recentShipmentsSql = () =>
  jsonArraySql({
    from: Prisma.sql`(SELECT * FROM customer_shipment ORDER BY created_at DESC, id DESC LIMIT ${RECENT}) s`,
    fields: Prisma.sql`s.id AS "shipmentId", s.order_id AS "orderId", s.warehouse_id AS "warehouseId", s.status,
      s.carrier_id AS "carrierId", s.mode, s.tracking_number AS "trackingNumber",
      ${daySql(Prisma.sql`s.promised_ship_date`)} AS "promisedShipDate", ${daySql(Prisma.sql`s.promised_delivery_date`)} AS "promisedDeliveryDate",
      ${isoSql(Prisma.sql`s.shipped_at`)} AS "shippedAt", ${isoSql(Prisma.sql`s.delivered_at`)} AS "deliveredAt",
      ${isoSql(Prisma.sql`s.created_at`)} AS "createdAt"`,
    orderBy: Prisma.sql`s.created_at DESC, s.id DESC`,
  });

/** The recent returns, in the shape of the view's `returns`, newest first. */
const recentReturnsSql = (customerId: string) =>
  jsonArraySql({
    from: Prisma.sql`(SELECT * FROM return_request WHERE customer_id = ${customerId} ORDER BY requested_at DESC, id DESC LIMIT ${RECENT}) r`,
    fields: Prisma.sql`r.id AS "returnId", r.order_id AS "orderId", r.status, r.value_minor AS "valueMinor", r.currency,
      ${isoSql(Prisma.sql`r.requested_at`)} AS "requestedAt"`,
    orderBy: Prisma.sql`r.requested_at DESC, r.id DESC`,
  });

/** The open invoices' InvoiceTuples, oldest due first (no due date last). */
const openInvoicesSql = (customerId: string) => Prisma.sql`
  (SELECT coalesce(array_to_json(array_agg(${invoiceTupleSql(Prisma.sql`i`)} ORDER BY i.due_date, i.id)), '[]'::json)
   FROM (SELECT * FROM invoice WHERE customer_id = ${customerId} AND status = ANY(${OPEN_INVOICE_STATUSES})
         ORDER BY due_date, id LIMIT ${OPEN_INVOICES}) i)`;

/**
 * One row, whether or not the customer exists (then `id` is null). The customer's shipments are read
 * once, for their count and the recent ones, each by its order's index entry: the OFFSET 0 keeps
 * PostgreSQL from turning the lateral lookup into a hash join over every shipment. Past due by the rule of
 * api/views/invoice-overdue.ts: open statuses always carry a balance.
 */
export const customer360Sql = (customerId: string, asOf: string) => Prisma.sql`
  WITH customer_shipment AS MATERIALIZED (
    SELECT s.* FROM "order" so CROSS JOIN LATERAL (SELECT * FROM shipment s WHERE s.order_id = so.id OFFSET 0) s
    WHERE so.customer_id = ${customerId})
  SELECT c.id, c.name, c.currency, c.is_active, c.payment_terms, c.sla_profile_id, c.bill_on, c.is_tax_exempt,
    c.min_shelf_life_days, c.sales_rep_email, c.billing_address, c.credit_limit_minor, c.open_receivables_minor,
    c.is_on_credit_hold, c.credit_hold_source, c.invoice_grouping, c.billing_period, c.freight_markup_bp,
    oc.orders, oc.open_orders, oc.credit_hold_orders, ic.open_invoices, ic.overdue_invoices, ic.open_invoice_balance,
    rc.returns, rc.open_returns,
    (SELECT count(*)::int FROM customer_shipment) AS shipments,
    ${recentOrdersSql(customerId)}::text AS recent_orders,
    ${recentShipmentsSql()}::text AS recent_shipments,
    ${openInvoicesSql(customerId)} AS open_invoice_tuples,
    ${recentReturnsSql(customerId)}::text AS recent_returns
  FROM (SELECT 1) one
  LEFT JOIN customer c ON c.id = ${customerId}
  CROSS JOIN (SELECT count(*)::int AS orders, (count(*) FILTER (WHERE status <> ALL(${FINAL_ORDER_STATUSES})))::int AS open_orders,
      (count(*) FILTER (WHERE status = 'credit_hold'))::int AS credit_hold_orders
    FROM "order" WHERE customer_id = ${customerId}) oc
  CROSS JOIN (SELECT count(*)::int AS returns, (count(*) FILTER (WHERE status = ANY(${OPEN_RETURN_STATUSES})))::int AS open_returns
    FROM return_request WHERE customer_id = ${customerId}) rc
  CROSS JOIN (SELECT count(*)::int AS open_invoices, (count(*) FILTER (WHERE status = 'overdue' OR due_date < ${asOf}::date))::int AS overdue_invoices,
      sum(total_minor - paid_minor - discount_taken_minor - credited_minor)::text AS open_invoice_balance
    FROM invoice WHERE customer_id = ${customerId} AND status = ANY(${OPEN_INVOICE_STATUSES})) ic`;
