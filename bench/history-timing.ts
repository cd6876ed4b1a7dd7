/**
 * Where a run's wall-clock time went, read from its history: workflow tasks waiting in the task queue
 * and being processed (local activities run inside the task, so their time shows there), activities
 * waiting and running, and the wait between a shipment starting to await delivery and the proof of
 * delivery being accepted (the benchmark's retry interval plus a round trip).
 */
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;
type History = temporal.api.history.v1.IHistory;

export interface HistoryTiming {
  wallMs: number;
  workflowTasks: number;
  workflowTaskQueueMs: number;
  workflowTaskRunMs: number;
  activityQueueMs: number;
  activityRunMs: number;
  /** From the last workflow task before the update's (when the run began to wait) to the update's acceptance. */
  deliveryWaitMs: number;
}

export const ZERO_TIMING: HistoryTiming = {
  wallMs: 0,
  workflowTasks: 0,
  workflowTaskQueueMs: 0,
  workflowTaskRunMs: 0,
  activityQueueMs: 0,
  activityRunMs: 0,
  deliveryWaitMs: 0,
};

export function timingOf(history: History): HistoryTiming {
  const events = history.events ?? [];
  const at = new Map<string, number>();
  const time = (e: temporal.api.history.v1.IHistoryEvent) => tsToMs(e.eventTime);
  const timing = { ...ZERO_TIMING };
  let wftScheduled: number | undefined;
  let wftStarted: number | undefined;
  let lastWftCompletedIndex = -1;
  let previousWftCompletedIndex = -1;
  for (const [i, e] of events.entries()) {
    const t = time(e);
    at.set(String(e.eventId), t);
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        wftScheduled = t;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        if (wftScheduled !== undefined) timing.workflowTaskQueueMs += t - wftScheduled;
        wftStarted = t;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        if (wftStarted !== undefined) timing.workflowTaskRunMs += t - wftStarted;
        timing.workflowTasks += 1;
        previousWftCompletedIndex = lastWftCompletedIndex;
        lastWftCompletedIndex = i;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const scheduled = at.get(String(e.activityTaskStartedEventAttributes?.scheduledEventId));
        if (scheduled !== undefined) timing.activityQueueMs += t - scheduled;
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const started = at.get(String(e.activityTaskCompletedEventAttributes?.startedEventId));
        if (started !== undefined) timing.activityRunMs += t - started;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        // The accepting task's own completion is the last one; the one before it is when waiting began.
        if (previousWftCompletedIndex >= 0) timing.deliveryWaitMs += t - time(events[previousWftCompletedIndex]!);
        break;
      default:
        break;
    }
  }
  if (events.length > 0) timing.wallMs = time(events[events.length - 1]!) - time(events[0]!);
  return timing;
}

/** Field-wise sum, to add an order's and its shipments' timings or average over many runs. */
export function addTimings(a: HistoryTiming, b: HistoryTiming): HistoryTiming {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof HistoryTiming)[]) sum[key] = a[key] + b[key];
  return sum;
}

export function scaleTiming(a: HistoryTiming, factor: number): HistoryTiming {
  const scaled = { ...a };
  for (const key of Object.keys(scaled) as (keyof HistoryTiming)[]) scaled[key] = a[key] * factor;
  return scaled;
}
