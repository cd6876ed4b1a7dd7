/** A measured batch of runs and what is read about it afterwards: throughput, latency, CPU, histories. */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { cpuBetween, sampleCpu, type CpuUse } from '../cpu';
import { addTimings, scaleTiming, timingOf, ZERO_TIMING, type HistoryTiming } from '../history-timing';
import { runWithConcurrency } from '../load';
import { perSecond, summarize, type LatencySummary } from '../stats';
import type { Stopwatch, TimeTotal } from '../stopwatch';
import { childIdsOf, type ShapeCounts } from '../workflow-shape';
import type { OneRun } from './runs';

export interface Phase {
  runs: OneRun[];
  elapsedMs: number;
  perSecond: number;
  latency: LatencySummary;
  cpu: CpuUse;
  activityTime: TimeTotal[];
}

export async function measure(
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

/** CPU ms spent per run by the parts we run (this process, the Temporal server, our PostgreSQL backends). */
export function cpuMsPerRun(phase: Phase): number {
  const cores = phase.cpu.process + (phase.cpu.temporal ?? 0) + (phase.cpu.postgres ?? 0);
  return (cores * phase.elapsedMs) / phase.runs.length;
}

export interface HistoryStats {
  /** Per run (the order plus every child it started), mean over the runs. */
  timing: HistoryTiming;
  historyKiB: number;
  events: number;
}

/** Timings and history sizes of runs, each with all the children it started. */
export async function historyStats(client: Client, workflowIds: string[]): Promise<HistoryStats> {
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

export const describeShape = (c: ShapeCounts) =>
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
