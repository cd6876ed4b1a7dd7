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
 * Prints the method and every figure beside the baseline; writes bench-results/fulfillment.json.
 */
import { DEMO_SELLER } from '../lib/config';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, isGrpcServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { UpdateDefinition } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createBuiltinAdapters } from '../adapters/builtin';
import { createSmtpMailAdapter } from '../adapters/mail/smtp';
import type { MailAdapter } from '../adapters/mail/mail-adapter';
import { startOrderWorkflow } from '../api/intake/start-order';
import { createDb } from '../lib/db';
import { createLogger, redactUrl } from '../lib/logger';
import { startMailCapture } from '../runtime/mail-capture';
import { migrateDeploy } from '../runtime/migrate';
import { freePort } from '../runtime/ports';
import { startTemporalDevServer } from '../runtime/temporal-server';
import { readVersion, temporalCliVersion } from './versions';
import { createWorker } from '../workers/worker';
import { getState } from '../workflows/engine/messages';
import { recordDelivery } from '../workflows/fulfillment/messages';
import { createFixture, type Fixture } from '../fixtures/master-data';
import type { ClosedWonEvent } from '../domain/closed-won';
import { parseBenchArgs, type BenchArgs } from './args';
import { runBench, throughputFigures, type Cleanup } from './harness';
import { runBillingPhase } from './billing';
import { createBaselineActivities } from './baseline-activities';
import { BASELINE_WORKFLOW_TYPES, baselineDelivery, type BaselineShape } from './baseline-workflows';
import { cpuBetween, sampleCpu, type CpuUse } from './cpu';
import { addTimings, scaleTiming, timingOf, ZERO_TIMING, type HistoryTiming } from './history-timing';
import { runWithConcurrency } from './load';
import { perSecond, round, summarize, type LatencySummary } from './stats';
import { Stopwatch, type TimeTotal } from './stopwatch';
import {
  baselineShapeOf,
  childIdsOf,
  countCommands,
  countShape,
  parseDroppableOps,
  stuckReason,
  withoutOps,
  type ShapeCounts,
} from './workflow-shape';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const RESULTS_DIR = path.join(__dirname, '..', 'bench-results');
/** An order that takes longer than this failed, as far as the benchmark is concerned. */
const RUN_TIMEOUT_MS = 120_000;
/** Between phases: no activity of either worker for this long (work left behind by finished runs is done). */
const SETTLE_QUIET_MS = 1000;
const NAMESPACE = 'default';
const SIGNER = 'Bench Receiver';
/** Value of the fixture's order at its contract and list prices: 240 × 21.50 + 1,200 × 0.85 + 12 × 92.00 USD. */
const ORDER_VALUE_MINOR = 240 * 2_150 + 1_200 * 85 + 12 * 9_200;
/**
 * Experiments only (the figures are then not the benchmark's): BENCH_BASELINE_DROP=local-activity,...
 * leaves those commands out of the baseline, to price them.
 */
const BASELINE_DROP = parseDroppableOps(process.env.BENCH_BASELINE_DROP);
/** createDb's default, as the worker runs in production (runtime/system.ts); BENCH_DB_POOL to experiment. */
const DB_POOL = Number(process.env.BENCH_DB_POOL ?? 10);
const IS_EXPERIMENT = BASELINE_DROP.length > 0 || process.env.BENCH_DB_POOL !== undefined;
/** An experiment never overwrites the benchmark's figures. */
const RESULTS_FILE = path.join(RESULTS_DIR, IS_EXPERIMENT ? 'fulfillment.experiment.json' : 'fulfillment.json');
const BILLING_RESULTS_FILE = path.join(RESULTS_DIR, IS_EXPERIMENT ? 'billing.experiment.json' : 'billing.json');
/** `--skip-billing`: the fulfillment phase only (bench/billing.ts). */
const SKIP_BILLING_FLAG = '--skip-billing';

const say = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

interface RunningWorker {
  /** Rejects if the worker stops before we stop it; never resolves. */
  failed: Promise<never>;
  stop(): Promise<void>;
}

