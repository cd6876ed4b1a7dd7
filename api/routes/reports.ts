/**
 * Finance and ops reports: receivables aging (JSON or CSV) and KPIs (on-time-in-full, order cycle
 * time, time to invoice, days sales outstanding, SLA breach rate) per customer and overall.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { agingBuckets, agingCsv } from '../../domain/billing/aging';
import { dsoByCurrency } from '../../domain/billing/dso';
import { openBalanceMinor } from '../../domain/billing/invoice-ledger';
import { otifRate } from '../../domain/fulfillment/otif';
import { percentile } from '../../domain/stats';
import { daysBetween } from '../../domain/calendar/business-days';
import { problemSchema } from '../schemas';
import { ProblemError } from '../problems';

const OPEN_STATUSES = ['issued', 'sent', 'partially_paid', 'overdue'];
const today = () => new Date().toISOString().slice(0, 10);
const HOUR = 3_600_000;

const buckets = { current: z.number(), d1_30: z.number(), d31_60: z.number(), d61_90: z.number(), d90_plus: z.number(), totalMinor: z.number() };

const kpiSchema = z.object({
  orders: z.number().describe('orders created in the range'),
  otifPercent: z.number().nullable().describe('share of delivered lines on time and in full'),
  cycleTimeHours: z.object({ p50: z.number().nullable(), p90: z.number().nullable() }).describe('order created to fulfilled'),
  timeToInvoiceHours: z.object({ p50: z.number().nullable(), p90: z.number().nullable() }).describe('last shipment of an invoice shipped to invoice issued'),
  daysSalesOutstanding: z.number().nullable().describe('open receivables / invoiced in the range x days in the range, when one currency was invoiced; null when several were (see daysSalesOutstandingByCurrency)'),
  daysSalesOutstandingByCurrency: z
    .array(z.object({ currency: z.string(), days: z.number(), invoicedMinor: z.number(), openMinor: z.number() }))
    .describe('DSO per currency invoiced in the range: currencies are never added together'),
  slaBreachPercent: z.number().nullable().describe('share of orders with a missed step SLA'),
});

const quantiles = (values: number[]) => ({
  p50: values.length ? Math.round(percentile(values, 50) * 10) / 10 : null,
  p90: values.length ? Math.round(percentile(values, 90) * 10) / 10 : null,
});

export const reportRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/reports/ar-aging', {
    config: { auth: { roles: ['finance'] as const } },
    schema: {
      tags: ['finance'], summary: 'Receivables aging per customer: current, 1-30, 31-60, 61-90, 90+ days past due (format=csv for a spreadsheet)',
      querystring: z.object({ asOf: z.iso.date().optional(), format: z.enum(['json', 'csv']).default('json') }),
      response: {
        200: z.object({
          asOf: z.string(),
          rows: z.array(z.object({ customerId: z.string(), customerName: z.string(), currency: z.string(), ...buckets })),
          totals: z.array(z.object({ currency: z.string(), ...buckets })),
        }).or(z.string()),
        400: problemSchema,
      },
    },
  }, async (req, reply) => {
    const asOf = req.query.asOf ?? today();
    const invoices = await deps.db.invoice.findMany({ where: { status: { in: OPEN_STATUSES }, dueDate: { not: null } } });
    const customers = await deps.db.customer.findMany({ where: { id: { in: [...new Set(invoices.map((i) => i.customerId))] } }, select: { id: true, name: true } });
    const report = agingBuckets(
      invoices.map((i) => ({
        customerId: i.customerId,
        customerName: customers.find((c) => c.id === i.customerId)?.name ?? i.customerId,
        currency: i.currency,
        dueDate: i.dueDate!.toISOString().slice(0, 10),
        balanceMinor: Number(openBalanceMinor(i)),
      })),
      asOf,
    );
    if (req.query.format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="ar-aging-${asOf}.csv"`).send(agingCsv(report));
    }
    return report;
  });

  app.get('/kpis', {
    config: { auth: { roles: ['finance', 'ops'] as const } },
    schema: {
      tags: ['finance'], summary: 'On-time-in-full, order cycle time p50/p90, time to invoice, DSO and SLA breach rate, overall and per customer',
      querystring: z.object({ from: z.iso.date(), to: z.iso.date(), customerId: z.string().max(64).optional() }),
      response: { 200: z.object({ from: z.string(), to: z.string(), overall: kpiSchema, customers: z.array(kpiSchema.extend({ customerId: z.string() })) }), 400: problemSchema },
    },
  }, async (req) => {
    const { from, to, customerId } = req.query;
    if (from > to) throw new ProblemError('validation', `from (${from}) is after to (${to})`, { errors: [{ field: 'from', message: `must not be after to (${to})` }] });
    const start = new Date(`${from}T00:00:00Z`);
    const end = new Date(`${to}T23:59:59.999Z`);
    const byCustomer = customerId ? { customerId } : {};
    const [orders, otif, fulfilled, invoices, issued, openInvoices] = await Promise.all([
      deps.db.order.findMany({ where: { createdAt: { gte: start, lte: end }, ...byCustomer }, select: { id: true, customerId: true, createdAt: true, slaBreached: true } }),
      deps.db.lineOtif.findMany({ where: { deliveredDate: { gte: start, lte: end } }, select: { orderId: true, isOnTime: true, isInFull: true } }),
      deps.db.stepEvent.findMany({ where: { runKind: 'order', step: '*', toStatus: 'fulfilled', occurredAt: { gte: start, lte: end } }, select: { orderId: true, occurredAt: true } }),
      deps.db.invoice.findMany({ where: { issueDate: { gte: start, lte: end }, ...byCustomer }, select: { id: true, customerId: true, currency: true, totalMinor: true, shipmentIds: true } }),
      deps.db.stepEvent.findMany({ where: { runKind: 'invoice', step: '*', toStatus: 'issued', occurredAt: { gte: start, lte: end } }, select: { workflowId: true, occurredAt: true } }),
      deps.db.invoice.findMany({ where: { status: { in: OPEN_STATUSES }, ...byCustomer }, select: { customerId: true, currency: true, totalMinor: true, paidMinor: true, discountTakenMinor: true, creditedMinor: true } }),
    ]);
    const orderCustomer = new Map((await deps.db.order.findMany({ where: { id: { in: [...new Set([...otif.map((o) => o.orderId), ...fulfilled.map((f) => f.orderId)])] } }, select: { id: true, customerId: true, createdAt: true } })).map((o) => [o.id, o]));
    const shipped = new Map((await deps.db.shipment.findMany({ where: { id: { in: invoices.flatMap((i) => i.shipmentIds) } }, select: { id: true, shippedAt: true } })).map((s) => [s.id, s.shippedAt]));
    const days = daysBetween(from, to) + 1;

    const kpis = (customer?: string) => {
      const mine = <T extends { customerId: string }>(rows: T[]) => (customer ? rows.filter((r) => r.customerId === customer) : rows);
      const ordersIn = mine(orders);
      const lines = otif.filter((l) => !customer || orderCustomer.get(l.orderId)?.customerId === customer);
      const cycle = fulfilled
        .map((f) => ({ f, o: orderCustomer.get(f.orderId) }))
        .filter(({ o }) => o && (!customer || o.customerId === customer))
        .map(({ f, o }) => (f.occurredAt.getTime() - o!.createdAt.getTime()) / HOUR);
      const toInvoice = mine(invoices).flatMap((inv) => {
        const issuedAt = issued.find((e) => e.workflowId === inv.id)?.occurredAt;
        const lastShipped = inv.shipmentIds.map((id) => shipped.get(id)).filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0];
        return issuedAt && lastShipped ? [(issuedAt.getTime() - lastShipped.getTime()) / HOUR] : [];
      });
      const dso = dsoByCurrency(
        mine(invoices).map((i) => ({ currency: i.currency, totalMinor: Number(i.totalMinor) })),
        mine(openInvoices).map((i) => ({ currency: i.currency, balanceMinor: Number(openBalanceMinor(i)) })),
        days,
      );
      const rate = otifRate(lines);
      return {
        orders: ordersIn.length,
        otifPercent: rate === null ? null : rate / 100,
        cycleTimeHours: quantiles(cycle),
        timeToInvoiceHours: quantiles(toInvoice),
        daysSalesOutstanding: dso.length === 1 ? dso[0]!.days : null,
        daysSalesOutstandingByCurrency: dso,
        slaBreachPercent: ordersIn.length ? Math.round((ordersIn.filter((o) => o.slaBreached).length / ordersIn.length) * 1000) / 10 : null,
      };
    };
    const customerIds = [...new Set(orders.map((o) => o.customerId))].sort();
    return { from, to, overall: kpis(customerId), customers: customerIds.map((id) => ({ customerId: id, ...kpis(id) })) };
  });
};
