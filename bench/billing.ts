/**
 * The billing phase of `npm run bench` (run by bench/fulfillment.ts after the fulfillment phase, on the
 * same server, database and workers; `--skip-billing` leaves it out): N delivered orders invoiced and
 * paid end to end, beside a baseline measured the same way.
 *
 * Each invoice is for an order whose one shipment is written into the database as delivered (with OTIF,
 * as fixtures/billing.ts does for the invoice tests); its `invoiceLifecycle` workflow
 * `invoice-<orderId>-S1` is started directly on the closedloop task queue (no parent order, so no
 * progress signal). Once its history (long-polled) shows it has issued the commands that precede the
 * payment, the driver queries `getInvoice` for the balance and pays it in full with the `recordPayment`
 * update; the latency runs from the start call to the workflow's result `paid`.
 *
 * The baseline is `baselineChild` (bench/baseline-workflows.ts) replaying the commands of one invoice
 * recorded in this run (activities, local activities, timers, search-attribute upserts, the update)
 * with no-op activities; it is queried (`baselineBalance`) and updated the same way, with the same
 * concurrency. Prints the method and figures; writes bench-results/billing.json.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Db } from '../lib/db';
import type { Fixture } from '../fixtures/master-data';
import { throughputFigures } from './harness';
import { shippedOrder, startInvoice, type BillingSetup } from '../fixtures/billing';
import { getInvoice, recordPayment } from '../workflows/billing/messages';
import type { BenchArgs } from './args';
import { BASELINE_WORKFLOW_TYPES, baselineBalance, baselineDelivery, type BaselineOp } from './baseline-workflows';
import { runWithConcurrency } from './load';
import { round, type LatencySummary } from './stats';
import type { TimeTotal } from './stopwatch';
import { commandsOf, countCommands, countShape, stuckReason, type ShapeCounts } from './workflow-shape';
import type { CpuUse } from './cpu';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface BillingRun {
  workflowId: string;
  latencyMs: number;
  updateAttempts: number;
}

export interface BillingPhaseResult {
  runs: BillingRun[];
  elapsedMs: number;
  perSecond: number;
  latency: LatencySummary;
  cpu: CpuUse;
  activityTime: TimeTotal[];
}

/** What the billing phase borrows from the fulfillment benchmark's set-up (same process, same parts). */
export interface BillingContext {
  args: BenchArgs;
  client: Client;
  db: Db;
  fixture: Fixture;
  taskQueue: string;
  baselineQueue: string;
  runTag: string;
  databaseName: string;
  resultsFile: string;
  runTimeoutMs: number;
  say: (message: string) => void;
  /** Runs a client call that the benchmark's cleanup can abort. */
  abortable: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Fails as soon as either worker fails. */
  guard: <T>(work: Promise<T>) => Promise<T>;
  /** Waits until neither worker has done anything for a while. */
  settle: () => Promise<void>;
  measure: (count: number, concurrency: number, runOne: () => Promise<BillingRun>) => Promise<BillingPhaseResult>;
  waitForHistory: (
    client: Client,
    workflowId: string,
    isReady: (events: HistoryEvent[]) => boolean,
    options: { deadline: number; pollMs: number; shouldStop: () => boolean },
  ) => Promise<boolean>;
  describeProgress: (client: Client, workflowId: string) => Promise<string>;
  describeShape: (counts: ShapeCounts) => string;
  cpuMsPerRun: (phase: BillingPhaseResult) => number;
  describeError: (error: unknown) => string;
}

interface PayDriver {
  start: () => Promise<string>;
  /** Commands the invoice issues before it can take the payment (from the recorded shape). */
  commandsBeforePayment: number;
  /**
   * Only for the sample, whose shape is not known yet: resolves once the invoice has been sent to the
   * customer (a payment accepted while send-invoice is still running ends the run "sent", not "paid").
   */
  awaitSent?: (workflowId: string, deadline: number) => Promise<void>;
  /** Queries the open balance, then sends the payment of that balance. */
  pay: (workflowId: string) => Promise<void>;
  expectedStatus: string;
}

