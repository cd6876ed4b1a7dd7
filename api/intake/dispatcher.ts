/**
 * Starts order workflows off the request path. Intake kicks it right after the inbox INSERT has
 * committed, so an order normally starts within milliseconds of its 202, while the HTTP answer never
 * waits for Temporal nor fails because of it. At most `concurrency` starts run at once (the request
 * path keeps the CPU under a burst; the inbox holds the backlog), and the `started_at` marks of the
 * starts that finished within `markDelayMs` go out in one UPDATE.
 *
 * The request path comes first: while this process's event loop is busy (a burst of intake, or any
 * other load) one start runs at most every `busyStartIntervalMs`; the backlog waits in the inbox and
 * is caught up at full concurrency afterwards.
 *
 * One attempt per kick: a failed start is recorded on its inbox row and left to the relay (relay.ts),
 * which also covers events queued here when the process stopped. Starting is idempotent by workflow id,
 * so a start that both paths make never creates a second run.
 */
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { orderIdForDeal, type ClosedWonEvent } from '../../domain/closed-won';
import type { Db } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { errorMessage, markStarted, recordStartFailure } from './inbox-marks';
import { DISPATCHER_DEFAULTS as INTAKE_DISPATCHER_DEFAULTS } from '../../lib/api-defaults';
import { startOrderWorkflow } from './start-order';

export interface StartDispatcherOptions {
  /** Starts in flight at once while the event loop has room. */
  concurrency?: number;
  /** Event-loop busy share (0..1) above which starts are paced (busyStartIntervalMs). */
  busyThreshold?: number;
  /**
   * While the event loop is busy, one start at most this often: the backlog still moves under a long
   * burst, while the answers keep the CPU (each start costs the API process gRPC and protobuf work).
   */
  busyStartIntervalMs?: number;
  /** Events waiting beyond this are not queued: the relay starts them from the inbox. */
  maxQueued?: number;
  /**
   * How long finished starts wait for their `started_at` mark, so that one UPDATE carries many: each
   * statement costs the API process about a quarter of an intake request's CPU.
   */
  markDelayMs?: number;
  /**
   * A start that takes longer is given up (Temporal unreachable) and left to the relay. It is a gRPC
   * deadline, not an abort: the SDK's retry interceptor keeps a backoff timer that an abort leaves
   * behind (it throws once the connection is closed), while a deadline ends the retries with the call.
   * It also bounds how long close() waits for starts in flight.
   */
  startTimeoutMs?: number;
}

export interface StartDispatcher {
  /** Queues the start of an accepted event; returns at once and never throws. */
  kick(event: ClosedWonEvent): void;
  /** Whether this process holds the deal (queued, starting, or its mark not written yet). */
  isHolding(dealId: string): boolean;
  /** Resolves when nothing is queued, starting or unmarked (tests, benchmarks). */
  idle(): Promise<void>;
  /** Stops taking kicks, drops the queue (the events are in the inbox), waits for the starts in flight. */
  close(): Promise<void>;
}

export const DISPATCHER_DEFAULTS: Required<StartDispatcherOptions> = INTAKE_DISPATCHER_DEFAULTS;

export function createStartDispatcher(deps: DispatcherDeps, options: StartDispatcherOptions = {}): StartDispatcher {
  const settings = { ...DISPATCHER_DEFAULTS, ...options };
  const queued = new Map<string, ClosedWonEvent>(); // by deal id, in arrival order
  const starting = new Set<string>();
  let isClosed = false;
  let isOverflowing = false;
  const waiters = createIdleWaiters(() => queued.size === 0 && starting.size === 0 && marks.isIdle());
  const marks = createMarkBatcher(deps, settings.markDelayMs, () => isClosed, waiters.settle);
  const pacer = createPacer(settings);

  let pumpTimer: NodeJS.Timeout | undefined;
  const pump = () => {
    if (isClosed || queued.size === 0) return;
    const limit = pacer.limit(starting.size);
    if (limit === 'wait') {
      // No kick may come once the burst is over: look again when the next start is due.
      pumpTimer ??= setTimeout(() => {
        pumpTimer = undefined;
        pump();
      }, pacer.retryInMs());
      return;
    }
    while (!isClosed && starting.size < limit && queued.size > 0) {
      const [dealId, event] = queued.entries().next().value as [string, ClosedWonEvent];
      queued.delete(dealId);
      starting.add(dealId);
      pacer.started();
      void startOne(deps, settings.startTimeoutMs, event, marks).finally(() => {
        starting.delete(dealId);
        marks.afterStart();
        pump();
        waiters.settle();
      });
    }
  };

  return {
    kick(event) {
      if (isClosed || queued.has(event.dealId) || starting.has(event.dealId)) return;
      if (queued.size >= settings.maxQueued) {
        // The inbox row is there: the relay starts it. Said once per overflow, not once per event.
        if (!isOverflowing)
          deps.log.warn(
            { queued: queued.size, maxQueued: settings.maxQueued },
            'start dispatcher queue full: further accepted events wait for the inbox relay',
          );
        isOverflowing = true;
        return;
      }
      isOverflowing = false;
      queued.set(event.dealId, event);
      pump();
    },
    isHolding: (dealId) => queued.has(dealId) || starting.has(dealId) || marks.isHolding(dealId),
    idle: waiters.idle,
    async close() {
      if (isClosed) return;
      isClosed = true;
      if (pumpTimer) clearTimeout(pumpTimer);
      if (queued.size > 0)
        deps.log.info({ queued: queued.size }, 'start dispatcher closing: queued starts left to the inbox relay');
      queued.clear();
      marks.flush(); // what is started is marked now, not after markDelayMs
      waiters.settle();
      if (starting.size > 0)
        deps.log.info({ starting: starting.size }, 'start dispatcher closing: waiting for starts in flight');
      // Bounded by startTimeoutMs; returning earlier would let the caller close the Temporal connection
      // under a call that is still retrying.
      await waiters.idle();
    },
  };
}

