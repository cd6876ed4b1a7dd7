/**
 * Finance and ops reports: receivables aging (JSON or CSV) and KPIs (on-time-in-full, order cycle
 * time, time to invoice, days sales outstanding, SLA breach rate) per customer and overall.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { agingCsv, type AgingReport, type AgingRow, type AgingTotal } from '../../domain/billing/aging';
import { dsoByCurrency } from '../../domain/billing/dso';
import { addCalendarDays, daysBetween } from '../../domain/calendar/business-days';
import { Prisma, type Db } from '../../lib/db';
import { ReportCache } from '../views/report-cache';
import { problemResponses } from '../schemas';
import { ProblemError } from '../problems';

const OPEN_STATUSES = ['issued', 'sent', 'partially_paid', 'overdue'];
const today = () => new Date().toISOString().slice(0, 10);
/** Ten years: a longer range is a typo, not a report. */
const MAX_RANGE_DAYS = 3660;

const buckets = {
  current: z.number(),
  d1_30: z.number(),
  d31_60: z.number(),
  d61_90: z.number(),
  d90_plus: z.number(),
  totalMinor: z.number(),
};

const kpiSchema = z.object({
  orders: z.number().describe('orders created in the range'),
  otifPercent: z.number().nullable().describe('share of delivered lines on time and in full'),
  cycleTimeHours: z
    .object({ p50: z.number().nullable(), p90: z.number().nullable() })
    .describe('order created to fulfilled'),
  timeToInvoiceHours: z
    .object({ p50: z.number().nullable(), p90: z.number().nullable() })
    .describe('last shipment of an invoice shipped to invoice issued'),
  daysSalesOutstanding: z
    .number()
    .nullable()
    .describe(
      'open receivables / invoiced in the range x days in the range, when one currency was invoiced; null when several were (see daysSalesOutstandingByCurrency)',
    ),
  daysSalesOutstandingByCurrency: z
    .array(z.object({ currency: z.string(), days: z.number(), invoicedMinor: z.number(), openMinor: z.number() }))
    .describe('DSO per currency invoiced in the range: currencies are never added together'),
  slaBreachPercent: z.number().nullable().describe('share of orders with a missed step SLA'),
});

const weekSchema = kpiSchema.extend({
  weekStart: z.string().describe('first day of the ISO week (Monday), or `from` for a week the range starts inside'),
  weekEnd: z.string().describe('last day of the week (Sunday), or `to` for a week the range ends inside'),
  daysSalesOutstanding: z
    .number()
    .nullable()
    .describe(
      "balances still open today of the invoices issued in the week / invoiced in the week x the week's days, when one currency was invoiced",
    ),
});

const OPEN = Prisma.join(OPEN_STATUSES);
/** Rounded to a tenth, as the KPIs show them; null for no samples. */
const tenth = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** Figures one group (a customer, a week, or everything) is built from: sums and quantiles from SQL. */
interface Figures {
  orders: number;
  breached: number;
  lines: number;
  onTimeInFull: number;
  cycle: { p50: number | null; p90: number | null };
  toInvoice: { p50: number | null; p90: number | null };
  invoiced: { currency: string; totalMinor: number }[];
  open: { currency: string; balanceMinor: number }[];
}
const noFigures = (): Figures => ({
  orders: 0,
  breached: 0,
  lines: 0,
  onTimeInFull: 0,
  cycle: { p50: null, p90: null },
  toInvoice: { p50: null, p90: null },
  invoiced: [],
  open: [],
});

const kpiOf = (f: Figures, days: number) => {
  const dso = dsoByCurrency(f.invoiced, f.open, days);
  return {
    orders: f.orders,
    // otifRate's basis points, rounded down: a single failed line keeps the rate below 100 %.
    otifPercent: f.lines ? Math.floor((f.onTimeInFull * 10_000) / f.lines) / 100 : null,
    cycleTimeHours: f.cycle,
    timeToInvoiceHours: f.toInvoice,
    daysSalesOutstanding: dso.length === 1 ? dso[0]!.days : null,
    daysSalesOutstandingByCurrency: dso,
    slaBreachPercent: f.orders ? Math.round((f.breached / f.orders) * 1000) / 10 : null,
  };
};