/** One invoice, from the start call to its result, paid in full by one update once it is issued. */
async function payOne(ctx: BillingContext, driver: PayDriver): Promise<BillingRun> {
  const { client, runTimeoutMs, args } = ctx;
  const started = performance.now();
  const deadline = started + runTimeoutMs;
  const workflowId = await driver.start();
  let isClosed = false;
  const result = client.workflow
    .getHandle(workflowId)
    .result()
    .finally(() => void (isClosed = true)) as Promise<{ status?: string }>;
  result.catch(() => undefined); // awaited below, after the payment

  const isReady = (events: HistoryEvent[]) => {
    const reason = stuckReason(events);
    if (reason) throw new Error(`${workflowId}: ${reason}`);
    return countCommands(events) >= driver.commandsBeforePayment;
  };
  const isPayable = await ctx.waitForHistory(client, workflowId, isReady, {
    deadline,
    pollMs: args.pollMs,
    shouldStop: () => isClosed,
  });
  if (isPayable && driver.awaitSent) await driver.awaitSent(workflowId, deadline);
  let updateAttempts = 0;
  while (isPayable && !isClosed) {
    updateAttempts += 1;
    try {
      await driver.pay(workflowId);
      break;
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      if (performance.now() > deadline) {
        throw new Error(
          `${workflowId}: no payment accepted within ${runTimeoutMs / 1000} s (last refusal: ${ctx.describeError(error)})`,
          { cause: error },
        );
      }
      await sleep(args.pollMs);
    }
  }
  const outcome = await Promise.race([
    result,
    sleep(Math.max(0, deadline - performance.now())).then(async () => {
      throw new Error(
        `${workflowId}: no result within ${runTimeoutMs / 1000} s\n  ${await ctx.describeProgress(client, workflowId)}`,
      );
    }),
  ]);
  const latencyMs = performance.now() - started;
  if (outcome.status !== driver.expectedStatus)
    throw new Error(`${workflowId}: ended "${outcome.status}", expected "${driver.expectedStatus}"`);
  return { workflowId, latencyMs, updateAttempts };
}

