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
 * concurrency. Then the large-document measurement (bench/documents.ts): one send-invoice attempt for a
 * 6,000-line period invoice and one send-credit-memo attempt for a 6,000-line memo against their
 * timeouts, beside 10-line documents. Prints the method and figures; writes bench-results/billing.json.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { shippedOrder, startInvoice, type BillingSetup } from '../fixtures/billing';
import { getInvoice, recordPayment } from '../workflows/billing/messages';
import type { BenchArgs } from './args';
import { BASELINE_WORKFLOW_TYPES, baselineBalance, baselineDelivery, type BaselineOp } from './baseline-workflows';
import { cpuMsPerRun, describeShape, measure, type Phase } from './fulfillment/measure';
import { activityTimeRows, cpuPerOrderRow, latencyRows, meanAttempts, row } from './fulfillment/report';
import { driveRun, unlessStuck, waitForHistory, type OneRun } from './fulfillment/runs';
import { RUN_TIMEOUT_MS, say } from './fulfillment/settings';
import type { Stack } from './fulfillment/setup';
import { throughputFigures, writeResults } from './harness';
import { runWithConcurrency } from './load';
import { round } from './stats';
import { commandsOf, countCommands, countShape, type ShapeCounts } from './workflow-shape';
import { measureLargeDocuments } from './documents';
import { printDocumentsReport } from './documents/report';
import { LARGE_DOCUMENT_LINES } from '../fixtures/large-documents';