/** The key rows are grouped by: the customer, or the week (its first day inside the range). */
type Grouping = 'customer' | 'week';
const TOTAL = '\u0000total';

/**
 * The KPI figures of [from, to], grouped by customer or by week, plus the total ('\0total'): each
 * figure one aggregate statement bounded by the range (the indexes of migration read_paths), so the
 * work grows with the range's rows, not the tables'. Percentiles by nearest rank (percentile_disc), as
 * domain/stats.ts computes them.
 */
async function kpiFigures(
  db: Db,
  from: string,
  to: string,
  customerId: string | undefined,
  grouping: Grouping,
): Promise<Map<string, Figures>> {
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T23:59:59.999Z`);
  const key = (customerCol: Prisma.Sql, day: Prisma.Sql) =>
    grouping === 'customer'
      ? customerCol
      : Prisma.sql`to_char(greatest(date_trunc('week', (${day})::timestamp)::date, ${from}::date), 'YYYY-MM-DD')`;
  const utcDay = (col: Prisma.Sql) => Prisma.sql`(${col} AT TIME ZONE 'UTC')::date`;
  const mine = (col: Prisma.Sql) => (customerId ? Prisma.sql`AND ${col} = ${customerId}` : Prisma.empty);
  type Keyed = { k: string | null; is_total: number };
  // The key is computed once, in an inner SELECT, and grouped by name: a parameterised expression
  // written twice (SELECT and GROUP BY) binds two parameters, and PostgreSQL would not see it as one.
  const total = Prisma.sql`GROUPING(t.k) AS is_total`;
  const sets = Prisma.sql`GROUP BY GROUPING SETS ((t.k), ())`;
  const byCurrency = Prisma.sql`GROUP BY GROUPING SETS ((t.k, t.currency), (t.currency))`;
  const fromDay = Prisma.sql`${from}::date`;
  const toDay = Prisma.sql`${to}::date`;
  const [orders, lines, cycles, toInvoice, invoiced, open] = await Promise.all([
    db.$queryRaw<(Keyed & { orders: number; breached: number })[]>`
      SELECT t.k, ${total}, count(*)::int AS orders, count(*) FILTER (WHERE t.sla_breached)::int AS breached
      FROM (SELECT ${key(Prisma.sql`o.customer_id`, utcDay(Prisma.sql`o.created_at`))} AS k, o.sla_breached
            FROM "order" o WHERE o.created_at BETWEEN ${start} AND ${end} ${mine(Prisma.sql`o.customer_id`)}) t
      ${sets}`,
    db.$queryRaw<(Keyed & { lines: number; hits: number })[]>`
      SELECT t.k, ${total}, count(*)::int AS lines, count(*) FILTER (WHERE t.is_hit)::int AS hits
      FROM (SELECT ${key(Prisma.sql`o.customer_id`, Prisma.sql`l.delivered_date`)} AS k, l.is_on_time AND l.is_in_full AS is_hit
            FROM line_otif l LEFT JOIN "order" o ON o.id = l.order_id
            WHERE l.delivered_date BETWEEN ${fromDay} AND ${toDay} ${mine(Prisma.sql`o.customer_id`)}) t
      ${sets}`,
    db.$queryRaw<(Keyed & { p50: number | null; p90: number | null })[]>`
      SELECT t.k, ${total}, percentile_disc(0.5) WITHIN GROUP (ORDER BY t.h) AS p50, percentile_disc(0.9) WITHIN GROUP (ORDER BY t.h) AS p90
      FROM (SELECT ${key(Prisma.sql`o.customer_id`, utcDay(Prisma.sql`e.occurred_at`))} AS k,
                   (extract(epoch FROM e.occurred_at - o.created_at) / 3600)::float8 AS h
            FROM step_event e JOIN "order" o ON o.id = e.order_id
            WHERE e.step = '*' AND e.to_status = 'fulfilled' AND e.run_kind = 'order' AND e.occurred_at BETWEEN ${start} AND ${end}
            ${mine(Prisma.sql`o.customer_id`)}) t
      ${sets}`,
    // Joined as sets (the range's 'issued' events, the invoices' shipments), not looked up per invoice.
    db.$queryRaw<(Keyed & { p50: number | null; p90: number | null })[]>`
      SELECT t.k, ${total}, percentile_disc(0.5) WITHIN GROUP (ORDER BY t.h) AS p50, percentile_disc(0.9) WITHIN GROUP (ORDER BY t.h) AS p90
      FROM (SELECT ${key(Prisma.sql`i.customer_id`, Prisma.sql`i.issue_date`)} AS k,
                   (extract(epoch FROM ev.issued_at - max(s.shipped_at)) / 3600)::float8 AS h
            FROM invoice i
            JOIN (SELECT e.workflow_id, min(e.occurred_at) AS issued_at FROM step_event e
                  WHERE e.step = '*' AND e.to_status = 'issued' AND e.run_kind = 'invoice' AND e.occurred_at BETWEEN ${start} AND ${end}
                  GROUP BY e.workflow_id) ev ON ev.workflow_id = i.id
            CROSS JOIN LATERAL unnest(i.shipment_ids) AS billed(shipment_id)
            JOIN shipment s ON s.id = billed.shipment_id AND s.shipped_at IS NOT NULL
            WHERE i.issue_date BETWEEN ${fromDay} AND ${toDay} ${mine(Prisma.sql`i.customer_id`)}
            GROUP BY i.id, i.customer_id, i.issue_date, ev.issued_at) t
      ${sets}`,
    db.$queryRaw<(Keyed & { currency: string; minor: bigint })[]>`
      SELECT t.k, ${total}, t.currency, sum(t.total_minor)::bigint AS minor
      FROM (SELECT ${key(Prisma.sql`i.customer_id`, Prisma.sql`i.issue_date`)} AS k, i.currency, i.total_minor
            FROM invoice i WHERE i.issue_date BETWEEN ${fromDay} AND ${toDay} ${mine(Prisma.sql`i.customer_id`)}) t
      ${byCurrency}`,
    // Per customer: every open balance, whenever issued. Per week: those of the week's invoices.
    db.$queryRaw<(Keyed & { currency: string; minor: bigint })[]>`
      SELECT t.k, ${total}, t.currency, sum(t.balance)::bigint AS minor
      FROM (SELECT ${key(Prisma.sql`i.customer_id`, Prisma.sql`i.issue_date`)} AS k, i.currency,
                   i.total_minor - i.paid_minor - i.discount_taken_minor - i.credited_minor AS balance
            FROM invoice i WHERE i.status IN (${OPEN}) ${mine(Prisma.sql`i.customer_id`)}
              ${grouping === 'week' ? Prisma.sql`AND i.issue_date BETWEEN ${fromDay} AND ${toDay}` : Prisma.empty}) t
      ${byCurrency}`,
  ]);
  const figures = new Map<string, Figures>();
  const of = (r: Keyed) => {
    const k = Number(r.is_total) === 1 ? TOTAL : (r.k ?? '');
    let f = figures.get(k);
    if (!f) figures.set(k, (f = noFigures()));
    return f;
  };
  for (const r of orders) Object.assign(of(r), { orders: r.orders, breached: r.breached });
  for (const r of lines) Object.assign(of(r), { lines: r.lines, onTimeInFull: r.hits });
  for (const r of cycles) of(r).cycle = { p50: tenth(r.p50), p90: tenth(r.p90) };
  for (const r of toInvoice) of(r).toInvoice = { p50: tenth(r.p50), p90: tenth(r.p90) };
  for (const r of invoiced) of(r).invoiced.push({ currency: r.currency, totalMinor: Number(r.minor) });
  for (const r of open) of(r).open.push({ currency: r.currency, balanceMinor: Number(r.minor) });
  return figures;
}

/** The weeks of [from, to]: ISO weeks (Monday to Sunday), the first and last clipped to the range. */
function weeksOf(from: string, to: string): { weekStart: string; weekEnd: string; days: number }[] {
  const weeks = [];
  for (let weekStart = from; weekStart <= to;) {
    const weekday = (new Date(`${weekStart}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
    const sunday = addCalendarDays(weekStart, 6 - weekday);
    const weekEnd = sunday < to ? sunday : to;
    weeks.push({ weekStart, weekEnd, days: daysBetween(weekStart, weekEnd) + 1 });
    weekStart = addCalendarDays(weekEnd, 1);
  }
  return weeks;
}

