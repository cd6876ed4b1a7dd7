/**
 * The KPI figures of a date range, grouped by customer or by week, plus the total: each figure one
 * aggregate statement bounded by the range (the indexes of migration read_paths), so the work grows
 * with the range's rows, not the tables'. Percentiles by nearest rank (percentile_disc), as
 * domain/stats.ts computes them.
 */
import { Prisma, type Db } from '../../../lib/db';
import { OPEN } from './shared';

/** Figures one group (a customer, a week, or everything) is built from: sums and quantiles from SQL. */
export interface Figures {
  orders: number;
  breached: number;
  lines: number;
  onTimeInFull: number;
  cycle: { p50: number | null; p90: number | null };
  toInvoice: { p50: number | null; p90: number | null };
  invoiced: { currency: string; totalMinor: number }[];
  open: { currency: string; balanceMinor: number }[];
}
export const noFigures = (): Figures => ({
  orders: 0,
  breached: 0,
  lines: 0,
  onTimeInFull: 0,
  cycle: { p50: null, p90: null },
  toInvoice: { p50: null, p90: null },
  invoiced: [],
  open: [],
});

/** The key rows are grouped by: the customer, or the week (its first day inside the range). */
export type Grouping = 'customer' | 'week';
/** The key of the figures of the whole range. */
export const TOTAL = '\u0000total';

/** Rounded to a tenth, as the KPIs show them; null for no samples. */
const tenth = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

type Keyed = { k: string | null; is_total: number };
type Quantiles = Keyed & { p50: number | null; p90: number | null };
type CurrencySum = Keyed & { currency: string; minor: bigint };

/** The SQL fragments every figure's statement shares: its range, its grouping key, the customer filter. */
function kpiSql(from: string, to: string, customerId: string | undefined, grouping: Grouping) {
  return {
    grouping,
    start: new Date(`${from}T00:00:00Z`),
    end: new Date(`${to}T23:59:59.999Z`),
    fromDay: Prisma.sql`${from}::date`,
    toDay: Prisma.sql`${to}::date`,
    key: (customerCol: Prisma.Sql, day: Prisma.Sql) =>
      grouping === 'customer'
        ? customerCol
        : Prisma.sql`to_char(greatest(date_trunc('week', (${day})::timestamp)::date, ${from}::date), 'YYYY-MM-DD')`,
    utcDay: (col: Prisma.Sql) => Prisma.sql`(${col} AT TIME ZONE 'UTC')::date`,
    mine: (col: Prisma.Sql) => (customerId ? Prisma.sql`AND ${col} = ${customerId}` : Prisma.empty),
    // The key is computed once, in an inner SELECT, and grouped by name: a parameterised expression
    // written twice (SELECT and GROUP BY) binds two parameters, and PostgreSQL would not see it as one.
    total: Prisma.sql`GROUPING(t.k) AS is_total`,
    sets: Prisma.sql`GROUP BY GROUPING SETS ((t.k), ())`,
    byCurrency: Prisma.sql`GROUP BY GROUPING SETS ((t.k, t.currency), (t.currency))`,
  };
}
type KpiSql = ReturnType<typeof kpiSql>;

/** Orders and SLA breaches, delivered lines on time and in full, and cycle times. */
function fulfilmentRows(db: Db, s: KpiSql) {
  return Promise.all([
    db.$queryRaw<(Keyed & { orders: number; breached: number })[]>`
      SELECT t.k, ${s.total}, count(*)::int AS orders, count(*) FILTER (WHERE t.sla_breached)::int AS breached
      FROM (SELECT ${s.key(Prisma.sql`o.customer_id`, s.utcDay(Prisma.sql`o.created_at`))} AS k, o.sla_breached
            FROM "order" o WHERE o.created_at BETWEEN ${s.start} AND ${s.end} ${s.mine(Prisma.sql`o.customer_id`)}) t
      ${s.sets}`,
    db.$queryRaw<(Keyed & { lines: number; hits: number })[]>`
      SELECT t.k, ${s.total}, count(*)::int AS lines, count(*) FILTER (WHERE t.is_hit)::int AS hits
      FROM (SELECT ${s.key(Prisma.sql`o.customer_id`, Prisma.sql`l.delivered_date`)} AS k, l.is_on_time AND l.is_in_full AS is_hit
            FROM line_otif l LEFT JOIN "order" o ON o.id = l.order_id
            WHERE l.delivered_date BETWEEN ${s.fromDay} AND ${s.toDay} ${s.mine(Prisma.sql`o.customer_id`)}) t
      ${s.sets}`,
    db.$queryRaw<Quantiles[]>`
      SELECT t.k, ${s.total}, percentile_disc(0.5) WITHIN GROUP (ORDER BY t.h) AS p50, percentile_disc(0.9) WITHIN GROUP (ORDER BY t.h) AS p90
      FROM (SELECT ${s.key(Prisma.sql`o.customer_id`, s.utcDay(Prisma.sql`e.occurred_at`))} AS k,
                   (extract(epoch FROM e.occurred_at - o.created_at) / 3600)::float8 AS h
            FROM step_event e JOIN "order" o ON o.id = e.order_id
            WHERE e.step = '*' AND e.to_status = 'fulfilled' AND e.run_kind = 'order' AND e.occurred_at BETWEEN ${s.start} AND ${s.end}
            ${s.mine(Prisma.sql`o.customer_id`)}) t
      ${s.sets}`,
  ]);
}