/** What the billing phase borrows from the fulfillment benchmark's set-up (same process, same parts). */
export interface BillingContext {
  args: BenchArgs;
  stack: Stack;
  resultsFile: string;
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
function payOne({ args, stack }: BillingContext, driver: PayDriver): Promise<OneRun> {
  const { client } = stack;
  return driveRun({
    client,
    pollMs: args.pollMs,
    start: driver.start,
    awaitReady: async (workflowId, follow) => {
      const isReady = unlessStuck(workflowId, (events) => countCommands(events) >= driver.commandsBeforePayment);
      const isPayable = await waitForHistory(client, workflowId, isReady, follow);
      if (isPayable && driver.awaitSent) await driver.awaitSent(workflowId, follow.deadline);
      return isPayable;
    },
    send: driver.pay,
    message: 'payment',
    expectedStatus: driver.expectedStatus,
  });
}

// One shipment of the fixture's whole order (240 valves, 1,200 gaskets, 12 drums), delivered in full, freight USD 350.
const SHIPMENT = {
  lines: [
    { lineNo: 1, sku: 'valve' as const, quantity: 240 },
    { lineNo: 2, sku: 'gasket' as const, quantity: 1_200 },
    { lineNo: 3, sku: 'solvent' as const, quantity: 12 },
  ],
  freightCostMinor: 35_000,
};
const receivedDate = () => new Date().toISOString().slice(0, 10);

/** Polls getInvoice until the invoice has been sent. */
const awaitSent = (client: Client, pollMs: number) => async (workflowId: string, deadline: number) => {
  const handle = client.workflow.getHandle(workflowId);
  while ((await handle.query(getInvoice)).status !== 'sent') {
    if (performance.now() > deadline) throw new Error(`${workflowId}: not sent within ${RUN_TIMEOUT_MS / 1000} s`);
    await sleep(pollMs);
  }
};

/** A real invoice for a freshly delivered order, paid in full. The sample (no shape yet) waits until sent. */
function invoiceRun(ctx: BillingContext, commandsBeforePayment: number, isSample: boolean) {
  const { client } = ctx.stack;
  const harness: BillingSetup = { db: ctx.stack.db, temporal: client, taskQueue: ctx.stack.taskQueue };
  return () =>
    ctx.stack.abortable(() =>
      payOne(ctx, {
        awaitSent: isSample ? awaitSent(client, ctx.args.pollMs) : undefined,
        start: async () => {
          const order = await shippedOrder(harness, ctx.stack.fixture, [SHIPMENT]);
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
}

/** The baseline replaying `ops`, numbered `baseline-invoice-<runTag>-<n>`. */
function baselineRun(ctx: BillingContext, ops: BaselineOp[], commandsBeforePayment: number) {
  const { client } = ctx.stack;
  let baselineSeq = 0;
  return () =>
    ctx.stack.abortable(() =>
      payOne(ctx, {
        start: async () => {
          baselineSeq += 1;
          const workflowId = `baseline-invoice-${ctx.stack.runTag}-${baselineSeq}`;
          await client.workflow.start(BASELINE_WORKFLOW_TYPES.child, {
            taskQueue: ctx.stack.baselineQueue,
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
}

export async function runBillingPhase(ctx: BillingContext): Promise<void> {
  const { args, stack } = ctx;
  const { guard, settle } = stack;
  say('billing: recording one invoice to read its shape');
  const sample = await guard(invoiceRun(ctx, 0, true)());
  await settle();
  const sampleHistory = await stack.client.workflow.getHandle(sample.workflowId).fetchHistory();
  const ops: BaselineOp[] = commandsOf(sampleHistory, 'invoice');
  const updates = ops.filter((op) => op.kind === 'await-update').length;
  if (updates !== 1) throw new Error(`invoice: expected exactly 1 accepted update (the payment), got ${updates}`);
  const commandsBeforePayment = ops.findIndex((op) => op.kind === 'await-update');
  const shapeCounts = countShape(sampleHistory, 'invoice');
  const invoicesRun = invoiceRun(ctx, commandsBeforePayment, false);
  const baselinesRun = baselineRun(ctx, ops, commandsBeforePayment);

  if (args.warmup > 0) {
    say(`billing warm-up: ${args.warmup} invoices and ${args.warmup} baseline runs, ${args.concurrency} in flight`);
    await guard(runWithConcurrency(args.warmup, args.concurrency, invoicesRun));
    await settle();
    await guard(runWithConcurrency(args.warmup, args.concurrency, baselinesRun));
    await settle();
  }
  const batch = (runOne: typeof invoicesRun) =>
    guard(measure(args.orders, args.concurrency, stack.stopwatch, stack.databaseName, runOne));
  say(`billing: measuring ${args.orders} invoices, ${args.concurrency} in flight`);
  const measured = await batch(invoicesRun);
  await settle();
  say(`billing: measuring ${args.orders} baseline runs, ${args.concurrency} in flight`);
  const base = await batch(baselinesRun);
  await settle();

  const result = {
    ...throughputFigures(args.orders, measured, base),
    concurrency: args.concurrency,
    method: {
      warmupRuns: args.warmup,
      measured:
        'invoiceLifecycle started for a delivered shipment (written into the database) until its result "paid"; one recordPayment update of the balance read with getInvoice',
      baselineShape: { invoice: shapeCounts },
    },
    cpuMsPerOrder: { closedloop: round(cpuMsPerRun(measured)), baseline: round(cpuMsPerRun(base)) },
  };
  printBillingReport(args, shapeCounts, measured, base, result.ratio);
  const { db, databaseUrl, fixture } = stack;
  const largeDocuments = await measureLargeDocuments(
    { db, databaseUrl, fixture, say },
    { rounds: 3, lines: LARGE_DOCUMENT_LINES },
  );
  printDocumentsReport(largeDocuments);
  writeResults(ctx.resultsFile, { ...result, largeDocuments }, say);
}

function printBillingReport(args: BenchArgs, shapeCounts: ShapeCounts, measured: Phase, base: Phase, ratio: number) {
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
    `              invoice: ${describeShape(shapeCounts)}`,
    '',
    ...latencyRows(measured, base, ratio),
    row('update attempts', meanAttempts(measured), meanAttempts(base), 'per invoice, refused ones included'),
    cpuPerOrderRow(measured, base),
    '',
    ...activityTimeRows(measured, base, 'invoice'),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
