/**
 * A step is declared, not programmed: a name, the activity it runs, how to retry it, its SLA, what
 * happens on breach, whether ops may skip it, and its compensation. The engine (run-steps.ts and
 * the parts beside it) is the only control flow; see README "Adding a step".
 */
import type { Duration, RetryPolicy } from '@temporalio/common';
import type { StepActivityName } from '../../activities/contract';

/** What an SLA deadline is measured from. */
export type SlaAnchor = 'order.created' | 'step.started';

/** What happens, once, when a step misses its SLA. */
export type BreachAction = 'notify-ops' | 'escalate' | 'expedite';

export interface StepSla {
  /** Default deadline (Temporal duration: '4h', '30 minutes'); the customer's SLA profile may override it. */
  within: Duration;
  from: SlaAnchor;
  onBreach: BreachAction;
}

declare const RESULT: unique symbol;

/**
 * A step as another step (or an activity) refers to it: its name, carrying the type of its activity's
 * result (`StepOutput.data`), so `resultOf(input, validateOrderStep)` reads it typed.
 */
export interface StepRef<R = unknown> {
  /** Stable kebab-case id: stored in step events, used in API paths. Never rename a released step. */
  name: string;
  /** Type only: never set. */
  readonly [RESULT]?: R;
}

/** The result of `step` among a run's results, typed by its declaration; undefined until it completes (or skipped). */
export const resultIn = <R>(results: Readonly<Record<string, unknown>>, step: StepRef<R>): R | undefined =>
  results[step.name] as R | undefined;

export interface StepDefinition<R = unknown> extends StepRef<R> {
  /** The activity that does the work, typed against activities/contract.ts. */
  run: StepActivityName;
  /** Per attempt; defaults to 1 minute. */
  timeout?: Duration;
  /** Defaults to 5 attempts with exponential backoff; exhausted retries park the step in needs_attention. */
  retry?: RetryPolicy;
  sla?: StepSla;
  /** Whether ops may skip the step (with a reason) when it needs attention. */
  skippable: boolean;
  /**
   * Earlier steps whose results the activity (and its compensation) reads. Only those ride along in its
   * input, beside the run's initial results (its request or plan) and the step's own result; anything
   * else it reads by id from PostgreSQL. Every earlier result riding along made inputs grow with each
   * step and could pass Temporal's 2 MB payload limit on a large order.
   */
  reads?: readonly StepRef[];
  /** Activity that undoes the step when the order is cancelled later; run in reverse order. */
  compensate?: StepActivityName;
  /** Set when `compensate` was added after runs were recorded: the engine wraps it in `patched(...)`. */
  compensatePatch?: string;
  /**
   * A step that waits for outside input (a finance decision, a proof of delivery) before its activity
   * runs with that input. `when` decides from earlier results whether the wait is needed at all.
   */
  waitFor?: {
    input: string;
    when?: (results: Record<string, unknown>) => boolean;
    /** A reason to skip the step given the input it received (e.g. a stale reminder); undefined runs it. */
    skipReason?: (input: unknown) => string | undefined;
  };
  /**
   * Set on every step added after orders were already running: the engine wraps it in
   * `patched(patch)`, so histories recorded before the step existed still replay.
   */
  patch?: string;
}

/**
 * Declares a step; `defineStep<ValidatedOrder>({...})` also declares the type of its result, which
 * `resultOf` hands back to the activities that read it.
 */
export function defineStep<R = unknown, const T extends StepDefinition = StepDefinition>(step: T): T & StepRef<R> {
  if (!/^[a-z][a-z0-9-]*$/.test(step.name)) throw new Error(`step name "${step.name}" must be kebab-case`);
  return step as T & StepRef<R>;
}