/** Time to invoice, amounts invoiced and open balances, per currency. */
function invoicingRows(db: Db, s: KpiSql) {
  return Promise.all([
    // Joined as sets (the range's 'issued' events, the invoices' shipments), not looked up per invoice.
    db.$queryRaw<Quantiles[]>`
      SELECT t.k, ${s.total}, percentile_disc(0.5) WITHIN GROUP (ORDER BY t.h) AS p50, percentile_disc(0.9) WITHIN GROUP (ORDER BY t.h) AS p90
      FROM (SELECT ${s.key(Prisma.sql`i.customer_id`, Prisma.sql`i.issue_date`)} AS k,
                   (extract(epoch FROM ev.issued_at - max(s.shipped_at)) / 3600)::float8 AS h
            FROM invoice i
            JOIN (SELECT e.workflow_id, min(e.occurred_at) AS issued_at FROM step_event e
                  WHERE e.step = '*' AND e.to_status = 'issued' AND e.run_kind = 'invoice' AND e.occurred_at BETWEEN ${s.start} AND ${s.end}
                  GROUP BY e.workflow_id) ev ON ev.workflow_id = i.id
            CROSS JOIN LATERAL unnest(i.shipment_ids) AS billed(shipment_id)
            JOIN shipment s ON s.id = billed.shipment_id AND s.shipped_at IS NOT NULL
            WHERE i.issue_date BETWEEN ${s.fromDay} AND ${s.toDay} ${s.mine(Prisma.sql`i.customer_id`)}
            GROUP BY i.id, i.customer_id, i.issue_date, ev.issued_at) t
      ${s.sets}`,
    db.$queryRaw<CurrencySum[]>`
      SELECT t.k, ${s.total}, t.currency, sum(t.total_minor)::bigint AS minor
      FROM (SELECT ${s.key(Prisma.sql`i.customer_id`, Prisma.sql`i.issue_date`)} AS k, i.currency, i.total_minor
            FROM invoice i WHERE i.issue_date BETWEEN ${s.fromDay} AND ${s.toDay} ${s.mine(Prisma.sql`i.customer_id`)}) t
      ${s.byCurrency}`,
    // Per customer: every open balance, whenever issued. Per week: those of the week's invoices.
    db.$queryRaw<CurrencySum[]>`
      SELECT t.k, ${s.total}, t.currency, sum(t.balance)::bigint AS minor
      FROM (SELECT ${s.key(Prisma.sql`i.customer_id`, Prisma.sql`i.issue_date`)} AS k, i.currency,
                   i.total_minor - i.paid_minor - i.discount_taken_minor - i.credited_minor AS balance
            FROM invoice i WHERE i.status IN (${OPEN}) ${s.mine(Prisma.sql`i.customer_id`)}
              ${s.grouping === 'week' ? Prisma.sql`AND i.issue_date BETWEEN ${s.fromDay} AND ${s.toDay}` : Prisma.empty}) t
      ${s.byCurrency}`,
  ]);
}

/** The KPI figures of [from, to], grouped by customer or by week, plus the total (TOTAL). */
export async function kpiFigures(
  db: Db,
  from: string,
  to: string,
  customerId: string | undefined,
  grouping: Grouping,
): Promise<Map<string, Figures>> {
  const s = kpiSql(from, to, customerId, grouping);
  const [[orders, lines, cycles], [toInvoice, invoiced, open]] = await Promise.all([
    fulfilmentRows(db, s),
    invoicingRows(db, s),
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
