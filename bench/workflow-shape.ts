/**
 * Reads the shape of a real run from its recorded history: the Temporal commands the order and its
 * children (the shipment, an invoice) issued, in order. The baseline (bench/baseline-workflows.ts) issues the same commands with
 * no-op activities, so the comparison follows the product when steps are added or removed.
 */
import { temporal } from '@temporalio/proto';
import type { BaselineOp, BaselineShape } from './baseline-workflows';

const EventType = temporal.api.enums.v1.EventType;
type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Event types that record a command of the run (what `commandsOf` turns into baseline ops). */
const COMMAND_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  EventType.EVENT_TYPE_MARKER_RECORDED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_TIMER_CANCELED,
  EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
]);

/** Core SDK marker names: local activity results and `patched()` decisions. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
const PATCH_MARKER = 'core_patch';

export interface ShapeCounts {
  activities: number;
  localActivities: number;
  timers: number;
  searchAttributeUpserts: number;
  children: number;
  signalsToParent: number;
  signalsReceived: number;
  updates: number;
  /** `patched()` markers: recorded, but the baseline has no code versions to mark. */
  patchMarkers: number;
}

/** The commands of one run, in history order; throws on a run that is not a clean happy path. */
export function commandsOf(history: History, label: string): BaselineOp[] {
  const ops: BaselineOp[] = [];
  const childIndex = new Map<string, number>();
  for (const event of history.events ?? []) {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        ops.push({ kind: 'activity' });
        break;
      case EventType.EVENT_TYPE_MARKER_RECORDED: {
        const name = event.markerRecordedEventAttributes?.markerName;
        if (name === LOCAL_ACTIVITY_MARKER) ops.push({ kind: 'local-activity' });
        else if (name !== PATCH_MARKER) throw new Error(`${label}: event ${event.eventId}: unknown marker "${name}"`);
        break;
      }
      case EventType.EVENT_TYPE_TIMER_STARTED:
        ops.push({ kind: 'start-timer', timerId: event.timerStartedEventAttributes?.timerId ?? '' });
        break;
      case EventType.EVENT_TYPE_TIMER_CANCELED:
        ops.push({ kind: 'cancel-timer', timerId: event.timerCanceledEventAttributes?.timerId ?? '' });
        break;
      case EventType.EVENT_TYPE_TIMER_FIRED:
        throw new Error(
          `${label}: event ${event.eventId}: a timer fired (an SLA breach?): the sample run is not a happy path`,
        );
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        throw new Error(`${label}: event ${event.eventId}: an activity failed: the sample run is not a happy path`);
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        ops.push({ kind: 'upsert-search-attributes' });
        break;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: {
        const child = childIndex.size;
        childIndex.set(event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? `#${child}`, child);
        ops.push({ kind: 'start-child', child });
        break;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED: {
        const id = event.childWorkflowExecutionCompletedEventAttributes?.workflowExecution?.workflowId ?? '';
        const child = childIndex.get(id);
        if (child === undefined)
          throw new Error(`${label}: event ${event.eventId}: child ${id} completed but was never started`);
        ops.push({ kind: 'await-child', child });
        break;
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED:
        throw new Error(
          `${label}: event ${event.eventId}: a child workflow did not complete: the sample run is not a happy path`,
        );
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        ops.push({ kind: 'await-signal' });
        break;
      case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        ops.push({ kind: 'signal-parent' });
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        ops.push({ kind: 'await-update' });
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
        ops.push({ kind: 'complete-update' });
        break;
      default:
        break; // task bookkeeping (scheduled/started/completed), starts and completions of the run itself
    }
  }
  return ops;
}

/**
 * Commands among `events` of a live run, without the happy-path checks of `commandsOf`: the driver
 * uses it to see how far a run has come.
 */
export function countCommands(events: readonly HistoryEvent[]): number {
  return events.filter(
    (e) =>
      COMMAND_EVENTS.has(e.eventType ?? 0) &&
      (e.eventType !== EventType.EVENT_TYPE_MARKER_RECORDED ||
        e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER),
  ).length;
}

/** Why a live run cannot reach its end without ops: an activity that failed for good, or the run itself. */
export function stuckReason(events: readonly HistoryEvent[]): string | undefined {
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)
      return `activity failed: ${e.activityTaskFailedEventAttributes?.failure?.message ?? '?'}`;
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT)
      return `activity timed out: ${e.activityTaskTimedOutEventAttributes?.failure?.message ?? '?'}`;
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED)
      return `run failed: ${e.workflowExecutionFailedEventAttributes?.failure?.message ?? '?'}`;
  }
  return undefined;
}

