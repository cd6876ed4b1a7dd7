/**
 * GET /customers/:customerId, the customer 360: every figure from PostgreSQL by the indexed customer
 * id, counted and listed in one statement (customer-360-sql.ts), the lists written there as JSON text.
 */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { ProblemError } from '../../problems';
import { invoiceListItemJsonText } from '../../views/invoice-overdue';
import { sendJsonText, sqlRows } from '../../views/sql-json';
import type { RouteApp } from '../route-app';
import { customer360Sql, type Customer360Row } from './customer-360-sql';
import { customer360Schema } from './customer-360-schema';
import { errors, READERS } from './shared';

type Customer360 = z.input<typeof customer360Schema>;

/** The same rule as the other customer routes (billing-period). */
const customerIdParam = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore');

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
    async (req, reply) => {
      const { customerId } = req.params;
      const asOf = new Date().toISOString().slice(0, 10);
      const [row] = await sqlRows<Customer360Row>(deps.db, customer360Sql(customerId, asOf));
      if (!row?.id) throw new ProblemError('notFound', `no customer ${customerId}`);
      return sendJsonText(reply, customer360JsonText(row, asOf));
    },
  );
}

/**
 * The view's JSON text in the order of customer360Schema: the small objects serialized here, the lists
 * as PostgreSQL wrote them and the open invoices with the domain's figures (invoiceListItemJsonText).
 */
function customer360JsonText(row: Customer360Row, asOf: string): string {
  const head = JSON.stringify({ ...customerFacts(row), counts: countsOf(row) });
  const openInvoices = row.open_invoice_tuples.map((t) => invoiceListItemJsonText(t, asOf)).join(',');
  return `${head.slice(0, -1)},"orders":${row.recent_orders},"shipments":${row.recent_shipments},"openInvoices":[${openInvoices}],"returns":${row.recent_returns}}`;
}

const countsOf = (row: Customer360Row): Customer360['counts'] => ({
  orders: row.orders,
  openOrders: row.open_orders,
  shipments: row.shipments,
  openInvoices: row.open_invoices,
  overdueInvoices: row.overdue_invoices,
  returns: row.returns,
  openReturns: row.open_returns,
});

/** The customer's contract, credit and billing set-up. */
function customerFacts(c: Customer360Row): Pick<Customer360, 'customer' | 'credit' | 'billing'> {
  const exposureMinor = Number(c.open_receivables_minor);
  return {
    customer: {
      customerId: c.id!,
      name: c.name,
      currency: c.currency,
      isActive: c.is_active,
      paymentTerms: c.payment_terms,
      slaProfileId: c.sla_profile_id,
      billOn: c.bill_on,
      isTaxExempt: c.is_tax_exempt,
      minShelfLifeDays: c.min_shelf_life_days,
      salesRepEmail: c.sales_rep_email,
      billingAddress: c.billing_address ?? null,
    },
    credit: {
      creditLimitMinor: Number(c.credit_limit_minor),
      openReceivablesMinor: Number(c.open_receivables_minor),
      exposureMinor,
      availableCreditMinor: Number(c.credit_limit_minor) - exposureMinor,
      openInvoiceBalanceMinor: Number(c.open_invoice_balance ?? 0),
      isOnCreditHold: c.is_on_credit_hold,
      creditHoldSource: c.credit_hold_source,
      ordersOnCreditHold: c.credit_hold_orders,
    },
    billing: {
      invoiceGrouping: c.invoice_grouping,
      billingPeriod: c.billing_period,
      paymentTerms: c.payment_terms,
      billOn: c.bill_on,
      freightMarkupBp: c.freight_markup_bp,
    },
  };
}
