/** GET /reports/ar-aging: receivables aging per customer and currency, as JSON or CSV. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { agingCsv, type AgingReport, type AgingRow, type AgingTotal } from '../../../domain/billing/aging';
import type { Db } from '../../../lib/db';
import type { ReportCache } from '../../views/report-cache';
import { problemResponses } from '../../schemas';
import type { RouteApp } from '../route-app';
import { OPEN } from './shared';

const today = () => new Date().toISOString().slice(0, 10);

const buckets = {
  current: z.number(),
  d1_30: z.number(),
  d31_60: z.number(),
  d61_90: z.number(),
  d90_plus: z.number(),
  totalMinor: z.number(),
};
const BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus', 'totalMinor'] as const;

interface AgingSqlRow {
  customer_id: string;
  customer_name: string;
  currency: string;
  current: bigint;
  d1_30: bigint;
  d31_60: bigint;
  d61_90: bigint;
  d90_plus: bigint;
  total: bigint;
}

export function registerArAging(app: RouteApp, deps: AppDeps, cache: ReportCache): void {
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
}

/** One customer and currency's amounts, refused when a sum is past the exact integer range. */
function agingAmounts(r: AgingSqlRow) {
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
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Receivables aging in one aggregate statement over the open invoices (index on status, due date). */
async function arAging(db: Db, asOf: string): Promise<AgingReport> {
  const rows = await db.$queryRaw<AgingSqlRow[]>`
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
  const report: AgingRow[] = rows
    .map((r) => ({
      customerId: r.customer_id,
      customerName: r.customer_name,
      currency: r.currency,
      ...agingAmounts(r),
    }))
    .sort(
      (a, b) =>
        compare(a.customerName, b.customerName) ||
        compare(a.customerId, b.customerId) ||
        compare(a.currency, b.currency),
    );
  return { asOf, rows: report, totals: agingTotals(report) };
}

/** The report's totals per currency, by currency. */
function agingTotals(report: AgingRow[]): AgingTotal[] {
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
    for (const b of BUCKETS) t[b] += r[b];
    totals.set(r.currency, t);
  }
  return [...totals.values()].sort((a, b) => compare(a.currency, b.currency));
}