export function countShape(history: History, label: string): ShapeCounts {
  const ops = commandsOf(history, label);
  const count = (kind: BaselineOp['kind']) => ops.filter((op) => op.kind === kind).length;
  return {
    activities: count('activity'),
    localActivities: count('local-activity'),
    timers: count('start-timer'),
    searchAttributeUpserts: count('upsert-search-attributes'),
    children: count('start-child'),
    signalsToParent: count('signal-parent'),
    signalsReceived: count('await-signal'),
    updates: count('await-update'),
    patchMarkers: (history.events ?? []).filter(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED &&
        e.markerRecordedEventAttributes?.markerName === PATCH_MARKER,
    ).length,
  };
}

/** Workflow ids of the children a run started, in start order (the `child` index of its commands). */
export function childIdsOf(history: History): string[] {
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
    .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? '');
}

/**
 * The baseline shape from one order and its children (in start order). Refuses shapes the baseline
 * could not mirror: no child, or a first child (the shipment) without exactly one proof-of-delivery
 * update, or an update anywhere else (nobody would send it).
 */
export function baselineShapeOf(orderHistory: History, childHistories: readonly History[]): BaselineShape {
  const order = commandsOf(orderHistory, 'order');
  const started = order.filter((op) => op.kind === 'start-child').length;
  if (started === 0) throw new Error('order: no child workflow started (no shipment?)');
  if (childHistories.length !== started)
    throw new Error(`order: started ${started} children, got ${childHistories.length} child histories`);
  const children = childHistories.map((h, i) => commandsOf(h, `child ${i}`));
  const updates = (ops: BaselineOp[]) => ops.filter((op) => op.kind === 'await-update').length;
  if (updates(children[0]!) !== 1)
    throw new Error(
      `child 0 (the shipment): expected exactly 1 accepted update (the proof of delivery), got ${updates(children[0]!)}`,
    );
  children.slice(1).forEach((ops, i) => {
    if (updates(ops) > 0)
      throw new Error(`child ${i + 1}: accepted ${updates(ops)} update(s); the baseline only delivers to child 0`);
  });
  return { order, children };
}

/** Command kinds an experiment may leave out of the baseline (`BENCH_BASELINE_DROP`). */
export const DROPPABLE_OPS = ['activity', 'local-activity', 'timer', 'upsert-search-attributes'] as const;
export type DroppableOp = (typeof DROPPABLE_OPS)[number];

/**
 * The shape without some kinds of command (a timer drops its start and its cancellation), to measure
 * what they cost: e.g. the floor of an order without per-transition bookkeeping local activities.
 */
export function withoutOps(shape: BaselineShape, drop: readonly DroppableOp[]): BaselineShape {
  const isDropped = (op: BaselineOp) =>
    (drop.includes('timer') && (op.kind === 'start-timer' || op.kind === 'cancel-timer')) ||
    (drop as readonly string[]).includes(op.kind);
  return {
    order: shape.order.filter((op) => !isDropped(op)),
    children: shape.children.map((ops) => ops.filter((op) => !isDropped(op))),
  };
}

export function parseDroppableOps(value: string | undefined): DroppableOp[] {
  const kinds = (value ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const kind of kinds) {
    if (!(DROPPABLE_OPS as readonly string[]).includes(kind)) {
      throw new Error(`BENCH_BASELINE_DROP: "${kind}" is not one of ${DROPPABLE_OPS.join(', ')}`);
    }
  }
  return kinds as DroppableOp[];
}
