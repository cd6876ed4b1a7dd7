/**
 * Reproduces a workflow-task layout that core produces live but that a test cannot time on purpose.
 *
 * When a query is answered while a local activity's result is waiting to be handed to the workflow,
 * core completes the workflow task with the activity's marker and forces a new task: the code that
 * follows the activity runs in that next task (sdk-core managed_run.rs, prepare_complete_resp: "If
 * there are pending LA resolutions, and we're responding to a query here, we want to make sure to
 * force a new task"). Seen in CI and in test/returns/lifecycle-edges.test.ts under load. This helper
 * rewrites a recorded history into that layout: the task holding a chosen local-activity marker ends
 * right after it, and a new task (scheduled, started, completed) carries the commands after it.
 */
import type { DataConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type HistoryJson = { events: Record<string, unknown>[] };

const isLocalActivityMarker = (e: Record<string, unknown>): boolean =>
  e.eventType === 'EVENT_TYPE_MARKER_RECORDED' &&
  (e.markerRecordedEventAttributes as { markerName?: string }).markerName === 'core_local_activity';

/** Update events written from a workflow task's completion (its protocol messages): they carry no task id. */
const UPDATE_ANSWERS = new Set([
  'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_REJECTED',
]);

const eventsOf = (history: temporal.api.history.v1.IHistory): Record<string, unknown>[] =>
  (JSON.parse(JSON.stringify(history)) as HistoryJson).events;

/** How many local-activity markers (transition records) the history holds. */
export function countLocalActivityMarkers(history: temporal.api.history.v1.IHistory): number {
  return eventsOf(history).filter(isLocalActivityMarker).length;
}

/**
 * A copy of `history` in which the workflow task holding the first local-activity marker ends right
 * after it. A history already in that layout (core split it live) comes back unchanged.
 */
export function splitTaskAfterFirstLocalActivity(history: temporal.api.history.v1.IHistory): HistoryJson {
  return splitTaskAfterLocalActivity(history, 0);
}

/**
 * A copy of `history` in which the workflow task holding local-activity marker number `index` (from 0,
 * in history order) ends right after it. When nothing of that task follows the marker (it is already
 * the task's last command), the history comes back unchanged: there is nothing to move.
 */
export function splitTaskAfterLocalActivity(history: temporal.api.history.v1.IHistory, index: number): HistoryJson {
  const events = eventsOf(history);
  const idOf = (e: Record<string, unknown>) => Number(e.eventId);
  // Which task's commands an event belongs to (commands name the completion of the task that sent them).
  const taskOf = (e: Record<string, unknown> | undefined) =>
    Object.values(e ?? {})
      .map((a) =>
        a && typeof a === 'object'
          ? (a as { workflowTaskCompletedEventId?: string }).workflowTaskCompletedEventId
          : undefined,
      )
      .find((id) => id !== undefined);
  const marker = events.filter(isLocalActivityMarker)[index];
  if (!marker) throw new Error(`history has no local activity marker number ${index}`);
  const taskId = taskOf(marker)!;
  // What the task sent after the marker: its commands, and the update answers (accepted, completed)
  // that its completion carried, which name no task but are written with it.
  const next = events[events.indexOf(marker) + 1];
  if (!next || (taskOf(next) !== taskId && !UPDATE_ANSWERS.has(String(next.eventType)))) return { events };
  const markerId = idOf(marker);
  const shift = (id: number) => (id > markerId ? id + 3 : id);
  const [scheduledId, startedId, completedId] = [markerId + 1, markerId + 2, markerId + 3];
  const renumber = (value: unknown, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((v) => renumber(v));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renumber(v, k)]));
    if (/EventId$/.test(key) || key === 'eventId') return String(shift(Number(value)));
    return value;
  };
  const after = events.slice(events.indexOf(marker) + 1).map((e) => renumber(e) as Record<string, unknown>);
  // Commands of the split task that now follow the new task point at its completion.
  for (const e of after) {
    for (const attrs of Object.values(e)) {
      const a = attrs as Record<string, unknown> | null;
      if (a && typeof a === 'object' && a.workflowTaskCompletedEventId === taskId)
        a.workflowTaskCompletedEventId = String(completedId);
    }
  }
  const time = marker.eventTime;
  // As the run's first task was scheduled (task queue, timeout), in protobufjs' own object form.
  const scheduled = events.find(
    (e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
  )!.workflowTaskScheduledEventAttributes;
  const inserted = [
    {
      eventId: String(scheduledId),
      eventTime: time,
      eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
      workflowTaskScheduledEventAttributes: scheduled,
    },
    {
      eventId: String(startedId),
      eventTime: time,
      eventType: 'EVENT_TYPE_WORKFLOW_TASK_STARTED',
      workflowTaskStartedEventAttributes: {
        scheduledEventId: String(scheduledId),
        identity: 'history-split',
        requestId: 'history-split',
      },
    },
    {
      eventId: String(completedId),
      eventTime: time,
      eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      workflowTaskCompletedEventAttributes: {
        scheduledEventId: String(scheduledId),
        startedEventId: String(startedId),
        identity: 'history-split',
      },
    },
  ];
  return { events: [...events.slice(0, events.indexOf(marker) + 1), ...inserted, ...after] };
}

