/**
 * The contract between workflows and activities. Workflows import only these types (never the
 * implementations), so the workflow bundle stays free of I/O.
 */
import type { RunStatus } from '../domain/statuses';
import type { ClosedWonEvent } from '../domain/closed-won';
import type { BreachAction, StepRef } from '../workflows/engine/step';
import type { createActivities } from './index';

export type Activities = ReturnType<typeof createActivities>;

/** What a run is about; passed to every step activity. */
export interface RunContext {
  kind: 'order' | 'shipment' | 'invoice' | 'return';
  /** Workflow id of the run (for orders: the order id). */
  id: string;
  orderId: string;
  event: ClosedWonEvent;
  createdAt: string;
}

export interface StepInput {
  run: RunContext;
  step: string;
  /** `<workflowId>:<step>`: stable across retries and worker restarts; key every external effect with it. */
  idempotencyKey: string;
  /**
   * The run's initial results (its request or plan) and the outputs of the earlier steps the step
   * declares it `reads` (and its own, for a compensation). Inputs scheduled before steps declared their
   * reads carry every output so far: read by name, both work the same.
   */
  results: Record<string, unknown>;
  /** For steps that wait for outside input (a finance decision, a proof of delivery): that input. */
  input?: unknown;
}

export interface StepOutput {
  /** Stored as `results[step]` and handed to later steps. */
  data?: unknown;
  /** New status of the run, e.g. `confirmed`. */
  status?: RunStatus;
}

export type StepActivity = (input: StepInput) => Promise<StepOutput>;

/** The result of `step` in the input, typed by its declaration; undefined when the step did not complete (skipped). */
export const resultOf = <R>(input: Pick<StepInput, 'results'>, step: StepRef<R>): R => input.results[step.name] as R;

/** Names of activities a step may run (those with the StepActivity signature). */
export type StepActivityName = {
  [K in keyof Activities]: Activities[K] extends StepActivity ? K : never;
}[keyof Activities];

export interface TransitionRecord {
  run: { kind: RunContext['kind']; id: string; orderId: string };
  workflowId: string;
  seq: number;
  /** Step name, or `*` for a change of the run's own status. */
  step: string;
  fromStatus: string | null;
  toStatus: string;
  attempt: number;
  error: string | null;
  actor: string;
  reason: string | null;
  occurredAt: string;
  runStatus: RunStatus;
  currentStep: string | null;
  needsAttention: boolean;
  slaBreached: boolean;
}

export interface SlaBreachInput {
  run: RunContext;
  step: string;
  action: BreachAction;
  deadline: string;
  stepStatus: string;
  idempotencyKey: string;
}
