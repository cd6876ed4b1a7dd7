/**
 * The console's reads under load (issue 13, "Reads fast enough for a screen"): a database of
 * `orders` orders with their events, shipments, delivered lines and invoices, written directly in a
 * few INSERT ... SELECT statements (no workflow runs), then each screen's request measured at the
 * benchmark's connections beside a baseline measured the same way in the same run: a bare Fastify
 * route doing one indexed SELECT (`order.findUnique` by id) through the same driver (Prisma over
 * adapter-pg, lib/db.ts createDb with its default pool). Each screen must reach MIN_RATIO of the
 * baseline's requests/s.
 */
import type autocannon from 'autocannon';
import type { Db } from '../../lib/db';
import { fire, type LoadResult } from './load';

/** A screen at half the baseline's rate or better (issue 13). */
export const MIN_RATIO = 0.5;
export const SCREEN_CUSTOMERS = 40;
/** The quarter the orders are spread over, ending yesterday. */
const QUARTER_DAYS = 91;

const iso = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

export interface ScreenData {
  orderIds: string[];
  customerIds: string[];
  from: string;
  to: string;
  seedSeconds: number;
}

/**
 * Writes the data set in a few set-based INSERTs: `count` orders over the last quarter (a
 * tenth needing attention, the rest fulfilled), 8 step events each (a step's needs_attention with
 * its error included), a shipment, a delivered line (OTIF), an invoice (issued/paid/overdue/partially
 * paid, due dates across the aging buckets) with its 'issued' event. Then VACUUM ANALYZE, as autovacuum would.
 */
