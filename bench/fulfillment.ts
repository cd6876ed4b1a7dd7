/**
 * `npm run bench` (or `npx tsx bench/fulfillment.ts --orders 50`): end-to-end throughput and latency of
 * orders from closed-won to fulfilled, beside a baseline measured the same way in the same process on
 * the same Temporal server.
 *
 * Starts its own parts and removes them afterwards, also on failure or Ctrl-C: a Temporal dev server
 * (free port, in memory, headless), a fresh database on the PostgreSQL server at 127.0.0.1:5432
 * (BENCH_DATABASE_URL names another admin URL) with migrations applied, master data with stock for
 * every order (no backorders), an in-process SMTP capture, and a worker with the real activities and
 * built-in adapters (workers/worker.ts). No latency is injected anywhere.
 *
 * Each order is started with startOrderWorkflow; once its shipment `<orderId>-S1` awaits delivery
 * (seen by long-polling its history, which costs the worker nothing) the proof of delivery is sent with
 * the `recordDelivery` update; its latency runs from the start call to the workflow's result.
 * The baseline (bench/baseline-workflows.ts) issues the same Temporal commands as a recorded real order
 * with no-op activities, on its own task queue and worker, and is driven identically.
 *
 * The phases live in bench/fulfillment/: set-up, recording the shape, the measured runs, the report.
 * Prints the method and every figure beside the baseline; writes bench-results/fulfillment.json.
 */
import { parseBenchArgs, type BenchArgs } from './args';
import { runBillingPhase } from './billing';
import { describeError } from './fulfillment/runs';
import { machine, postgresServer, runBench, throughputFigures, writeResults, type Cleanup } from './harness';
import { runWithConcurrency } from './load';
import { round } from './stats';
import { readVersion, temporalCliVersion } from './versions';
import { cpuMsPerRun, historyStats, measure, type Phase } from './fulfillment/measure';
import { baselineRun, orderRun, recordShape, type RecordedShape } from './fulfillment/order-runs';
import { printReport } from './fulfillment/report';
import { BASELINE_DROP, BILLING_RESULTS_FILE, DB_POOL, IS_EXPERIMENT, RESULTS_FILE, say } from './fulfillment/settings';
import { setUp, type Stack } from './fulfillment/setup';

/** `--skip-billing`: the fulfillment phase only (bench/billing.ts). */
const SKIP_BILLING_FLAG = '--skip-billing';

async function main(args: BenchArgs, cleanup: Cleanup, skipBilling: boolean): Promise<void> {
  if (!Number.isSafeInteger(DB_POOL) || DB_POOL < 1)
    throw new Error(`BENCH_DB_POOL: must be a whole number >= 1 (got "${process.env.BENCH_DB_POOL}")`);
  const startedAt = new Date().toISOString();
  const stack = await setUp(args, cleanup);
  const recorded = await recordShape(stack, args);
  const { measured, base } = await measureBoth(stack, args, recorded);

  // Sanity: the orders really did their work (4 e-mails each: received, confirmation, ASN, shipped).
  const mailsExpected = 4 * (1 + args.warmup + args.orders);
  if (stack.mails().length < mailsExpected)
    throw new Error(`expected at least ${mailsExpected} e-mails captured, got ${stack.mails().length}`);

  say('reading histories for the time breakdown');
  const [measuredHistory, baseHistory] = await Promise.all([
    historyStats(
      stack.client,
      measured.runs.map((r) => r.workflowId),
    ),
    historyStats(
      stack.client,
      base.runs.map((r) => r.workflowId),
    ),
  ]);
  const result = resultOf(args, stack, recorded, measured, base, startedAt);
  printReport({
    args,
    databaseName: stack.databaseName,
    ratio: result.ratio,
    method: result.method,
    measured,
    base,
    measuredHistory,
    baseHistory,
  });
  writeResults(RESULTS_FILE, result, say);

  if (skipBilling) return;
  await runBillingPhase({ args, stack, resultsFile: BILLING_RESULTS_FILE });
}

/** The warm-up (unmeasured), then the measured orders and the measured baseline runs, one batch each. */
async function measureBoth(stack: Stack, args: BenchArgs, recorded: RecordedShape) {
  const { guard, settle } = stack;
  const ordersRun = orderRun(stack, args, recorded.commandsBeforeDelivery);
  const baselinesRun = baselineRun(stack, args, recorded.shape);
  if (args.warmup > 0) {
    say(`warm-up: ${args.warmup} orders and ${args.warmup} baseline runs, ${args.concurrency} in flight`);
    await guard(runWithConcurrency(args.warmup, args.concurrency, ordersRun));
    await settle();
    await guard(runWithConcurrency(args.warmup, args.concurrency, baselinesRun));
    await settle();
  }
  const batch = (runOne: typeof ordersRun) =>
    guard(measure(args.orders, args.concurrency, stack.stopwatch, stack.databaseName, runOne));
  say(`measuring ${args.orders} orders, ${args.concurrency} in flight`);
  const measured = await batch(ordersRun);
  await settle();
  say(`measuring ${args.orders} baseline runs, ${args.concurrency} in flight`);
  const base = await batch(baselinesRun);
  await settle();
  return { measured, base };
}

/** bench-results/fulfillment.json. */
function resultOf(
  args: BenchArgs,
  stack: Stack,
  recorded: RecordedShape,
  measured: Phase,
  base: Phase,
  startedAt: string,
) {
  return {
    ...throughputFigures(args.orders, measured, base),
    concurrency: args.concurrency,
    startedAt,
    method: {
      warmupRuns: args.warmup,
      machine: machine(),
      temporal: {
        cli: temporalCliVersion(),
        serverVersion: stack.serverVersion ?? 'unknown',
        sdk: readVersion('@temporalio/worker'),
      },
      postgres: { version: stack.postgresVersion, server: postgresServer(), pool: DB_POOL },
      baselineShape: recorded.shapeCounts,
      ...(IS_EXPERIMENT ? { experiment: { baselineWithout: BASELINE_DROP, dbPool: DB_POOL } } : {}),
    },
    cpuMsPerOrder: { closedloop: round(cpuMsPerRun(measured)), baseline: round(cpuMsPerRun(base)) },
  };
}

async function entry(): Promise<void> {
  let args: BenchArgs;
  const argv = process.argv.slice(2);
  const skipBilling = argv.includes(SKIP_BILLING_FLAG);
  try {
    args = parseBenchArgs(argv.filter((a) => a !== SKIP_BILLING_FLAG));
  } catch (error) {
    say(describeError(error));
    process.exit(2);
  }
  await runBench(say, (cleanup) => main(args, cleanup, skipBilling));
}

void entry();
