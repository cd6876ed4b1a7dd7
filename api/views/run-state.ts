/**
 * A run's state as the `getState` query would answer it, rebuilt from what PostgreSQL holds: the step
 * events every transition records (activities/engine/record-transition.ts), the run's own row where it
 * has one (status, current step, needs attention), and the step declarations (order, SLA). Screens read
 * this instead of querying the workflow: a read never waits on Temporal or on a busy worker.
 *
 * What the mirror cannot give back: the outputs of completed steps (`results`, empty here; the tables
 * hold what they produced: shipments, invoices, reservations), and the SLA deadline of a step that has
 * not breached yet, which is computed as the engine computes it (its anchor plus the customer's profile
 * duration or the step's default), so it can differ by the milliseconds between the workflow's start
 * and its first recorded transition for steps measured from `order.created`.
 */
import type { RunStatus } from '../../domain/statuses';
import type { TransitionRecord } from '../../activities/contract';
import type { Duration } from '@temporalio/common';
import type { RunState, StepState, StepStatus } from '../../workflows/engine/state';
import type { StepDefinition } from '../../workflows/engine/step';
import { FULFILLMENT_STEPS } from '../../workflows/fulfillment/steps';
import { SHIPMENT_STEPS } from '../../workflows/shipping/steps';
import { ISSUE_STEPS } from '../../workflows/billing/steps';
import { RETURN_STEPS } from '../../workflows/returns/steps';
import { durationToMs } from '../../workflows/shared/duration';
import type { RunKind } from '../run-kind';

/** One step_event row, as the views select it: the transition as it was recorded, its time read back as a Date. */
export interface MirroredEvent extends Pick<
  TransitionRecord,
  'step' | 'fromStatus' | 'toStatus' | 'attempt' | 'error' | 'actor' | 'reason'
> {
  occurredAt: Date;
}

/** What the run's own row mirrors (orders: every column; other kinds: the status). */
export interface MirroredRow {
  status?: string;
  currentStep?: string | null;
  needsAttention?: boolean;
  slaBreached?: boolean;
}

const DECLARED_STEPS: Record<RunKind, readonly StepDefinition[]> = {
  order: FULFILLMENT_STEPS,
  shipment: SHIPMENT_STEPS,
  // Dunning steps depend on the customer's schedule: they appear as their events do.
  invoice: ISSUE_STEPS,
  return: RETURN_STEPS,
};

/** Transitions that describe the step without being its status (see StepEngine.breach and compensate). */
const SLA_BREACHED = 'sla_breached';
const COMPENSATION_FAILED = 'compensation_failed';
const ON_HOLD = 'on_hold';
const ENDED = ['cancelled', 'rejected'];
/** Step statuses during which the step is the run's current one. */
const STARTED: readonly string[] = ['running', 'waiting'];
const BREACH_REASON = /^deadline (\S+) missed$/;
/** Run-level notes (StepEngine.note): recorded from the status, they do not change it. */
const NOTES: readonly string[] = ['ship_to_changed', 'shipment_lines_cancelled'];

/**
 * The run's state from its events (oldest first). Returns null when nothing is recorded for it: no
 * event and no row status (the workflow has not run its first task yet).
 */
export function runStateFromMirror(input: {
  id: string;
  kind: RunKind;
  events: readonly MirroredEvent[];
  row?: MirroredRow;
  /** When the run began (the workflow's start); defaults to its first event. */
  createdAt?: Date;
  /** SLA durations by step name from the customer's profile (the engine's slaOverrides). */
  stepDurations?: Record<string, string>;
}): RunState | null {
  const { events, row = {} } = input;
  if (events.length === 0 && !row.status) return null;
  const createdAt = input.createdAt ?? events[0]?.occurredAt ?? new Date(0);
  const declared = DECLARED_STEPS[input.kind];
  const steps = declaredSteps(declared, events);
  const run = replay(events, steps);
  const status = row.status ?? run.status;
  const isEnded = ENDED.includes(status);
  if (isEnded) for (const st of steps.values()) if (st.status === 'pending') st.status = 'cancelled';
  const list = [...steps.values()];
  fillSlaDeadlines(list, declared, createdAt, input.stepDurations);
  const lastStep = [...declared].reverse().find((s) => steps.has(s.name));
  // The engine clears the current step once the last declared step is done, and when the run ends.
  const isPastSteps =
    lastStep !== undefined && ['completed', 'skipped', 'not_required'].includes(steps.get(lastStep.name)!.status);
  const derivedCurrent = isEnded || isPastSteps ? undefined : run.currentStep;
  const current = row.currentStep !== undefined ? (row.currentStep ?? undefined) : derivedCurrent;
  return {
    id: input.id,
    // The rows and events hold only what the engine wrote (a RunStatus).
    status: status as RunStatus,
    ...(current ? { currentStep: current } : {}),
    needsAttention: row.needsAttention ?? list.some((s) => s.status === 'needs_attention'),
    slaBreached: row.slaBreached ?? list.some((s) => s.slaBreached),
    createdAt: createdAt.toISOString(),
    updatedAt: (events.at(-1)?.occurredAt ?? createdAt).toISOString(),
    steps: list,
    results: {},
    ...(isEnded && run.cancelReason ? { cancelReason: run.cancelReason } : {}),
    ...(run.hold ? { hold: run.hold } : {}),
  };
}