/** Whether the task holding the first local-activity marker ends right after it (a new task follows). */
export function isTaskEndedAfterFirstLocalActivity(history: temporal.api.history.v1.IHistory): boolean {
  return isTaskEndedAfterLocalActivity(history, 0);
}

/** Whether the task holding local-activity marker number `index` ends right after it (a new task follows). */
export function isTaskEndedAfterLocalActivity(history: temporal.api.history.v1.IHistory, index: number): boolean {
  const events = eventsOf(history);
  const marker = events.filter(isLocalActivityMarker)[index];
  const at = marker ? events.indexOf(marker) : -1;
  return at !== -1 && events[at + 1]?.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED';
}

/** One replay that failed: of the history as recorded, or split after local-activity marker `at`. */
export interface SplitReplayFailure {
  at: 'recorded' | number;
  error: string;
}

/**
 * Replays `history` as recorded and, for each local-activity marker that its task's other commands
 * follow, split right after it (the layout a query answered during that record causes) on the workflow
 * bundle at `bundlePath` (with `dataConverter` for encrypted histories). Returns the replays that failed, none when the run's code is safe to replay
 * whenever queries land. One replay worker serves them all, one history after another.
 */
export async function splitReplayFailures(
  workflowId: string,
  history: temporal.api.history.v1.IHistory,
  bundlePath: string,
  dataConverter?: DataConverter,
): Promise<SplitReplayFailure[]> {
  // Loaded here: the splitting itself needs no worker (and no native module).
  const { Worker } = await import('@temporalio/worker');
  const { temporal: proto } = await import('@temporalio/proto');
  const replays: { at: SplitReplayFailure['at']; history: temporal.api.history.v1.IHistory }[] = [
    { at: 'recorded', history },
  ];
  for (let at = 0; at < countLocalActivityMarkers(history); at += 1) {
    const split = proto.api.history.v1.History.fromObject(splitTaskAfterLocalActivity(history, at));
    if (isTaskEndedAfterLocalActivity(split, at) && !isTaskEndedAfterLocalActivity(history, at))
      replays.push({ at, history: split });
  }
  const failures: SplitReplayFailure[] = [];
  let i = 0;
  // Results come back in the order the histories went in.
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { codePath: bundlePath }, ...(dataConverter ? { dataConverter } : {}) },
    replays.map((r) => ({ workflowId, history: r.history })),
  )) {
    if (result.error) failures.push({ at: replays[i]!.at, error: coreMessageOf(result.error) });
    i += 1;
  }
  return failures;
}

/** Core's own words from a replay failure ("Nondeterminism error: ..."), without the Rust debug dump around them. */
const coreMessageOf = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  return /Nondeterminism error: (.*?)", source:/s.exec(message)?.[1] ?? message;
};

/** The change named by a "Non-deprecated patch marker encountered for change X" replay failure, if it is one. */
export const patchOfFailure = (failure: SplitReplayFailure): string | undefined =>
  /patch marker encountered for change ([\w-]+)/.exec(failure.error)?.[1];