function runWorker(worker: Worker, connection: NativeConnection, name: string): RunningWorker {
  let isStopping = false;
  const running = worker.run();
  const failed = running.then(
    () => {
      if (!isStopping) throw new Error(`the ${name} worker stopped on its own`);
      return new Promise<never>(() => undefined);
    },
    (error: unknown) => {
      throw new Error(`the ${name} worker failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  failed.catch(() => undefined); // observed through Promise.race below
  return {
    failed,
    async stop() {
      isStopping = true;
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

interface OneRun {
  workflowId: string;
  latencyMs: number;
  updateAttempts: number;
}

interface RunDriver<Args extends [unknown, ...unknown[]]> {
  client: Client;
  /** Starts the run; resolves with its workflow id. */
  start: () => Promise<string>;
  delivery: UpdateDefinition<unknown, Args>;
  deliveryArgs: () => Args;
  /** Commands the shipment issues before it awaits delivery (from the recorded shape). */
  commandsBeforeDelivery: number;
  expectedStatus: string;
  pollMs: number;
}

const GRPC_NOT_FOUND = 5;
const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const describeError = (error: unknown): string => {
  const e = error as Error & { cause?: Error };
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : (e.message ?? String(error));
};

/** What a run (and its children) is doing now: pending activities with their attempt and last failure. */
async function describeProgress(client: Client, workflowId: string, depth = 0): Promise<string> {
  try {
    const handle = client.workflow.getHandle(workflowId);
    const { raw, status } = await handle.describe();
    const activities = (raw.pendingActivities ?? []).map(
      (a) =>
        `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure?.message ? ` (last failure: ${a.lastFailure.message})` : ''}`,
    );
    // Our runs answer getState (a waiting step such as credit-approval shows here); the baseline's do not.
    const state = await handle.query(getState).then(
      (st) => `, ${st.status} at ${st.currentStep ?? '-'}`,
      () => '',
    );
    const lines = [
      `${workflowId} ${status.name}${state}${activities.length ? `: ${activities.join('; ')}` : ', no activity pending'}`,
    ];
    if (depth === 0) {
      for (const child of raw.pendingChildren ?? [])
        if (child.workflowId) lines.push(await describeProgress(client, child.workflowId, 1));
    }
    return lines.join('\n  ');
  } catch (error) {
    return `${workflowId}: ${describeError(error)}`;
  }
}

/**
 * Long-polls a run's history until `isReady` holds for the events so far. The server answers when new
 * events are written, so waiting costs no workflow task (a query or a refused update would run one on
 * the worker). Resolves false if the run closed first or `shouldStop` says so.
 */
async function waitForHistory(
  client: Client,
  workflowId: string,
  isReady: (events: HistoryEvent[]) => boolean,
  options: { deadline: number; pollMs: number; shouldStop: () => boolean },
): Promise<boolean> {
  const events: HistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  while (!options.shouldStop()) {
    if (performance.now() > options.deadline) {
      throw new Error(
        `${workflowId}: still waiting after ${RUN_TIMEOUT_MS / 1000} s\n  ${await describeProgress(client, workflowId)}`,
      );
    }
    let response: temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse;
    try {
      response = await client.workflowService.getWorkflowExecutionHistory({
        namespace: NAMESPACE,
        execution: { workflowId },
        nextPageToken,
        waitNewEvent: true,
        skipArchival: true,
      });
    } catch (error) {
      if (!(isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND)) throw error;
      await sleep(options.pollMs); // not started yet
      continue;
    }
    events.push(...(response.history?.events ?? []));
    if (isReady(events)) return true;
    if (!response.nextPageToken?.length) return false; // closed
    nextPageToken = response.nextPageToken;
  }
  return false;
}

/**
 * One run, measured from the start call to the workflow's result. The proof of delivery goes to the
 * first shipment as soon as it awaits delivery: the driver follows the order's history until the
 * shipment has started, then the shipment's until it has issued the commands that precede the wait,
 * and sends the update then (retried every `pollMs` should the validator still refuse it).
 */
async function driveOne<Args extends [unknown, ...unknown[]]>(driver: RunDriver<Args>): Promise<OneRun> {
  const started = performance.now();
  const deadline = started + RUN_TIMEOUT_MS;
  const workflowId = await driver.start();
  let isClosed = false;
  const result = driver.client.workflow
    .getHandle(workflowId)
    .result()
    .finally(() => void (isClosed = true)) as Promise<{ status?: string }>;
  result.catch(() => undefined); // awaited below, after the delivery

  const shipmentId = `${workflowId}-S1`;
  const follow = { deadline, pollMs: driver.pollMs, shouldStop: () => isClosed };
  let updateAttempts = 0;
  // A run that cannot go on without ops (an activity failed for good) fails the benchmark with its reason.
  const unlessStuck = (id: string, isReady: (events: HistoryEvent[]) => boolean) => (events: HistoryEvent[]) => {
    const reason = stuckReason(events);
    if (reason) throw new Error(`${id}: ${reason}`);
    return isReady(events);
  };
  const isShipmentStarted = await waitForHistory(
    driver.client,
    workflowId,
    unlessStuck(workflowId, (events) =>
      events.some((e) => e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED),
    ),
    follow,
  );
  const isAwaitingDelivery =
    isShipmentStarted &&
    (await waitForHistory(
      driver.client,
      shipmentId,
      unlessStuck(shipmentId, (events) => countCommands(events) >= driver.commandsBeforeDelivery),
      follow,
    ));
  const shipment = driver.client.workflow.getHandle(shipmentId);
  while (isAwaitingDelivery && !isClosed) {
    updateAttempts += 1;
    try {
      await shipment.executeUpdate(driver.delivery, { args: driver.deliveryArgs() });
      break;
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      if (performance.now() > deadline) {
        throw new Error(
          `${workflowId}: no proof of delivery accepted within ${RUN_TIMEOUT_MS / 1000} s (last refusal: ${describeError(error)})`,
          { cause: error },
        );
      }
      await sleep(driver.pollMs);
    }
  }
  const outcome = await Promise.race([
    result,
    sleep(Math.max(0, deadline - performance.now())).then(async () => {
      throw new Error(
        `${workflowId}: no result within ${RUN_TIMEOUT_MS / 1000} s\n  ${await describeProgress(driver.client, workflowId)}`,
      );
    }),
  ]);
  const latencyMs = performance.now() - started;
  if (outcome.status !== driver.expectedStatus) {
    throw new Error(`${workflowId}: ended "${outcome.status}", expected "${driver.expectedStatus}"`);
  }
  return { workflowId, latencyMs, updateAttempts };
}

interface Phase {
  runs: OneRun[];
  elapsedMs: number;
  perSecond: number;
  latency: LatencySummary;
  cpu: CpuUse;
  activityTime: TimeTotal[];
}

async function measure(
  count: number,
  concurrency: number,
  stopwatch: Stopwatch,
  databaseName: string,
  runOne: () => Promise<OneRun>,
): Promise<Phase> {
  stopwatch.reset();
  const cpuStart = sampleCpu(databaseName);
  const started = performance.now();
  const runs = await runWithConcurrency(count, concurrency, runOne);
  const elapsedMs = performance.now() - started;
  const cpu = cpuBetween(cpuStart, sampleCpu(databaseName));
  return {
    runs,
    elapsedMs,
    perSecond: perSecond(count, elapsedMs),
    latency: summarize(runs.map((r) => r.latencyMs)),
    cpu,
    activityTime: stopwatch.snapshot(),
  };
}

/**
 * The fixture's order with its lines in SKU order. Why: the built-in WMS locks an order's stock rows
 * in SKU order when it reserves (adapters/wms/builtin.ts reserve) but in line order when it picks
 * (pick), so two concurrent orders whose lines are not in SKU order can deadlock (PostgreSQL 40P01),
 * and after five deadlocks in a row the step waits for ops. With the fixture's own order (valve,
 * gasket, solvent) that happens within 200 orders at 20 in flight. Drop the sort once pick locks in
 * SKU order too.
 */
function benchEvent(fixture: Fixture): ClosedWonEvent {
  const event = fixture.event();
  return { ...event, lines: [...event.lines].sort((a, b) => a.sku.localeCompare(b.sku)) };
}

interface HistoryStats {
  /** Per run (the order plus every child it started), mean over the runs. */
  timing: HistoryTiming;
  historyKiB: number;
  events: number;
}

/** Timings and history sizes of runs, each with all the children it started. */
async function historyStats(client: Client, workflowIds: string[]): Promise<HistoryStats> {
  const perRun = await runWithConcurrency(workflowIds.length, 20, async (i) => {
    const order = await client.workflow.getHandle(workflowIds[i]!).fetchHistory();
    const children = await Promise.all(childIdsOf(order).map((id) => client.workflow.getHandle(id).fetchHistory()));
    const all = [order, ...children];
    return {
      timing: all.map(timingOf).reduce(addTimings, ZERO_TIMING),
      bytes: all.reduce((sum, h) => sum + temporal.api.history.v1.History.encode(h).finish().length, 0),
      events: all.reduce((sum, h) => sum + (h.events?.length ?? 0), 0),
    };
  });
  const n = workflowIds.length;
  return {
    timing: scaleTiming(perRun.map((r) => r.timing).reduce(addTimings, ZERO_TIMING), 1 / n),
    historyKiB: perRun.reduce((sum, r) => sum + r.bytes, 0) / n / 1024,
    events: perRun.reduce((sum, r) => sum + r.events, 0) / n,
  };
}

const describeShape = (c: ShapeCounts) =>
  [
    `${c.activities} activities`,
    `${c.localActivities} local activities`,
    `${c.timers} timers`,
    `${c.searchAttributeUpserts} search-attribute upserts`,
    c.children ? `${c.children} child workflow${c.children > 1 ? 's' : ''}` : '',
    c.signalsReceived ? `${c.signalsReceived} signals received` : '',
    c.signalsToParent ? `${c.signalsToParent} signals to the order` : '',
    c.updates ? `${c.updates} update` : '',
  ]
    .filter(Boolean)
    .join(', ');

async function main(args: BenchArgs, cleanup: Cleanup, skipBilling: boolean): Promise<void> {
  if (!Number.isSafeInteger(DB_POOL) || DB_POOL < 1)
    throw new Error(`BENCH_DB_POOL: must be a whole number >= 1 (got "${process.env.BENCH_DB_POOL}")`);
  const startedAt = new Date().toISOString();
  const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
  const runTag = randomUUID().slice(0, 8);
  const ordersNeeded = 1 + args.warmup + args.orders; // the shape sample, the warm-up, the measured runs

  // PostgreSQL: a fresh database, dropped at the end.
  const databaseName = `closedloop_bench_${Date.now()}_${process.pid}`;
  const admin = createDb(ADMIN_URL, 1);
  cleanup.add('disconnect the admin client', () => admin.$disconnect());
  const [{ server_version: postgresVersion } = { server_version: 'unknown' }] =
    await admin.$queryRawUnsafe<{ server_version: string }[]>('SHOW server_version');
  await admin.$executeRawUnsafe(`CREATE DATABASE "${databaseName}"`);
  cleanup.add(`drop database ${databaseName}`, async () => {
    if (process.env.KEEP_BENCH_DATABASE) return say(`kept database ${databaseName} (KEEP_BENCH_DATABASE)`);
    await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  });
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${databaseName}`;

  say(`starting Temporal dev server and migrating ${databaseName}`);
  const temporalPort = await freePort();
  // allSettled, not all: when the migration fails first, the server still starting must be stopped too.
  const [started, migrated] = await Promise.allSettled([
    startTemporalDevServer({ port: temporalPort, namespace: NAMESPACE, cliPath: process.env.TEMPORAL_CLI_PATH, log }),
    migrateDeploy(databaseUrl.toString()),
  ]);
  if (started.status === 'fulfilled') cleanup.add('stop the Temporal dev server', () => started.value.stop());
  if (started.status === 'rejected') throw started.reason;
  if (migrated.status === 'rejected') throw migrated.reason;
  const server = started.value;
  const connection = await Connection.connect({ address: server.address });
  cleanup.add('close the client connection', () => connection.close());
  // Runs still in flight when the benchmark fails have long-polls pending: end them before the close.
  const inFlight = new AbortController();
  setMaxListeners(0, inFlight.signal); // one listener per pending call, hundreds at a time
  cleanup.add('abort client calls still in flight', () => inFlight.abort());
  const abortable = <T>(fn: () => Promise<T>) => connection.withAbortSignal(inFlight.signal, fn);
  const client = new Client({ connection, namespace: NAMESPACE });
  const { serverVersion } = await connection.workflowService.getSystemInfo({});

  const db = createDb(databaseUrl.toString(), DB_POOL);
  cleanup.add('disconnect the database client', () => db.$disconnect());
  const mail = await startMailCapture(0);
  cleanup.add('stop the SMTP capture', () => mail.stop());
  const stopwatch = new Stopwatch();
  const smtp = createSmtpMailAdapter(mail.url, 'closedloop bench <orders@closedloop.bench>');
  cleanup.add('close the SMTP transport', () => smtp.close());
  const timedMail: MailAdapter = {
    send: (m) => stopwatch.time('(SMTP send, inside the e-mail activities)', () => smtp.send(m)),
    close: () => smtp.close(),
  };

  // Twice what the orders need (the fixture's event: 240 valves, 1,200 gaskets, 12 drums of solvent):
  // no order is ever backordered or short of lots with the shelf life the customer requires. Each
  // order (USD 7,284) adds to the customer's open receivables once invoiced, so the credit limit must
  // cover every order too, or the later ones wait on credit hold for finance.
  const fixture: Fixture = await createFixture(db, {
    stock: {
      primary: { valve: 2 * 240 * ordersNeeded, gasket: 2 * 1200 * ordersNeeded, solvent: 2 * 12 * ordersNeeded + 6 },
    },
    creditLimitMinor: 2 * ORDER_VALUE_MINOR * ordersNeeded,
  });

  // The real worker: every activity as the product registers it (same deps, built-in adapters), each
  // wrapped only to add its elapsed time to the stopwatch.
  say('bundling workflows and starting the workers');
  const settings = {
    opsEmail: 'ops@closedloop.bench',
    financeEmail: 'finance@closedloop.bench',
    publicUrl: 'http://closedloop.bench',
    seller: DEMO_SELLER,
  };
  const realActivities = createActivities({ db, mail: timedMail, log, settings, adapters: createBuiltinAdapters(db) });
  const taskQueue = `bench-${runTag}`;
  const real = await createWorker({
    temporalAddress: server.address,
    namespace: NAMESPACE,
    taskQueue,
    db,
    mail: timedMail,
    log,
    settings,
    activityOverrides: stopwatch.wrapAll(realActivities),
  });
  const realWorker = runWorker(real.worker, real.connection, 'closedloop');
  cleanup.add('stop the closedloop worker', () => realWorker.stop());

  const baselineQueue = `bench-baseline-${runTag}`;
  const baselineConnection = await NativeConnection.connect({ address: server.address });
  const baseline = await Worker.create({
    connection: baselineConnection,
    namespace: NAMESPACE,
    taskQueue: baselineQueue,
    workflowsPath: require.resolve('./baseline-workflows'),
    activities: stopwatch.wrapAll(createBaselineActivities()),
  }).catch(async (error: unknown) => {
    await baselineConnection.close();
    throw error;
  });
  const baselineWorker = runWorker(baseline, baselineConnection, 'baseline');
  cleanup.add('stop the baseline worker', () => baselineWorker.stop());
  const guard = <T>(work: Promise<T>) => Promise.race([work, realWorker.failed, baselineWorker.failed]);
  const settle = () => guard(stopwatch.settle(SETTLE_QUIET_MS, RUN_TIMEOUT_MS));

  // Unknown until the sample order is recorded: the sample gets its update as soon as the shipment
  // exists, retried while refused.
  let commandsBeforeDelivery = 0;
  const orderRun = () =>
    abortable(() =>
      driveOne({
        client,
        start: async () => (await startOrderWorkflow(client, taskQueue, benchEvent(fixture))).workflowId,
        delivery: recordDelivery,
        deliveryArgs: () => [{ signer: SIGNER, deliveredAt: new Date().toISOString(), exceptions: [] }],
        commandsBeforeDelivery,
        expectedStatus: 'fulfilled',
        pollMs: args.pollMs,
      }),
    );

  // The baseline's shape comes from a real order recorded in this run.
  say('recording one order to read its shape');
  const sample = await guard(orderRun());
  // Children that outlive the order (an invoice awaiting payment) may still be working: let them park.
  await settle();
  const sampleOrder = await client.workflow.getHandle(sample.workflowId).fetchHistory();
  const childIds = childIdsOf(sampleOrder);
  const sampleChildren = await Promise.all(childIds.map((id) => client.workflow.getHandle(id).fetchHistory()));
  const recorded: BaselineShape = baselineShapeOf(sampleOrder, sampleChildren);
  const shape = withoutOps(recorded, BASELINE_DROP);
  commandsBeforeDelivery = recorded.children[0]!.findIndex((op) => op.kind === 'await-update');
  const baselineCommandsBeforeDelivery = shape.children[0]!.findIndex((op) => op.kind === 'await-update');
  const shapeCounts = {
    order: countShape(sampleOrder, 'order'),
    children: sampleChildren.map((h, i) => ({
      id: childIds[i]!.replace(sample.workflowId, '<orderId>'),
      ...countShape(h, childIds[i]!),
    })),
  };

  let baselineSeq = 0;
  const baselineRun = () =>
    abortable(() =>
      driveOne({
        client,
        start: async () => {
          baselineSeq += 1;
          const workflowId = `baseline-${runTag}-${baselineSeq}`;
          await client.workflow.start(BASELINE_WORKFLOW_TYPES.order, {
            taskQueue: baselineQueue,
            workflowId,
            args: [shape],
          });
          return workflowId;
        },
        delivery: baselineDelivery,
        deliveryArgs: () => [{ signer: SIGNER, deliveredAt: new Date().toISOString(), exceptions: [] }],
        commandsBeforeDelivery: baselineCommandsBeforeDelivery,
        expectedStatus: 'fulfilled',
        pollMs: args.pollMs,
      }),
    );

  if (args.warmup > 0) {
    say(`warm-up: ${args.warmup} orders and ${args.warmup} baseline runs, ${args.concurrency} in flight`);
    await guard(runWithConcurrency(args.warmup, args.concurrency, orderRun));
    await settle();
    await guard(runWithConcurrency(args.warmup, args.concurrency, baselineRun));
    await settle();
  }

  say(`measuring ${args.orders} orders, ${args.concurrency} in flight`);
  const measured = await guard(measure(args.orders, args.concurrency, stopwatch, databaseName, orderRun));
  await settle();
  say(`measuring ${args.orders} baseline runs, ${args.concurrency} in flight`);
  const base = await guard(measure(args.orders, args.concurrency, stopwatch, databaseName, baselineRun));
  await settle();

  // Sanity: the orders really did their work (4 e-mails each: received, confirmation, ASN, shipped).
  const mailsExpected = 4 * ordersNeeded;
  if (mail.messages().length < mailsExpected)
    throw new Error(`expected at least ${mailsExpected} e-mails captured, got ${mail.messages().length}`);

  say('reading histories for the time breakdown');
  const [measuredHistory, baseHistory] = await Promise.all([
    historyStats(
      client,
      measured.runs.map((r) => r.workflowId),
    ),
    historyStats(
      client,
      base.runs.map((r) => r.workflowId),
    ),
  ]);

  const result = {
    ...throughputFigures(args.orders, measured, base),
    concurrency: args.concurrency,
    startedAt,
    method: {
      warmupRuns: args.warmup,
      machine: {
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
        os: `${os.platform()} ${os.release()}`,
        node: process.version,
      },
      temporal: {
        cli: temporalCliVersion(),
        serverVersion: serverVersion ?? 'unknown',
        sdk: readVersion('@temporalio/worker'),
      },
      postgres: { version: postgresVersion, server: redactUrl(ADMIN_URL).replace(/\/[^/]*$/, ''), pool: DB_POOL },
      baselineShape: shapeCounts,
      ...(IS_EXPERIMENT ? { experiment: { baselineWithout: BASELINE_DROP, dbPool: DB_POOL } } : {}),
    },
    cpuMsPerOrder: { closedloop: round(cpuMsPerRun(measured)), baseline: round(cpuMsPerRun(base)) },
  };
  printReport({
    args,
    databaseName,
    ratio: result.ratio,
    method: result.method,
    measured,
    base,
    measuredHistory,
    baseHistory,
  });

  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const tmp = `${RESULTS_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(tmp, RESULTS_FILE);
  say(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);

  if (skipBilling) return;
  await runBillingPhase({
    args,
    client,
    db,
    fixture,
    taskQueue,
    baselineQueue,
    runTag,
    databaseName,
    resultsFile: BILLING_RESULTS_FILE,
    runTimeoutMs: RUN_TIMEOUT_MS,
    say,
    abortable,
    guard,
    settle,
    measure: (count, concurrency, runOne) => measure(count, concurrency, stopwatch, databaseName, runOne),
    waitForHistory: (c, id, isReady, options) => waitForHistory(c, id, isReady, options),
    describeProgress: (c, id) => describeProgress(c, id),
    describeShape,
    cpuMsPerRun,
    describeError,
  });
}

/** CPU ms spent per run by the parts we run (this process, the Temporal server, our PostgreSQL backends). */
function cpuMsPerRun(phase: Phase): number {
  const cores = phase.cpu.process + (phase.cpu.temporal ?? 0) + (phase.cpu.postgres ?? 0);
  return (cores * phase.elapsedMs) / phase.runs.length;
}

interface Report {
  args: BenchArgs;
  databaseName: string;
  ratio: number;
  method: {
    machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string };
    temporal: { cli: string; serverVersion: string; sdk: string };
    postgres: { version: string; server: string; pool: number };
    baselineShape: { order: ShapeCounts; children: (ShapeCounts & { id: string })[] };
  };
  measured: Phase;
  base: Phase;
  measuredHistory: HistoryStats;
  baseHistory: HistoryStats;
}

function printReport(r: Report): void {
  const { args, measured, base } = r;
  const { machine, temporal: t, postgres, baselineShape } = r.method;
  const [mt, bt] = [r.measuredHistory.timing, r.baseHistory.timing];
  const ms = (v: number) => round(v).toFixed(1);
  const row = (label: string, ours: string, theirs: string, note = '') =>
    `  ${label.padEnd(26)}${ours.padStart(12)}${theirs.padStart(14)}${note ? `    ${note}` : ''}`;
  const cores = (v?: number) => (v === undefined ? 'n/a' : v.toFixed(2));
  const meanAttempts = (p: Phase) => (p.runs.reduce((s, run) => s + run.updateAttempts, 0) / p.runs.length).toFixed(1);
  const perOrder = (totals: TimeTotal[], count: number) =>
    totals.map(
      (x) =>
        `    ${x.name.padEnd(46)}${(x.calls / count).toFixed(1).padStart(6)} calls${(x.totalMs / count).toFixed(1).padStart(10)} ms`,
    );
  const lines = [
    '',
    'closedloop fulfillment benchmark',
    '',
    'method',
    `  load        ${args.orders} orders, ${args.concurrency} in flight (closed loop), after ${args.warmup} unmeasured warm-up runs of each kind`,
    `              latency: startOrderWorkflow call to the order workflow's result "fulfilled"; the proof of delivery is the`,
    `              recordDelivery update on <orderId>-S1, sent once the shipment's history (long-polled, no worker involved)`,
    `              shows it awaits delivery; throughput: orders / wall time of the measured batch`,
    `  machine     ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`,
    `  Temporal    ${t.cli}; server ${t.serverVersion}; dev server in memory, headless; TypeScript SDK ${t.sdk}, default worker options`,
    `  PostgreSQL  ${postgres.version} at ${postgres.server}, fresh database ${r.databaseName}, Prisma pool ${postgres.pool}`,
    `  e-mail      in-process SMTP capture (runtime/mail-capture.ts) through nodemailer, pool 5`,
    `  data        one customer, 3 SKUs (one lot-tracked, one hazardous) with stock for every order in one warehouse: one shipment`,
    `              each; lines in SKU order (see benchEvent: picking in line order deadlocks against reserving in SKU order)`,
    `  baseline    same process, same server, own task queue and worker; no-op workflows issuing the commands of an order recorded`,
    `              in this run, in its order, activities and local activities doing nothing${BASELINE_DROP.length ? ` (EXPERIMENT: without ${BASELINE_DROP.join(', ')})` : ''}:`,
    `              order: ${describeShape(baselineShape.order)}`,
    ...baselineShape.children.map((c) => `              ${c.id}: ${describeShape(c)}`),
    '',
    row('results', 'closedloop', 'baseline'),
    row('orders/second', measured.perSecond.toFixed(2), base.perSecond.toFixed(2), `ratio ${r.ratio.toFixed(3)}`),
    row('latency p50 ms', ms(measured.latency.p50Ms), ms(base.latency.p50Ms)),
    row('latency p95 ms', ms(measured.latency.p95Ms), ms(base.latency.p95Ms)),
    row('latency p99 ms', ms(measured.latency.p99Ms), ms(base.latency.p99Ms)),
    row('latency mean ms', ms(measured.latency.meanMs), ms(base.latency.meanMs)),
    row('latency min ms', ms(measured.latency.minMs), ms(base.latency.minMs)),
    row('latency max ms', ms(measured.latency.maxMs), ms(base.latency.maxMs)),
    row('wall time s', (measured.elapsedMs / 1000).toFixed(1), (base.elapsedMs / 1000).toFixed(1)),
    '',
    row('where the time goes', 'closedloop', 'baseline', 'per order with its children, mean, from the histories'),
    row('history events', r.measuredHistory.events.toFixed(0), r.baseHistory.events.toFixed(0)),
    row(
      'history size KiB',
      r.measuredHistory.historyKiB.toFixed(1),
      r.baseHistory.historyKiB.toFixed(1),
      'payloads: inputs, results, markers',
    ),
    row('workflow tasks', mt.workflowTasks.toFixed(1), bt.workflowTasks.toFixed(1)),
    row('  waiting in queue ms', ms(mt.workflowTaskQueueMs), ms(bt.workflowTaskQueueMs)),
    row(
      '  processing ms',
      ms(mt.workflowTaskRunMs),
      ms(bt.workflowTaskRunMs),
      'includes the local activities run inside the tasks',
    ),
    row('activities waiting ms', ms(mt.activityQueueMs), ms(bt.activityQueueMs)),
    row('activities running ms', ms(mt.activityRunMs), ms(bt.activityRunMs)),
    row(
      'awaiting delivery ms',
      ms(mt.deliveryWaitMs),
      ms(bt.deliveryWaitMs),
      'history long-poll notices the wait, then the update round trip',
    ),
    row('update attempts', meanAttempts(measured), meanAttempts(base), 'per order, refused ones included'),
    row(
      'CPU ms per order',
      ms(cpuMsPerRun(measured)),
      ms(cpuMsPerRun(base)),
      'this process + Temporal server + our PostgreSQL backends',
    ),
    row(
      'CPU, machine busy',
      `${(measured.cpu.machine * 100).toFixed(0)} %`,
      `${(base.cpu.machine * 100).toFixed(0)} %`,
      `of ${measured.cpu.cores} cores; below, in cores:`,
    ),
    row(
      '  this process',
      cores(measured.cpu.process),
      cores(base.cpu.process),
      'client, worker, workflow code, activities, SMTP capture',
    ),
    row('  Temporal server', cores(measured.cpu.temporal), cores(base.cpu.temporal)),
    row('  PostgreSQL', cores(measured.cpu.postgres), cores(base.cpu.postgres), 'backends serving the bench database'),
    row(
      '  everything else',
      cores(measured.cpu.other),
      cores(base.cpu.other),
      'other jobs on the machine, PostgreSQL background, kernel',
    ),
    '',
    '  closedloop activity time per order (in process, wall clock; local activities included):',
    ...perOrder(measured.activityTime, measured.runs.length),
    '  baseline activity time per run:',
    ...perOrder(base.activityTime, base.runs.length),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
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
