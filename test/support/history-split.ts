/**
 * Reproduces a workflow-task layout that core produces live but that a test cannot time on purpose.
 *
 * When a query is answered while a local activity's result is waiting to be handed to the workflow,
 * core completes the workflow task with the activity's marker and forces a new task: the code that
 * follows the activity runs in that next task (sdk-core managed_run.rs, prepare_complete_resp: "If
 * there are pending LA resolutions, and we're responding to a query here, we want to make sure to
 * force a new task"). Seen in CI and in test/returns/lifecycle-edges.test.ts under load. This helper
 * rewrites a recorded history into that layout: the task holding the first local-activity marker
 * ends right after it, and a new task (scheduled, started, completed) carries the commands after it.
 */
import type { temporal } from '@temporalio/proto';

type HistoryJson = { events: Record<string, unknown>[] };

/**
 * A copy of `history` in which the workflow task holding the first local-activity marker ends right
 * after it. A history already in that layout (core split it live) comes back unchanged.
 */
export function splitTaskAfterFirstLocalActivity(history: temporal.api.history.v1.IHistory): HistoryJson {
  const events = (JSON.parse(JSON.stringify(history)) as HistoryJson).events;
  const idOf = (e: Record<string, unknown>) => Number(e.eventId);
  // Which task's commands an event belongs to (commands name the completion of the task that sent them).
  const taskOf = (e: Record<string, unknown> | undefined) =>
    Object.values(e ?? {})
      .map((a) => (a && typeof a === 'object' ? (a as { workflowTaskCompletedEventId?: string }).workflowTaskCompletedEventId : undefined))
      .find((id) => id !== undefined);
  const marker = events.find(
    (e) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED' && (e.markerRecordedEventAttributes as { markerName?: string }).markerName === 'core_local_activity',
  );
  if (!marker) throw new Error('history has no local activity marker');
  const taskId = taskOf(marker)!;
  if (taskOf(events[events.indexOf(marker) + 1]) !== taskId) return { events };
  const markerId = idOf(marker);
  const shift = (id: number) => (id > markerId ? id + 3 : id);
  const [scheduledId, startedId, completedId] = [markerId + 1, markerId + 2, markerId + 3];
  const renumber = (value: unknown, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((v) => renumber(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renumber(v, k)]));
    if (/EventId$/.test(key) || key === 'eventId') return String(shift(Number(value)));
    return value;
  };
  const after = events.slice(events.indexOf(marker) + 1).map((e) => renumber(e) as Record<string, unknown>);
  // Commands of the split task that now follow the new task point at its completion.
  for (const e of after) {
    for (const attrs of Object.values(e)) {
      const a = attrs as Record<string, unknown> | null;
      if (a && typeof a === 'object' && a.workflowTaskCompletedEventId === taskId) a.workflowTaskCompletedEventId = String(completedId);
    }
  }
  const time = marker.eventTime;
  // As the run's first task was scheduled (task queue, timeout), in protobufjs' own object form.
  const scheduled = events.find((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED')!.workflowTaskScheduledEventAttributes;
  const inserted = [
    { eventId: String(scheduledId), eventTime: time, eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', workflowTaskScheduledEventAttributes: scheduled },
    { eventId: String(startedId), eventTime: time, eventType: 'EVENT_TYPE_WORKFLOW_TASK_STARTED', workflowTaskStartedEventAttributes: { scheduledEventId: String(scheduledId), identity: 'history-split', requestId: 'history-split' } },
    { eventId: String(completedId), eventTime: time, eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED', workflowTaskCompletedEventAttributes: { scheduledEventId: String(scheduledId), startedEventId: String(startedId), identity: 'history-split' } },
  ];
  return { events: [...events.slice(0, events.indexOf(marker) + 1), ...inserted, ...after] };
}

/** Whether the task holding the first local-activity marker ends right after it (a new task follows). */
export function isTaskEndedAfterFirstLocalActivity(history: temporal.api.history.v1.IHistory): boolean {
  const events = (JSON.parse(JSON.stringify(history)) as HistoryJson).events;
  const at = events.findIndex(
    (e) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED' && (e.markerRecordedEventAttributes as { markerName?: string }).markerName === 'core_local_activity',
  );
  return at !== -1 && events[at + 1]?.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED';
}