export async function seedScreens(db: Db, count: number, prefix: string): Promise<ScreenData> {
  const started = performance.now();
  const from = iso(daysAgo(QUARTER_DAYS));
  const to = iso(daysAgo(1));
  const o = `${prefix}-o-`;
  const c = `${prefix}-c-`;
  // One statement after another, not a transaction: the database is the run's own and thrown away after.
  for (const statement of [
    `INSERT INTO sla_profile (id, name, step_durations, handling_business_days) VALUES ('${prefix}-sla', 'bench', '{"reserve-stock": "8h"}', 1)`,
    `
      INSERT INTO customer (id, name, currency, credit_limit_minor, payment_terms, sla_profile_id)
      SELECT '${c}' || g, 'Bench customer ' || lpad(g::text, 3, '0'), 'USD', 100000000, 'NET30', '${prefix}-sla' FROM generate_series(1, ${SCREEN_CUSTOMERS}) g`,
    `
      INSERT INTO "order" (id, deal_id, customer_id, customer_name, po_number, currency, total_minor, status, current_step, needs_attention, sla_breached, event, created_at, updated_at)
      SELECT '${o}' || g, '${prefix}-deal-' || g, '${c}' || (1 + g % ${SCREEN_CUSTOMERS}), 'Bench customer ' || lpad((1 + g % ${SCREEN_CUSTOMERS})::text, 3, '0'),
             'PO-' || g, 'USD', 10000 + g, CASE WHEN g % 10 = 0 THEN 'reserving' ELSE 'fulfilled' END,
             CASE WHEN g % 10 = 0 THEN 'reserve-stock' END, g % 10 = 0, g % 7 = 0, '{}'::jsonb,
             now() - interval '1 day' - (g % ${QUARTER_DAYS * 24}) * interval '1 hour', now()
      FROM generate_series(1, ${count}) g`,
    `
      INSERT INTO step_event (run_kind, run_id, order_id, workflow_id, temporal_run_id, seq, step, from_status, to_status, attempt, error, actor, occurred_at)
      SELECT 'order', o.id, o.id, o.id, 'run-1', s.seq, s.step, s.from_status, s.to_status, s.attempt,
             CASE WHEN s.to_status = 'needs_attention' THEN 'ErpUnavailable: ERP answered 503' END, 'system', o.created_at + s.seq * interval '1 minute'
      FROM "order" o
      CROSS JOIN (VALUES (1, 'record-order', 'pending', 'running', 1), (2, 'record-order', 'running', 'completed', 1),
                         (3, 'validate-order', 'pending', 'running', 1), (4, 'validate-order', 'running', 'completed', 1),
                         (5, '*', 'received', 'validated', 0), (6, 'reserve-stock', 'pending', 'running', 1),
                         (7, 'reserve-stock', 'running', 'needs_attention', 1), (8, '*', 'validated', 'reserving', 0)) AS s(seq, step, from_status, to_status, attempt)
      WHERE o.id LIKE '${o}%'`,
    `
      INSERT INTO step_event (run_kind, run_id, order_id, workflow_id, temporal_run_id, seq, step, from_status, to_status, attempt, actor, occurred_at)
      SELECT 'order', o.id, o.id, o.id, 'run-1', 9, '*', 'shipped', 'fulfilled', 0, 'system', o.created_at + interval '2 days'
      FROM "order" o WHERE o.id LIKE '${o}%' AND o.status = 'fulfilled'`,
    `
      INSERT INTO shipment (id, order_id, warehouse_id, status, lines, carrier_id, mode, tracking_number, promised_ship_date, promised_delivery_date, shipped_at, delivered_at)
      SELECT o.id || '-S1', o.id, 'WH-1', 'delivered', '[{"lineNo":1,"sku":"SKU-1","quantity":5}]'::jsonb, 'ups', 'ground', 'TRK' || o.id,
             (o.created_at + interval '1 day')::date, (o.created_at + interval '3 days')::date, o.created_at + interval '1 day', o.created_at + interval '2 days'
      FROM "order" o WHERE o.id LIKE '${o}%' AND o.status = 'fulfilled'`,
    `
      INSERT INTO line_otif (shipment_id, line_no, order_id, sku, quantity, good_quantity, promised_date, delivered_date, is_on_time, is_in_full)
      SELECT s.id, 1, s.order_id, 'SKU-1', 5, 5, s.promised_delivery_date, s.delivered_at::date, length(s.order_id) % 5 <> 0, true
      FROM shipment s WHERE s.order_id LIKE '${o}%'`,
    `
      INSERT INTO invoice (id, invoice_number, order_id, order_ids, customer_id, shipment_ids, currency, status, payment_terms, issue_date, due_date,
                           subtotal_minor, tax_minor, total_minor, paid_minor, tax_rate_bp, is_tax_exempt, lines, bill_to, idempotency_key, created_at, updated_at)
      SELECT 'inv-' || s.id, 'B-' || s.id, s.order_id, ARRAY[s.order_id], o.customer_id, ARRAY[s.id], 'USD',
             (ARRAY['issued', 'paid', 'overdue', 'partially_paid'])[1 + (o.total_minor % 4)::int], 'NET30',
             s.shipped_at::date, s.shipped_at::date + 30, o.total_minor, 0, o.total_minor,
             CASE (o.total_minor % 4) WHEN 1 THEN o.total_minor WHEN 3 THEN o.total_minor / 2 ELSE 0 END, 0, true, '{}'::jsonb, '{}'::jsonb,
             'bench-' || s.id, s.shipped_at, now()
      FROM shipment s JOIN "order" o ON o.id = s.order_id WHERE s.order_id LIKE '${o}%'`,
    `
      INSERT INTO step_event (run_kind, run_id, order_id, workflow_id, temporal_run_id, seq, step, from_status, to_status, attempt, actor, occurred_at)
      SELECT 'invoice', i.id, i.order_id, i.id, 'run-1', 1, '*', 'draft', 'issued', 0, 'system', i.created_at + interval '1 hour'
      FROM invoice i WHERE i.order_id LIKE '${o}%'`,
  ]) {
    await db.$executeRawUnsafe(statement);
  }
  // What autovacuum does to freshly loaded tables: statistics, and the GIN index's pending list merged
  // (until then every lookup of invoice.order_ids scans the whole list).
  for (const table of ['"order"', 'step_event', 'shipment', 'line_otif', 'invoice', 'customer'])
    await db.$executeRawUnsafe(`VACUUM ANALYZE ${table}`);
  const orderIds = Array.from({ length: count }, (_, i) => `${o}${i + 1}`);
  const customerIds = Array.from({ length: SCREEN_CUSTOMERS }, (_, i) => `${c}${i + 1}`);
  return { orderIds, customerIds, from, to, seedSeconds: (performance.now() - started) / 1000 };
}

export interface Screen {
  name: string;
  /** What one request asks for (the table's second column). */
  request: string;
  requests: (data: ScreenData, auth: Record<string, string>) => autocannon.Request[];
}

/** The same request for every connection, cycling through `paths`. */
const cycle = (paths: string[], auth: Record<string, string>): autocannon.Request[] =>
  paths.map((path) => ({ method: 'GET', path, headers: auth }));
const sample = <T>(items: T[], n: number) =>
  Array.from(
    { length: Math.min(n, items.length) },
    (_, i) => items[Math.floor((i * items.length) / Math.min(n, items.length))]!,
  );