/** Receivables aging in one aggregate statement over the open invoices (index on status, due date). */
async function arAging(db: Db, asOf: string): Promise<AgingReport> {
  const rows = await db.$queryRaw<
    {
      customer_id: string;
      customer_name: string;
      currency: string;
      current: bigint;
      d1_30: bigint;
      d31_60: bigint;
      d61_90: bigint;
      d90_plus: bigint;
      total: bigint;
    }[]
  >`
    SELECT i.customer_id, COALESCE(min(c.name), i.customer_id) AS customer_name, i.currency,
      COALESCE(sum(i.balance) FILTER (WHERE i.overdue <= 0), 0)::bigint AS current,
      COALESCE(sum(i.balance) FILTER (WHERE i.overdue BETWEEN 1 AND 30), 0)::bigint AS d1_30,
      COALESCE(sum(i.balance) FILTER (WHERE i.overdue BETWEEN 31 AND 60), 0)::bigint AS d31_60,
      COALESCE(sum(i.balance) FILTER (WHERE i.overdue BETWEEN 61 AND 90), 0)::bigint AS d61_90,
      COALESCE(sum(i.balance) FILTER (WHERE i.overdue > 90), 0)::bigint AS d90_plus,
      sum(i.balance)::bigint AS total
    FROM (SELECT customer_id, currency, total_minor - paid_minor - discount_taken_minor - credited_minor AS balance, ${asOf}::date - due_date AS overdue
          FROM invoice WHERE status IN (${OPEN}) AND due_date IS NOT NULL) i
    LEFT JOIN customer c ON c.id = i.customer_id
    WHERE i.balance <> 0
    GROUP BY i.customer_id, i.currency`;
  const amounts = (r: (typeof rows)[number]) => {
    const figures = {
      current: Number(r.current),
      d1_30: Number(r.d1_30),
      d31_60: Number(r.d31_60),
      d61_90: Number(r.d61_90),
      d90_plus: Number(r.d90_plus),
      totalMinor: Number(r.total),
    };
    for (const [name, value] of Object.entries(figures))
      if (!Number.isSafeInteger(value))
        throw new RangeError(`aging ${name} of ${r.customer_id} exceeds the exact integer range`);
    return figures;
  };
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const report: AgingRow[] = rows
    .map((r) => ({ customerId: r.customer_id, customerName: r.customer_name, currency: r.currency, ...amounts(r) }))
    .sort(
      (a, b) =>
        compare(a.customerName, b.customerName) ||
        compare(a.customerId, b.customerId) ||
        compare(a.currency, b.currency),
    );
  const totals = new Map<string, AgingTotal>();
  for (const r of report) {
    const t = totals.get(r.currency) ?? {
      currency: r.currency,
      current: 0,
      d1_30: 0,
      d31_60: 0,
      d61_90: 0,
      d90_plus: 0,
      totalMinor: 0,
    };
    for (const b of ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus', 'totalMinor'] as const) t[b] += r[b];
    totals.set(r.currency, t);
  }
  return { asOf, rows: report, totals: [...totals.values()].sort((a, b) => compare(a.currency, b.currency)) };
}

export const reportRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const cache = new ReportCache(deps.db);
  app.get(
    '/reports/ar-aging',
    {
      config: { auth: { roles: ['finance'] as const } },
      schema: {
        tags: ['finance'],
        summary:
          'Receivables aging per customer: current, 1-30, 31-60, 61-90, 90+ days past due (format=csv for a spreadsheet)',
        querystring: z.object({ asOf: z.iso.date().optional(), format: z.enum(['json', 'csv']).default('json') }),
        response: {
          200: z
            .object({
              asOf: z.string(),
              rows: z.array(
                z.object({ customerId: z.string(), customerName: z.string(), currency: z.string(), ...buckets }),
              ),
              totals: z.array(z.object({ currency: z.string(), ...buckets })),
            })
            .or(z.string()),
          ...problemResponses(400),
        },
      },
    },
    async (req, reply) => {
      const asOf = req.query.asOf ?? today();
      const report = await cache.get(`ar-aging:${asOf}`, () => arAging(deps.db, asOf));
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="ar-aging-${asOf}.csv"`)
          .send(agingCsv(report));
      }
      return report;
    },
  );

  app.get(
    '/kpis',
    {
      config: { auth: { roles: ['finance', 'ops'] as const } },
      schema: {
        tags: ['finance'],
        summary:
          'On-time-in-full, order cycle time p50/p90, time to invoice, DSO and SLA breach rate, overall and per customer (groupBy=week adds a weekly series)',
        querystring: z.object({
          from: z.iso.date(),
          to: z.iso.date(),
          customerId: z.string().max(64).optional(),
          groupBy: z
            .enum(['week'])
            .optional()
            .describe('week: also the KPIs of each ISO week of the range, for charts'),
        }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            overall: kpiSchema,
            customers: z.array(kpiSchema.extend({ customerId: z.string() })),
            series: z
              .array(weekSchema)
              .optional()
              .describe('groupBy=week: one entry per week of the range, oldest first, empty weeks included'),
          }),
          ...problemResponses(400),
        },
      },
    },
    async (req) => {
      const { from, to, customerId, groupBy } = req.query;
      if (from > to)
        throw new ProblemError('validation', `from (${from}) is after to (${to})`, {
          errors: [{ field: 'from', message: `must not be after to (${to})` }],
        });
      if (daysBetween(from, to) > MAX_RANGE_DAYS) {
        throw new ProblemError('validation', `the range ${from}..${to} is longer than ${MAX_RANGE_DAYS} days`, {
          errors: [{ field: 'to', message: `must be within ${MAX_RANGE_DAYS} days of from` }],
        });
      }
      const days = daysBetween(from, to) + 1;
      const scope = `${from}/${to}/${customerId ?? ''}`;
      // One entry per request shape: one fingerprint check per request.
      const [byCustomer, byWeek] = await cache.get(`kpis:${groupBy ?? ''}:${scope}`, () =>
        Promise.all([
          kpiFigures(deps.db, from, to, customerId, 'customer'),
          groupBy === 'week' ? kpiFigures(deps.db, from, to, customerId, 'week') : undefined,
        ]),
      );
      // Customers with orders created in the range, as before.
      const customerIds = [...byCustomer.entries()]
        .filter(([k, f]) => k !== TOTAL && f.orders > 0)
        .map(([k]) => k)
        .sort();
      return {
        from,
        to,
        overall: kpiOf(byCustomer.get(TOTAL) ?? noFigures(), days),
        customers: customerIds.map((id) => ({ customerId: id, ...kpiOf(byCustomer.get(id)!, days) })),
        ...(byWeek
          ? {
              series: weeksOf(from, to).map(({ days: weekDays, ...w }) => ({
                ...w,
                ...kpiOf(byWeek.get(w.weekStart) ?? noFigures(), weekDays),
              })),
            }
          : {}),
      };
    },
  );
};
