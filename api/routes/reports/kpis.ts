/** GET /kpis: on-time-in-full, cycle time, time to invoice, DSO and SLA breaches, overall, per customer, per week. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { dsoByCurrency } from '../../../domain/billing/dso';
import { addCalendarDays, daysBetween } from '../../../domain/calendar/business-days';
import type { ReportCache } from '../../views/report-cache';
import { problemResponses } from '../../schemas';
import { ProblemError } from '../../problems';
import type { RouteApp } from '../route-app';
import { kpiFigures, noFigures, TOTAL, type Figures } from './kpi-figures';

/** Ten years: a longer range is a typo, not a report. */
const MAX_RANGE_DAYS = 3660;

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

const kpisQuery = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  customerId: z.string().max(64).optional(),
  groupBy: z.enum(['week']).optional().describe('week: also the KPIs of each ISO week of the range, for charts'),
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

/** 400 unless from <= to and the range is at most MAX_RANGE_DAYS. */
function checkRange(from: string, to: string): void {
  if (from > to)
    throw new ProblemError('validation', `from (${from}) is after to (${to})`, {
      errors: [{ field: 'from', message: `must not be after to (${to})` }],
    });
  if (daysBetween(from, to) > MAX_RANGE_DAYS) {
    throw new ProblemError('validation', `the range ${from}..${to} is longer than ${MAX_RANGE_DAYS} days`, {
      errors: [{ field: 'to', message: `must be within ${MAX_RANGE_DAYS} days of from` }],
    });
  }
}

export function registerKpis(app: RouteApp, deps: AppDeps, cache: ReportCache): void {
  app.get(
    '/kpis',
    {
      config: { auth: { roles: ['finance', 'ops'] as const } },
      schema: {
        tags: ['finance'],
        summary:
          'On-time-in-full, order cycle time p50/p90, time to invoice, DSO and SLA breach rate, overall and per customer (groupBy=week adds a weekly series)',
        querystring: kpisQuery,
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
    async (req) => kpiReport(deps, cache, req.query),
  );
}

async function kpiReport(deps: AppDeps, cache: ReportCache, query: z.output<typeof kpisQuery>) {
  const { from, to, customerId, groupBy } = query;
  checkRange(from, to);
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
}