const pendingStep = (name: string): StepState => ({ name, status: 'pending', rounds: 0, slaBreached: false });

/** The declared steps, pending, in their order; a patched step the run never saw is left out. */
function declaredSteps(declared: readonly StepDefinition[], events: readonly MirroredEvent[]): Map<string, StepState> {
  const seen = new Set(events.filter((e) => e.step !== '*').map((e) => e.step));
  // A step added behind a patch is absent from runs that started before it: those ran later steps without it.
  const lastSeen = declared.reduce((last, s, i) => (seen.has(s.name) ? i : last), -1);
  const steps = new Map<string, StepState>();
  declared.forEach((s, i) => {
    if (s.patch && !seen.has(s.name) && i < lastSeen) return;
    steps.set(s.name, pendingStep(s.name));
  });
  return steps;
}

interface RunProgress {
  status: string;
  hold?: RunState['hold'];
  cancelReason?: string;
  currentStep?: string;
}

/** Plays the events over the steps (updated in place); answers what they say of the run itself. */
function replay(events: readonly MirroredEvent[], steps: Map<string, StepState>): RunProgress {
  const run: RunProgress = { status: 'received' };
  for (const e of events) {
    if (e.step === '*') {
      applyRunEvent(run, e);
      continue;
    }
    let st = steps.get(e.step);
    if (!st) steps.set(e.step, (st = pendingStep(e.step)));
    applyStepEvent(run, st, e);
  }
  return run;
}

/** A run-level transition: hold, release, a new status, or a note that changes nothing. */
function applyRunEvent(run: RunProgress, e: MirroredEvent): void {
  if (e.toStatus === ON_HOLD) run.hold = { reason: e.reason ?? '', actor: e.actor, since: e.occurredAt.toISOString() };
  else if (e.fromStatus === ON_HOLD) {
    run.hold = undefined;
    run.status = e.toStatus; // a release is recorded back to the status the run had
  } else if (!NOTES.includes(e.toStatus)) run.status = e.toStatus;
}

function applyStepEvent(run: RunProgress, st: StepState, e: MirroredEvent): void {
  st.rounds = Math.max(st.rounds, e.attempt);
  if (e.toStatus === SLA_BREACHED) {
    st.slaBreached = true;
    st.breachedAt = e.occurredAt.toISOString();
    const deadline = BREACH_REASON.exec(e.reason ?? '')?.[1];
    if (deadline) st.slaDeadline = deadline;
    return;
  }
  if (e.toStatus === COMPENSATION_FAILED) {
    st.lastError = e.reason ?? undefined;
    return;
  }
  st.status = e.toStatus as StepStatus;
  if (STARTED.includes(e.toStatus)) {
    st.startedAt ??= e.occurredAt.toISOString();
    run.currentStep = e.step;
  }
  if (e.error) st.lastError = e.error;
  if (e.toStatus === 'completed' || e.toStatus === 'skipped') st.finishedAt = e.occurredAt.toISOString();
  if (e.toStatus === 'skipped') st.skippedReason = e.reason ?? undefined;
  if (e.toStatus === 'failed' || e.toStatus === 'cancelled') run.cancelReason = e.reason ?? run.cancelReason;
  if (e.toStatus === 'compensated' && e.reason) run.cancelReason ??= e.reason;
}

/** The SLA deadline of each started step that has not breached, as the engine computes it. */
function fillSlaDeadlines(
  list: StepState[],
  declared: readonly StepDefinition[],
  createdAt: Date,
  stepDurations: Record<string, string> | undefined,
): void {
  for (const st of list) {
    const sla = declared.find((s) => s.name === st.name)?.sla;
    if (!sla || st.slaDeadline || !st.startedAt) continue;
    const within = stepDurations?.[st.name] ?? sla.within;
    const anchor = sla.from === 'order.created' ? createdAt.getTime() : Date.parse(st.startedAt);
    try {
      st.slaDeadline = new Date(anchor + durationToMs(within as Duration)).toISOString();
    } catch {
      // An unreadable profile duration: the engine would have failed on it too; show no deadline.
    }
  }
}