export async function runBillingPhase(ctx: BillingContext): Promise<void> {
  const { args, client, say } = ctx;
  const harness: BillingSetup = { db: ctx.db, temporal: client, taskQueue: ctx.taskQueue };
  // One shipment of the fixture's whole order (240 valves, 1,200 gaskets, 12 drums), delivered in full, freight USD 350.
  const shipment = {
    lines: [
      { lineNo: 1, sku: 'valve' as const, quantity: 240 },
      { lineNo: 2, sku: 'gasket' as const, quantity: 1_200 },
      { lineNo: 3, sku: 'solvent' as const, quantity: 12 },
    ],
    freightCostMinor: 35_000,
  };
  const receivedDate = () => new Date().toISOString().slice(0, 10);

  let commandsBeforePayment = 0;
  let isSample = true;
  const awaitSent = async (workflowId: string, deadline: number) => {
    const handle = client.workflow.getHandle(workflowId);
    while ((await handle.query(getInvoice)).status !== 'sent') {
      if (performance.now() > deadline) throw new Error(`${workflowId}: not sent within ${ctx.runTimeoutMs / 1000} s`);
      await sleep(args.pollMs);
    }
  };
  const invoiceRun = () =>
    ctx.abortable(() =>
      payOne(ctx, {
        awaitSent: isSample ? awaitSent : undefined,
        start: async () => {
          const order = await shippedOrder(harness, ctx.fixture, [shipment]);
          return (await startInvoice(harness, order)).workflowId;
        },
        commandsBeforePayment,
        pay: async (workflowId) => {
          const handle = client.workflow.getHandle(workflowId);
          const { balanceMinor } = await handle.query(getInvoice);
          await handle.executeUpdate(recordPayment, {
            args: [{ amountMinor: balanceMinor, receivedDate: receivedDate(), reference: `PAY-${workflowId}` }],
          });
        },
        expectedStatus: 'paid',
      }),
    );

  say('billing: recording one invoice to read its shape');
  const sample = await ctx.guard(invoiceRun());
  await ctx.settle();
  const sampleHistory = await client.workflow.getHandle(sample.workflowId).fetchHistory();
  const ops: BaselineOp[] = commandsOf(sampleHistory, 'invoice');
  const updates = ops.filter((op) => op.kind === 'await-update').length;
  if (updates !== 1) throw new Error(`invoice: expected exactly 1 accepted update (the payment), got ${updates}`);
  commandsBeforePayment = ops.findIndex((op) => op.kind === 'await-update');
  isSample = false;
  const shapeCounts = countShape(sampleHistory, 'invoice');

  let baselineSeq = 0;
  const baselineRun = () =>
    ctx.abortable(() =>
      payOne(ctx, {
        start: async () => {
          baselineSeq += 1;
          const workflowId = `baseline-invoice-${ctx.runTag}-${baselineSeq}`;
          await client.workflow.start(BASELINE_WORKFLOW_TYPES.child, {
            taskQueue: ctx.baselineQueue,
            workflowId,
            args: [ops],
          });
          return workflowId;
        },
        commandsBeforePayment,
        pay: async (workflowId) => {
          const handle = client.workflow.getHandle(workflowId);
          await handle.query(baselineBalance);
          await handle.executeUpdate(baselineDelivery, {
            args: [{ signer: 'Bench Payer', deliveredAt: receivedDate(), exceptions: [] }],
          });
        },
        expectedStatus: 'delivered',
      }),
    );

  if (args.warmup > 0) {
    say(`billing warm-up: ${args.warmup} invoices and ${args.warmup} baseline runs, ${args.concurrency} in flight`);
    await ctx.guard(runWithConcurrency(args.warmup, args.concurrency, invoiceRun));
    await ctx.settle();
    await ctx.guard(runWithConcurrency(args.warmup, args.concurrency, baselineRun));
    await ctx.settle();
  }

  say(`billing: measuring ${args.orders} invoices, ${args.concurrency} in flight`);
  const measured = await ctx.guard(ctx.measure(args.orders, args.concurrency, invoiceRun));
  await ctx.settle();
  say(`billing: measuring ${args.orders} baseline runs, ${args.concurrency} in flight`);
  const base = await ctx.guard(ctx.measure(args.orders, args.concurrency, baselineRun));
  await ctx.settle();

  const result = {
    ...throughputFigures(args.orders, measured, base),
    concurrency: args.concurrency,
    method: {
      warmupRuns: args.warmup,
      measured:
        'invoiceLifecycle started for a delivered shipment (written into the database) until its result "paid"; one recordPayment update of the balance read with getInvoice',
      baselineShape: { invoice: shapeCounts },
    },
    cpuMsPerOrder: { closedloop: round(ctx.cpuMsPerRun(measured)), baseline: round(ctx.cpuMsPerRun(base)) },
  };

  const ms = (v: number) => round(v).toFixed(1);
  const row = (label: string, ours: string, theirs: string, note = '') =>
    `  ${label.padEnd(26)}${ours.padStart(12)}${theirs.padStart(14)}${note ? `    ${note}` : ''}`;
  const meanAttempts = (p: BillingPhaseResult) =>
    (p.runs.reduce((s, run) => s + run.updateAttempts, 0) / p.runs.length).toFixed(1);
  const perInvoice = (totals: TimeTotal[], count: number) =>
    totals.map(
      (x) =>
        `    ${x.name.padEnd(46)}${(x.calls / count).toFixed(1).padStart(6)} calls${(x.totalMs / count).toFixed(1).padStart(10)} ms`,
    );
  const lines = [
    '',
    'closedloop billing benchmark',
    '',
    'method',
    `  load        ${args.orders} delivered orders invoiced and paid, ${args.concurrency} in flight (closed loop), after ${args.warmup} unmeasured`,
    `              warm-up runs of each kind; same server, database and workers as the fulfillment phase above`,
    `  data        per order one shipment (the fixture's whole order) written into the database as delivered, on time and in`,
    `              full; invoiceLifecycle invoice-<orderId>-S1 started directly (NET30, no parent order)`,
    `              latency: start call to the invoice workflow's result "paid"; once its history (long-polled, no worker involved)`,
    `              shows it issued, getInvoice is queried for the balance and recordPayment pays it in full (one update)`,
    `              throughput: invoices / wall time of the measured batch`,
    `  baseline    baselineChild on its own task queue and worker, issuing the commands of an invoice recorded in this run, in`,
    `              its order, activities and local activities doing nothing; queried and updated the same way:`,
    `              invoice: ${ctx.describeShape(shapeCounts)}`,
    '',
    row('results', 'closedloop', 'baseline'),
    row('orders/second', measured.perSecond.toFixed(2), base.perSecond.toFixed(2), `ratio ${result.ratio.toFixed(3)}`),
    row('latency p50 ms', ms(measured.latency.p50Ms), ms(base.latency.p50Ms)),
    row('latency p95 ms', ms(measured.latency.p95Ms), ms(base.latency.p95Ms)),
    row('latency p99 ms', ms(measured.latency.p99Ms), ms(base.latency.p99Ms)),
    row('latency mean ms', ms(measured.latency.meanMs), ms(base.latency.meanMs)),
    row('latency min ms', ms(measured.latency.minMs), ms(base.latency.minMs)),
    row('latency max ms', ms(measured.latency.maxMs), ms(base.latency.maxMs)),
    row('wall time s', (measured.elapsedMs / 1000).toFixed(1), (base.elapsedMs / 1000).toFixed(1)),
    row('update attempts', meanAttempts(measured), meanAttempts(base), 'per invoice, refused ones included'),
    row(
      'CPU ms per order',
      ms(ctx.cpuMsPerRun(measured)),
      ms(ctx.cpuMsPerRun(base)),
      'this process + Temporal server + our PostgreSQL backends',
    ),
    '',
    '  closedloop activity time per invoice (in process, wall clock; local activities included):',
    ...perInvoice(measured.activityTime, measured.runs.length),
    '  baseline activity time per run:',
    ...perInvoice(base.activityTime, base.runs.length),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  mkdirSync(path.dirname(ctx.resultsFile), { recursive: true });
  const tmp = `${ctx.resultsFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(tmp, ctx.resultsFile);
  say(`wrote ${path.relative(process.cwd(), ctx.resultsFile)}`);
}
