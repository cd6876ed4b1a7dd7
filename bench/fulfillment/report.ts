/** The fulfillment benchmark's printed report: its method, then every figure beside the baseline's. */
import type { BenchArgs } from '../args';
import { round } from '../stats';
import type { TimeTotal } from '../stopwatch';
import type { ShapeCounts } from '../workflow-shape';
import { cpuMsPerRun, describeShape, type HistoryStats, type Phase } from './measure';
import { BASELINE_DROP } from './settings';

export interface Report {
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

/** Helpers the fulfillment and billing reports share: one row of closedloop beside the baseline. */
export const ms = (v: number) => round(v).toFixed(1);
export const row = (label: string, ours: string, theirs: string, note = '') =>
  `  ${label.padEnd(26)}${ours.padStart(12)}${theirs.padStart(14)}${note ? `    ${note}` : ''}`;
export const meanAttempts = (p: Phase) =>
  (p.runs.reduce((s, run) => s + run.updateAttempts, 0) / p.runs.length).toFixed(1);
/** Activity time per run: calls and wall milliseconds of each activity. */
export const perRun = (totals: TimeTotal[], count: number) =>
  totals.map(
    (x) =>
      `    ${x.name.padEnd(46)}${(x.calls / count).toFixed(1).padStart(6)} calls${(x.totalMs / count).toFixed(1).padStart(10)} ms`,
  );

/** Where each run's activity time went, closedloop's (per `what`: order, invoice) and the baseline's. */
export function activityTimeRows(measured: Phase, base: Phase, what: string): string[] {
  return [
    `  closedloop activity time per ${what} (in process, wall clock; local activities included):`,
    ...perRun(measured.activityTime, measured.runs.length),
    '  baseline activity time per run:',
    ...perRun(base.activityTime, base.runs.length),
  ];
}

/** Throughput and latency, the same rows in both reports. */
export function latencyRows(measured: Phase, base: Phase, ratio: number): string[] {
  return [
    row('results', 'closedloop', 'baseline'),
    row('orders/second', measured.perSecond.toFixed(2), base.perSecond.toFixed(2), `ratio ${ratio.toFixed(3)}`),
    row('latency p50 ms', ms(measured.latency.p50Ms), ms(base.latency.p50Ms)),
    row('latency p95 ms', ms(measured.latency.p95Ms), ms(base.latency.p95Ms)),
    row('latency p99 ms', ms(measured.latency.p99Ms), ms(base.latency.p99Ms)),
    row('latency mean ms', ms(measured.latency.meanMs), ms(base.latency.meanMs)),
    row('latency min ms', ms(measured.latency.minMs), ms(base.latency.minMs)),
    row('latency max ms', ms(measured.latency.maxMs), ms(base.latency.maxMs)),
    row('wall time s', (measured.elapsedMs / 1000).toFixed(1), (base.elapsedMs / 1000).toFixed(1)),
  ];
}

export function printReport(r: Report): void {
  const { measured, base } = r;
  const lines = [
    '',
    'closedloop fulfillment benchmark',
    '',
    ...methodLines(r),
    '',
    ...latencyRows(measured, base, r.ratio),
    '',
    ...timeRows(r),
    '',
    ...activityTimeRows(measured, base, 'order'),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function methodLines({ args, databaseName, method }: Report): string[] {
  const { machine, temporal: t, postgres, baselineShape } = method;
  return [
    'method',
    `  load        ${args.orders} orders, ${args.concurrency} in flight (closed loop), after ${args.warmup} unmeasured warm-up runs of each kind`,
    `              latency: startOrderWorkflow call to the order workflow's result "fulfilled"; the proof of delivery is the`,
    `              recordDelivery update on <orderId>-S1, sent once the shipment's history (long-polled, no worker involved)`,
    `              shows it awaits delivery; throughput: orders / wall time of the measured batch`,
    `  machine     ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`,
    `  Temporal    ${t.cli}; server ${t.serverVersion}; dev server in memory, headless; TypeScript SDK ${t.sdk}, default worker options`,
    `  PostgreSQL  ${postgres.version} at ${postgres.server}, fresh database ${databaseName}, Prisma pool ${postgres.pool}`,
    `  e-mail      in-process SMTP capture (runtime/mail-capture.ts) through nodemailer, pool 5`,
    `  data        one customer, 3 SKUs (one lot-tracked, one hazardous) with stock for every order in one warehouse: one shipment`,
    `              each; lines in SKU order (see benchEvent: picking in line order deadlocks against reserving in SKU order)`,
    `  baseline    same process, same server, own task queue and worker; no-op workflows issuing the commands of an order recorded`,
    `              in this run, in its order, activities and local activities doing nothing${BASELINE_DROP.length ? ` (EXPERIMENT: without ${BASELINE_DROP.join(', ')})` : ''}:`,
    `              order: ${describeShape(baselineShape.order)}`,
    ...baselineShape.children.map((c) => `              ${c.id}: ${describeShape(c)}`),
  ];
}

/** Where the time goes, per order with its children, from the histories; then CPU. */
function timeRows(r: Report): string[] {
  const { measured, base } = r;
  const [mt, bt] = [r.measuredHistory.timing, r.baseHistory.timing];
  const cores = (v?: number) => (v === undefined ? 'n/a' : v.toFixed(2));
  return [
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
    cpuPerOrderRow(measured, base),
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
  ];
}

export const cpuPerOrderRow = (measured: Phase, base: Phase) =>
  row(
    'CPU ms per order',
    ms(cpuMsPerRun(measured)),
    ms(cpuMsPerRun(base)),
    'this process + Temporal server + our PostgreSQL backends',
  );