export const SCREENS: Screen[] = [
  {
    name: 'order detail',
    request: 'GET /v1/orders/:id (cycling through 1,000 of the orders)',
    requests: (d, auth) =>
      cycle(
        sample(d.orderIds, 1000).map((id) => `/v1/orders/${encodeURIComponent(id)}`),
        auth,
      ),
  },
  {
    name: 'order list, filtered',
    request: 'GET /v1/orders?needsAttention=true&customerId=C (page of 50, each customer in turn)',
    requests: (d, auth) =>
      cycle(
        d.customerIds.map((c) => `/v1/orders?needsAttention=true&customerId=${c}&limit=50`),
        auth,
      ),
  },
  {
    name: 'invoice list',
    request: 'GET /v1/invoices?status=overdue (page of 50)',
    requests: (_d, auth) => cycle(['/v1/invoices?status=overdue&limit=50'], auth),
  },
  {
    // The console's customer screen (console/src/screens/CustomerDetail.tsx): the customer 360.
    name: 'customer view',
    request: 'GET /v1/customers/:id (the customer 360, each customer in turn)',
    requests: (d, auth) =>
      cycle(
        d.customerIds.map((c) => `/v1/customers/${c}`),
        auth,
      ),
  },
  {
    // Not a console read: CRM integrators page through a customer's orders with it.
    name: 'customer orders',
    request: 'GET /v1/customers/:id/orders (page of 50, each customer in turn)',
    requests: (d, auth) =>
      cycle(
        d.customerIds.map((c) => `/v1/customers/${c}/orders?limit=50`),
        auth,
      ),
  },
  {
    name: 'AR aging',
    request: 'GET /v1/reports/ar-aging (every open invoice)',
    requests: (_d, auth) => cycle(['/v1/reports/ar-aging'], auth),
  },
  {
    name: 'KPIs, a quarter',
    request: 'GET /v1/kpis?from&to=91 days&groupBy=week',
    requests: (d, auth) => cycle([`/v1/kpis?from=${d.from}&to=${d.to}&groupBy=week`], auth),
  },
];

export interface ScreenResult {
  name: string;
  request: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  ratio: number;
  non2xx: number;
  errors: number;
}

export interface ScreensOutcome {
  baseline: LoadResult;
  screens: (ScreenResult & { load: LoadResult })[];
}

/**
 * Checks every screen answers 200 once (a broken route would otherwise measure its error path), then
 * measures the baseline and each screen: warm-up, then the measured run, one target at a time.
 */
export async function measureScreens(opts: {
  appUrl: string;
  baselineUrl: string;
  data: ScreenData;
  apiKey: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  say: (message: string) => void;
}): Promise<ScreensOutcome> {
  const auth = { authorization: `Bearer ${opts.apiKey}` };
  for (const screen of SCREENS) {
    const [first] = screen.requests(opts.data, auth);
    const response = await fetch(`${opts.appUrl}${first!.path}`, { headers: auth });
    if (response.status !== 200)
      throw new Error(
        `${screen.name}: ${first!.path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
      );
  }
  const run = async (label: string, url: string, requests: autocannon.Request[]) => {
    opts.say(`${label}: ${opts.warmupSeconds} s warm-up, ${opts.durationSeconds} s measured`);
    if (opts.warmupSeconds > 0)
      await fire({ url, connections: opts.connections, durationSeconds: opts.warmupSeconds, requests });
    return fire({ url, connections: opts.connections, durationSeconds: opts.durationSeconds, requests });
  };
  const baselineRequests = cycle(
    sample(opts.data.orderIds, 1000).map((id) => `/orders/${encodeURIComponent(id)}`),
    {},
  );
  const baseline = await run('select baseline', opts.baselineUrl, baselineRequests);
  const screens = [];
  for (const screen of SCREENS) {
    const load = await run(screen.name, opts.appUrl, screen.requests(opts.data, auth));
    screens.push({
      name: screen.name,
      request: screen.request,
      rps: load.rps,
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      ratio: load.rps / baseline.rps,
      non2xx: load.non2xx,
      errors: load.errors + load.timeouts,
      load,
    });
  }
  return { baseline, screens };
}

/** The table the benchmark prints: each screen beside the baseline, and whether it reaches MIN_RATIO. */
export function screensTable(outcome: ScreensOutcome, data: ScreenData, connections: number): string[] {
  const num = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '-');
  const line = (cells: string[]) =>
    `  ${cells[0]!.padEnd(24)}${cells
      .slice(1)
      .map((c) => c.padStart(12))
      .join('')}`;
  return [
    '',
    `console reads: ${data.orderIds.length} orders and their invoices (seeded in ${num(data.seedSeconds)} s), ${connections} connections`,
    `  baseline: a bare Fastify route doing order.findUnique by id through the same Prisma adapter-pg driver, same pool size`,
    line(['target', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'non-2xx', 'verdict']),
    line([
      'select baseline',
      num(outcome.baseline.rps),
      num(outcome.baseline.p50Ms, 2),
      num(outcome.baseline.p99Ms, 2),
      '1.000',
      String(outcome.baseline.non2xx),
      '',
    ]),
    ...outcome.screens.map((s) =>
      line([
        s.name,
        num(s.rps),
        num(s.p50Ms, 2),
        num(s.p99Ms, 2),
        num(s.ratio, 3),
        String(s.non2xx),
        s.ratio >= MIN_RATIO && s.non2xx === 0 ? 'ok' : 'BELOW',
      ]),
    ),
    `  each screen must reach ${MIN_RATIO} of the baseline's requests/s with no non-2xx answer`,
  ];
}
