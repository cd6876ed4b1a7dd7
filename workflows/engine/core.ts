/**
 * What every part of the engine shares: the run's live state, the options it was started with, what
 * ops asked for (a decision, a cancellation) and the step or scope running now; and the primitives the
 * parts are written with (record a transition, set the status, wait for a condition or a cancellation).
 */
import { INITIAL_STATUS, type RunStatus } from '../../domain/statuses';
import { ApplicationFailure, CancellationScope, condition, isCancellation } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { RunContext } from '../../activities/contract';
import { FAILURES } from '../../domain/failures';
import type { CancelRequest, StepDecision } from './messages';
import type { RunState, StepState, StepStatus } from './state';
import type { StepDefinition, StepRef } from './step';
import { cancelledByParent, RunCancelled } from './failures';
import { SYSTEM } from './keys';
import { noPatches } from './patches';
import { TransitionLog, type Transition } from './transitions';

export type RunOutcome = 'completed' | 'cancelled' | 'rejected';

export interface EngineOptions {
  context: RunContext;
  steps: readonly StepDefinition[];
  /** SLA durations by step name from the customer's profile; read when a step starts. */
  slaOverrides?: () => Record<string, Duration | undefined>;
  /** Refuses cancellation when the run is past the point of no return (e.g. shipped). */
  cancellationRefusal?: () => string | undefined;
  /**
   * The same question asked of the stored records (an activity), for what the workflow's own view may
   * not know yet (a shipment marked shipped whose step then failed). Returns the refusal, if any.
   */
  cancellationCheck?: () => Promise<string | undefined>;
  /** Results available to the first step (e.g. a shipment's plan). */
  initialResults?: Record<string, unknown>;
  /** Whether a step's reported status still applies (e.g. not `sent` once the invoice is paid). */
  acceptsStatus?: (status: RunStatus) => boolean;
  /** Called after every change of the run's status (e.g. a shipment telling its order). */
  onStatus?: (status: RunStatus) => Promise<void>;
}

export abstract class EngineCore {
  readonly state: RunState;
  protected pendingDecision?: StepDecision;
  protected cancelRequest?: CancelRequest;
  /** A cancellation is being checked against the stored records: a second one is refused meanwhile. */
  protected isCancelChecking = false;
  protected activeScope?: CancellationScope;
  protected readonly done: StepDefinition[] = [];
  /** Patches of the engine's own behaviour, decided once before the first step (see EnginePatches). */
  protected patches = noPatches();
  protected finished = false;
  protected readonly inputs = new Map<string, unknown>();
  private readonly log: TransitionLog;

  constructor(protected readonly options: EngineOptions) {
    const now = new Date().toISOString();
    this.state = {
      id: options.context.id,
      status: INITIAL_STATUS,
      needsAttention: false,
      slaBreached: false,
      createdAt: options.context.createdAt,
      updatedAt: now,
      steps: [],
      results: { ...options.initialResults },
    };
    this.log = new TransitionLog(options.context, options.steps, this.state);
  }

  /** Waits for `predicate`; a cancellation (ops or the parent workflow) ends the run instead. */
  async waitUntil(predicate: () => boolean): Promise<void> {
    try {
      await condition(() => predicate() || this.cancelRequest !== undefined);
    } catch (error) {
      if (!isCancellation(error)) throw error;
      this.cancelRequest ??= cancelledByParent();
    }
    if (this.cancelRequest) throw new RunCancelled();
  }

  /** Sets the run's status (e.g. `confirmed`, `shipped`) and mirrors it to the database and search attributes. */
  async setStatus(status: RunStatus): Promise<void> {
    if (this.state.status === status) return;
    const from = this.state.status;
    this.state.status = status;
    await this.record({ step: '*', from, to: status, actor: SYSTEM });
    await this.options.onStatus?.(status);
  }

  protected stepState(name: string): StepState {
    const st = this.state.steps.find((s) => s.name === name);
    // Only a declaration bug reaches this: fail the run with a named reason rather than its task forever.
    if (!st)
      throw ApplicationFailure.create({
        type: FAILURES.UnknownStep.type,
        message: `unknown step ${name}`,
        nonRetryable: true,
      });
    return st;
  }

  protected async transition(st: StepState, to: StepStatus, actor: string, reason?: string): Promise<void> {
    const from = st.status;
    st.status = to;
    await this.record({
      step: st.name,
      from,
      to,
      actor,
      reason,
      error: to === 'needs_attention' || to === 'failed' ? st.lastError : undefined,
    });
  }

  /**
   * What an activity gets as `results`: the run's initial results (its request or plan) and those of
   * the steps in `reads` that completed. Activity inputs are payloads, each under Temporal's 2 MB limit:
   * handing every earlier result to every activity grew them with each step (see StepDefinition.reads).
   * Only the input's contents change, never a command, so runs recorded before replay unchanged.
   */
  protected resultsFor(reads: readonly StepRef[]): Record<string, unknown> {
    const picked: Record<string, unknown> = {};
    for (const key of Object.keys(this.options.initialResults ?? {})) picked[key] = this.state.results[key];
    for (const { name } of reads) if (this.state.results[name] !== undefined) picked[name] = this.state.results[name];
    return picked;
  }

  /** Persists one transition and refreshes search attributes (see TransitionLog.record). */
  protected record(t: Transition): Promise<void> {
    return this.log.record(t);
  }
}