type DispatcherDeps = { db: Db; temporal: Client; taskQueue: string; log: Logger };
type MarkBatcher = ReturnType<typeof createMarkBatcher>;

/** `idle()` promises resolved by `settle()` once `isIdle` holds. */
function createIdleWaiters(isIdle: () => boolean) {
  let waiters: (() => void)[] = [];
  return {
    idle: () => (isIdle() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    settle: () => {
      if (!isIdle()) return;
      const resolved = waiters;
      waiters = [];
      for (const resolve of resolved) resolve();
    },
  };
}

/**
 * While the event loop is busy, one start at most every busyStartIntervalMs; at full concurrency
 * otherwise.
 */
function createPacer({ concurrency, busyThreshold, busyStartIntervalMs }: Required<StartDispatcherOptions>) {
  const loopBusyShare = eventLoopGauge();
  let lastStartAt = 0;
  let wait = 0;
  return {
    /** How many starts may be in flight now, or 'wait' (see retryInMs). */
    limit(inFlight: number): number | 'wait' {
      if (loopBusyShare() <= busyThreshold) return concurrency;
      wait = lastStartAt + busyStartIntervalMs - Date.now();
      return inFlight > 0 || wait > 0 ? 'wait' : 1;
    },
    retryInMs: () => Math.max(wait, busyStartIntervalMs),
    started: () => {
      lastStartAt = Date.now();
    },
  };
}

/** Group commit: one UPDATE, at most every markDelayMs, for every start that finished meanwhile. */
function createMarkBatcher(deps: DispatcherDeps, markDelayMs: number, isClosed: () => boolean, settle: () => void) {
  let unmarked: string[] = [];
  let marking: Promise<void> | undefined;
  let markingBatch: readonly string[] = []; // started, UPDATE not committed yet: still ours
  let markTimer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (markTimer || marking || unmarked.length === 0) return;
    markTimer = setTimeout(() => {
      markTimer = undefined;
      flush();
    }, markDelayMs);
  };
  const flush = () => {
    if (markTimer) clearTimeout(markTimer);
    markTimer = undefined;
    if (marking || unmarked.length === 0) return;
    const batch = unmarked;
    unmarked = [];
    markingBatch = batch;
    marking = markStarted(deps.db, batch)
      .catch((error) =>
        deps.log.warn(
          { err: errorMessage(error), events: batch.length },
          'could not mark started events in the inbox; the relay will re-check them',
        ),
      )
      .finally(() => {
        marking = undefined;
        markingBatch = [];
        afterStart();
        settle();
      });
  };
  /** Once closed, marks go out at once; before, they wait for the batch. */
  const afterStart = () => (isClosed() ? flush() : schedule());
  return {
    add: (dealId: string) => unmarked.push(dealId),
    afterStart,
    flush,
    isHolding: (dealId: string) => unmarked.includes(dealId) || markingBatch.includes(dealId),
    isIdle: () => unmarked.length === 0 && !marking,
  };
}

/** One attempt to start the event's order workflow; a failure is recorded on its inbox row for the relay. */
async function startOne(deps: DispatcherDeps, startTimeoutMs: number, event: ClosedWonEvent, marks: MarkBatcher) {
  try {
    const deadline = Date.now() + startTimeoutMs;
    await deps.temporal.withDeadline(deadline, () => startOrderWorkflow(deps.temporal, deps.taskQueue, event));
    marks.add(event.dealId);
    deps.log.info(
      { orderId: orderIdForDeal(event.dealId), workflowId: orderIdForDeal(event.dealId) },
      'order workflow started',
    );
  } catch (error) {
    const message = errorMessage(error);
    deps.log.warn(
      { dealId: event.dealId, workflowId: orderIdForDeal(event.dealId), err: message },
      'could not start the order workflow now; the inbox relay will retry',
    );
    await recordStartFailure(deps.db, event.dealId, error).catch((dbError) =>
      deps.log.warn(
        { dealId: event.dealId, err: errorMessage(dbError) },
        'could not record the failed start in the inbox',
      ),
    );
  }
}

/** The event loop's busy share over the last `windowMs` or more (sampled when asked, never on a timer). */
function eventLoopGauge(windowMs = 250): () => number {
  let last = performance.eventLoopUtilization();
  let lastAt = performance.now();
  let share = 0;
  return () => {
    const now = performance.now();
    if (now - lastAt >= windowMs) {
      const current = performance.eventLoopUtilization();
      share = performance.eventLoopUtilization(current, last).utilization;
      last = current;
      lastAt = now;
    }
    return share;
  };
}
