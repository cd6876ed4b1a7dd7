/**
 * The step engine: runs an ordered list of declared steps inside a workflow. Written once; step files
 * hold no control flow.
 *
 * For each step it records every transition (PostgreSQL step events + search attributes), runs the
 * step's activity with its retry policy, and
 * - parks the step in `needs_attention` when retries are exhausted, waiting for ops' `decideStep`
 *   update (retry with a fresh budget, skip with a reason where allowed, or cancel) instead of failing;
 * - ends the run as `rejected` on a business failure (never retried), running compensations;
 * - runs the step's SLA timer beside it; a breach is recorded and its action runs exactly once (the
 *   timer and the activity are in the workflow's history, so restarts do not repeat them);
 * - on `cancelRun`, stops the current step and runs compensations of done steps in reverse order. A
 *   running attempt is waited for (it finishes or acknowledges the cancellation through its heartbeat)
 *   before any compensation runs, so a compensation never races the effect it undoes.
 */
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration, RetryPolicy } from '@temporalio/common';
import { BUSINESS_RULE, isBusinessFailureType } from '../../domain/failures';
import type { Activities, RunContext, StepActivityName, StepInput, StepOutput, TransitionRecord } from '../../activities/contract';
import { cancelRun, decideStep, getState, type CancelRequest, type StepDecision } from './messages';
import type { RunState, StepState, StepStatus } from './state';
import type { StepDefinition } from './step';
import { CurrentStep, NeedsAttention, OrderStatus, SlaBreached } from '../shared/search-attributes';
import { durationToMs } from '../shared/duration';

const DEFAULT_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 };
const SYSTEM = 'system';
/** A cancellation that reaches the run through its scope, not through `cancelRun`: the parent cancelled it. */
const cancelledByParent = (): CancelRequest => ({ reason: 'cancelled by the parent workflow', actor: SYSTEM });
/** The key a step's activity (and its SLA action) is made idempotent with: one per run and step. */
const idempotencyKeyOf = (step: string): string => `${workflowInfo().workflowId}:${step}`;
/** Step activities heartbeat (activities/heartbeat.ts) well within this: a dead worker's attempt is noticed. */
const STEP_HEARTBEAT_TIMEOUT: Duration = '20s';

/** Transition records run one after another (runs started before it record concurrently). */
const SERIAL_RECORDS_PATCH = 'serial-transition-records';

/**
 * Every patch the engine asks is decided at the run's first transition record, before its local
 * activity. A patch first asked right after a record's local activity resolves is recorded in the
 * workflow task after the one holding the activity's marker whenever a query is answered while the
 * activity runs (core then completes the task with the marker and forces a new one: the chance grows
 * with load and with callers polling the run's state). A worker replaying that history resolves the
 * activity inside the first task, asks the patch before the marker of the next task is known, gets
 * false and fails with a nondeterminism error: every query of the run fails and a run evicted from the
 * cache never moves again. A return recorded `requested` before its first step, so all of its
 * patches came after a local activity. Runs started before this patch ask each where it is used.
 */
const PATCHES_AT_FIRST_RECORD = 'engine-patches-at-first-record';
const ENGINE_PATCHES = {
  waitsForAttempt: 'cancel-waits-for-running-step',
  holdsBeforeAfterSteps: 'hold-before-after-steps',
  recordsCancelledWait: 'record-cancelled-wait',
  rechecksWaitCondition: 'recheck-wait-condition',
  statusGuard: 'status-guard',
  recordsOpsCancelDecision: 'record-ops-cancel-decision',
  cancelChecksStoredState: 'cancel-checks-stored-state',
} as const;

const bookkeeping = proxyLocalActivities<Pick<Activities, 'recordTransition'>>({
  startToCloseTimeout: '30s',
  retry: { maximumInterval: '10s' },
});
const slaActions = proxyActivities<Pick<Activities, 'handleSlaBreach'>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

class RunCancelled extends Error {}
class RunRejected extends Error {
  constructor(readonly failureType: string, message: string) {
    super(message);
  }
}

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
  acceptsStatus?: (status: string) => boolean;
  /** Called after every change of the run's status (e.g. a shipment telling its order). */
  onStatus?: (status: string) => Promise<void>;
}

export class StepEngine {
  readonly state: RunState;
  private pendingDecision?: StepDecision;
  private cancelRequest?: CancelRequest;
  /** A cancellation is being checked against the stored records: a second one is refused meanwhile. */
  private isCancelChecking = false;
  private activeScope?: CancellationScope;
  private seq = 0;
  private readonly done: StepDefinition[] = [];
  /**
   * Patches of the engine's own behaviour, decided once before the first step. A patch first asked
   * right after a local activity can be asked in another workflow task on replay than when it was
   * recorded (a slow local activity ends the task before the workflow goes on), which replay reads as
   * a missing patch command. Runs recorded before a patch existed have no marker: false for good.
   */
  private patches = { waitsForAttempt: false, holdsBeforeAfterSteps: false, compensations: new Set<string>(), recordsCancelledWait: false };
  private published = '';
  /** Whether the first transition record asked for the engine's patches (see PATCHES_AT_FIRST_RECORD). */
  private hasAskedPatchesFirst = false;

  constructor(private readonly options: EngineOptions) {
    const now = new Date().toISOString();
    this.state = {
      id: options.context.id,
      status: 'received',
      needsAttention: false,
      slaBreached: false,
      createdAt: options.context.createdAt,
      updatedAt: now,
      steps: [],
      results: { ...options.initialResults },
    };
    setHandler(getState, () => this.state);
    setHandler(decideStep, (decision) => this.applyDecision(decision), { validator: (d) => this.validateDecision(d) });
    setHandler(cancelRun, (request) => this.requestCancel(request), { validator: (r) => this.validateCancel(r) });
  }

  private finished = false;
  private readonly inputs = new Map<string, unknown>();
  /** The last transition record in flight: the next one starts after it (see record). */
  private recording: Promise<void> = Promise.resolve();

  /** Delivers outside input to a step declared with `waitFor` (validated by the caller's handler). */
  provideInput(name: string, payload: unknown): void {
    this.inputs.set(name, payload);
  }

  /** Whether input `name` was delivered (a step may not have taken it up yet). */
  hasInput(name: string): boolean {
    return this.inputs.has(name);
  }

  /** The step waiting for input `name`, if it is waiting now. */
  waitingFor(name: string): StepState | undefined {
    const step = this.options.steps.find((s) => s.waitFor?.input === name);
    const st = step && this.state.steps.find((s) => s.name === step.name);
    return st?.status === 'waiting' ? st : undefined;
  }

  get isCancelling(): boolean {
    return this.cancelRequest !== undefined;
  }

  /** A cancellation is accepted or being checked: inputs that would race it (a credit decision) are refused. */
  get isCancelPending(): boolean {
    return this.cancelRequest !== undefined || this.isCancelChecking;
  }

  /** Why the run is being cancelled, once it is. */
  get cancellationReason(): string | undefined {
    return this.cancelRequest?.reason;
  }

  /** The run is over (completed, cancelled or rejected): nothing more happens in it. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** Ops hold: no further step starts until `release`. */
  async hold(reason: string, actor: string): Promise<void> {
    this.state.hold = { reason, actor, since: new Date().toISOString() };
    await this.record({ step: '*', from: this.state.status, to: 'on_hold', actor, reason });
  }

  async release(actor: string, reason?: string): Promise<void> {
    this.state.hold = undefined;
    await this.record({ step: '*', from: 'on_hold', to: this.state.status, actor, reason });
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
  async setStatus(status: string): Promise<void> {
    if (this.state.status === status) return;
    const from = this.state.status;
    this.state.status = status;
    await this.record({ step: '*', from, to: status, actor: SYSTEM });
    await this.options.onStatus?.(status);
  }

  /** Records an event that is not a step transition (e.g. an address change) in the step events. */
  async note(what: string, actor: string, reason?: string): Promise<void> {
    await this.record({ step: '*', from: this.state.status, to: what, actor, reason });
  }

  /** A StepInput for activities a workflow calls itself (outside the declared steps). */
  inputFor(step: string): StepInput {
    return { run: this.options.context, step, idempotencyKey: idempotencyKeyOf(step), results: this.state.results };
  }

  /**
   * Runs the steps in order, then `afterSteps` (e.g. starting shipments) under the same cancellation
   * and compensation rules; returns how the run ended.
   */
  async run(afterSteps?: () => Promise<void>): Promise<RunOutcome> {
    const steps = this.options.steps;
    for (const step of steps) {
      if (step.patch && !patched(step.patch)) continue; // the run started before this step existed
      this.state.steps.push({ name: step.name, status: 'pending', rounds: 0, slaBreached: false });
    }
    this.patches = {
      // A cancellation waits for the running attempt (see execute).
      waitsForAttempt: patched(ENGINE_PATCHES.waitsForAttempt),
      // Added after runs were recorded without it: those passed a hold before afterSteps.
      holdsBeforeAfterSteps: patched(ENGINE_PATCHES.holdsBeforeAfterSteps),
      // Compensations added after runs were recorded: runs cancelled before they existed replay without them.
      compensations: new Set(steps.filter((s) => s.compensatePatch && patched(s.compensatePatch)).map((s) => s.name)),
      // A step waiting for input when the run is cancelled is recorded cancelled (runs before left it waiting).
      recordsCancelledWait: patched(ENGINE_PATCHES.recordsCancelledWait),
    };
    try {
      for (const step of steps) {
        if (!this.state.steps.some((s) => s.name === step.name)) continue;
        if (this.cancelRequest) throw new RunCancelled();
        if (this.state.hold) await this.waitUntil(() => !this.state.hold);
        await this.runStep(step);
      }
      this.state.currentStep = undefined;
      if (afterSteps) {
        // The check shipped unpatched for a while: runs that carry the serial-records marker (added
        // after it, decided at their first record, so asking again adds no command) waited here too.
        const holdsHere = this.patches.holdsBeforeAfterSteps || patched(SERIAL_RECORDS_PATCH);
        if (this.state.hold && holdsHere) await this.waitUntil(() => !this.state.hold);
        const scope = new CancellationScope();
        this.activeScope = scope;
        try {
          await scope.run(afterSteps);
        } catch (error) {
          if (!isCancellation(error) && !this.cancelRequest) throw error;
          this.cancelRequest ??= cancelledByParent();
          throw new RunCancelled();
        } finally {
          this.activeScope = undefined;
        }
      }
      return 'completed';
    } catch (error) {
      if (error instanceof RunCancelled) {
        await CancellationScope.nonCancellable(() => this.compensate('cancelled', this.cancelRequest?.reason, this.cancelRequest?.actor ?? SYSTEM));
        return 'cancelled';
      }
      if (error instanceof RunRejected) {
        this.state.cancelReason = error.message;
        await CancellationScope.nonCancellable(() => this.compensate('rejected', error.message, SYSTEM));
        return 'rejected';
      }
      throw error;
    } finally {
      this.finished = true;
    }
  }

  private async runStep(step: StepDefinition): Promise<void> {
    const st = this.stepState(step.name);
    if (step.waitFor?.when && !step.waitFor.when(this.state.results)) {
      await this.transition(st, 'not_required', SYSTEM);
      return;
    }
    const sla = this.startSla(step, st);
    try {
      let input: unknown;
      if (step.waitFor) {
        const name = step.waitFor.input;
        this.state.currentStep = step.name;
        st.startedAt ??= new Date().toISOString();
        await this.transition(st, 'waiting', SYSTEM);
        try {
          await this.waitUntil(() => this.inputs.has(name));
        } catch (error) {
          // Otherwise the mirror keeps showing the step waiting for a person on a run that has ended.
          if (error instanceof RunCancelled && this.patches.recordsCancelledWait) {
            const { actor, reason } = this.cancelRequest!;
            await CancellationScope.nonCancellable(() => this.transition(st, 'cancelled', actor, reason));
          }
          throw error;
        }
        input = this.inputs.get(name);
        // Woken although the wait stopped mattering (e.g. a reminder once the invoice is paid): no activity.
        if (step.waitFor.when && !step.waitFor.when(this.state.results) && patched(ENGINE_PATCHES.rechecksWaitCondition)) {
          await this.transition(st, 'not_required', SYSTEM);
          return;
        }
        // Only inputs the caller marks (behind its own patch) carry a skip reason: older runs never take this path.
        const skipReason = step.waitFor.skipReason?.(input);
        if (skipReason) {
          st.skippedReason = skipReason;
          st.finishedAt = new Date().toISOString();
          await this.transition(st, 'skipped', SYSTEM, skipReason);
          return;
        }
      }
      for (;;) {
        st.rounds += 1;
        st.startedAt ??= new Date().toISOString();
        this.state.currentStep = step.name;
        await this.transition(st, 'running', SYSTEM);
        try {
          const output = await this.execute(step, step.run, input);
          this.state.results[step.name] = output.data ?? null;
          st.finishedAt = new Date().toISOString();
          this.done.push(step);
          // Status first: whoever waits for the step to complete then sees the run's new status too.
          // A step's status may be stale by the time it lands (an invoice paid while it was being
          // e-mailed must stay paid): the workflow can refuse it. Behind patched: older runs never refused.
          const isRefused = output.status !== undefined && this.options.acceptsStatus?.(output.status) === false && patched(ENGINE_PATCHES.statusGuard);
          if (output.status && !isRefused) await this.setStatus(output.status);
          await this.transition(st, 'completed', SYSTEM);
          return;
        } catch (error) {
          // A cancelled attempt that was waited for may end in its own failure (e.g. dispatch refused
          // because the order was cancelled first): the run is still being cancelled, not failing.
          const isRunCancelled = isCancellation(error) || (CancellationScope.current().consideredCancelled && this.patches.waitsForAttempt);
          if (isRunCancelled) this.cancelRequest ??= cancelledByParent();
          if (this.cancelRequest) {
            this.done.push(step); // may have taken effect before it was cancelled: compensate it too
            const { actor, reason } = this.cancelRequest;
            await CancellationScope.nonCancellable(() => this.transition(st, 'cancelled', actor, reason));
            throw new RunCancelled();
          }
          const failure = businessFailure(error);
          if (failure) {
            st.lastError = failure.message;
            await this.transition(st, 'failed', SYSTEM, failure.message);
            throw new RunRejected(failure.type ?? 'BusinessFailure', failure.message);
          }
          st.lastError = describeError(error);
          const decision = await this.awaitDecision(st);
          if (decision.action === 'retry') continue;
          if (decision.action === 'skip') {
            st.skippedReason = decision.reason;
            st.finishedAt = new Date().toISOString();
            await this.transition(st, 'skipped', decision.actor, decision.reason);
            return;
          }
          this.cancelRequest = { reason: decision.reason ?? 'cancelled by ops', actor: decision.actor };
          // Added after runs were recorded: old runs cancelled this way replay without this event.
          if (patched(ENGINE_PATCHES.recordsOpsCancelDecision)) {
            await CancellationScope.nonCancellable(() => this.transition(st, 'cancelled', decision.actor, decision.reason));
          }
          throw new RunCancelled();
        }
      }
    } finally {
      await sla.settle();
    }
  }

  private async execute(step: StepDefinition, activity: StepActivityName, outsideInput?: unknown): Promise<StepOutput> {
    // A cancellation waits for the running attempt to finish (or to acknowledge it through its
    // heartbeat) instead of moving on to compensations while its effect may still be committing.
    // Behind patched: runs recorded before went on at once.
    const waitsForAttempt = this.patches.waitsForAttempt;
    const proxy = proxyActivities<Activities>({
      startToCloseTimeout: step.timeout ?? '1 minute',
      retry: { ...DEFAULT_RETRY, ...step.retry },
      ...(waitsForAttempt ? { cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED, heartbeatTimeout: STEP_HEARTBEAT_TIMEOUT } : {}),
    });
    const input: StepInput = {
      run: this.options.context,
      step: step.name,
      idempotencyKey: idempotencyKeyOf(step.name),
      results: this.state.results,
      ...(outsideInput !== undefined ? { input: outsideInput } : {}),
    };
    const scope = new CancellationScope();
    this.activeScope = scope;
    try {
      return await scope.run(() => (proxy[activity] as (i: StepInput) => Promise<StepOutput>)(input));
    } finally {
      this.activeScope = undefined;
    }
  }

  private async awaitDecision(st: StepState): Promise<StepDecision> {
    this.state.needsAttention = true;
    await this.transition(st, 'needs_attention', SYSTEM, st.lastError);
    try {
      await condition(() => this.pendingDecision?.step === st.name || this.cancelRequest !== undefined);
    } catch (error) {
      if (!isCancellation(error)) throw error;
      this.cancelRequest ??= cancelledByParent();
    }
    const decision = this.pendingDecision ?? { step: st.name, action: 'cancel' as const, ...this.cancelRequest! };
    this.pendingDecision = undefined;
    this.state.needsAttention = false;
    if (decision.action === 'retry') {
      // Before the record: the update answers with this state, and a second retry is refused from here.
      st.status = 'retry_requested';
      await this.record({ step: st.name, from: 'needs_attention', to: 'retry_requested', actor: decision.actor, reason: decision.reason });
    }
    return decision;
  }

  /** Starts the step's SLA timer; `settle` cancels it if it has not fired, or waits for the breach handling. */
  private startSla(step: StepDefinition, st: StepState): { settle(): Promise<void> } {
    if (!step.sla) return { settle: async () => undefined };
    const within = this.options.slaOverrides?.()[step.name] ?? step.sla.within;
    const anchor = step.sla.from === 'order.created' ? Date.parse(this.state.createdAt) : Date.now();
    const deadline = anchor + durationToMs(within);
    st.slaDeadline = new Date(deadline).toISOString();
    const scope = new CancellationScope();
    let breach: Promise<void> | undefined;
    const timer = scope
      .run(() => sleep(Math.max(1, deadline - Date.now())))
      .then(
        () => {
          breach = this.breach(step, st);
        },
        (error) => {
          if (!isCancellation(error)) throw error;
        },
      );
    return {
      settle: async () => {
        if (!breach) scope.cancel();
        await timer;
        await breach;
      },
    };
  }

  private async breach(step: StepDefinition, st: StepState): Promise<void> {
    st.slaBreached = true;
    st.breachedAt = new Date().toISOString();
    this.state.slaBreached = true;
    await this.record({ step: step.name, from: st.status, to: 'sla_breached', actor: SYSTEM, reason: `deadline ${st.slaDeadline} missed` });
    await slaActions.handleSlaBreach({
      run: this.options.context,
      step: step.name,
      action: step.sla!.onBreach,
      deadline: st.slaDeadline!,
      stepStatus: st.status,
      idempotencyKey: `${idempotencyKeyOf(step.name)}:sla-breach`,
    });
  }

  private async compensate(outcome: 'cancelled' | 'rejected', reason: string | undefined, actor: string): Promise<void> {
    this.state.cancelReason = reason;
    for (const step of [...this.done].reverse()) {
      if (!step.compensate) continue;
      if (step.compensatePatch && !this.patches.compensations.has(step.name)) continue;
      const st = this.stepState(step.name);
      try {
        await this.execute({ ...step, retry: { maximumAttempts: 10 } }, step.compensate!);
        await this.transition(st, 'compensated', actor, reason);
      } catch (error) {
        st.lastError = `compensation failed: ${describeError(error)}`;
        this.state.needsAttention = true;
        await this.record({ step: step.name, from: st.status, to: 'compensation_failed', actor: SYSTEM, reason: st.lastError });
      }
    }
    for (const st of this.state.steps) if (st.status === 'pending') st.status = 'cancelled';
    this.state.currentStep = undefined;
    await this.setStatus(outcome);
  }

  private validateDecision(decision: StepDecision): void {
    const st = this.state.steps.find((s) => s.name === decision.step);
    if (!st) throw new Error(`step "${decision.step}" is not part of this run`);
    if (st.status !== 'needs_attention') throw new Error(`step "${decision.step}" is ${st.status}, not needs_attention`);
    if (this.pendingDecision || this.isCancelChecking) throw new Error(`a decision for step "${decision.step}" is already being applied`);
    if (decision.action === 'skip') {
      if (!this.options.steps.find((s) => s.name === decision.step)?.skippable) throw new Error(`step "${decision.step}" cannot be skipped`);
      if (!decision.reason?.trim()) throw new Error('reason is required to skip a step');
    }
  }

  private async applyDecision(decision: StepDecision): Promise<RunState> {
    if (decision.action === 'cancel') await this.checkCancellable();
    this.pendingDecision = decision;
    await condition(() => this.pendingDecision !== decision);
    return this.state;
  }

  private validateCancel(request: CancelRequest): void {
    if (!request.reason?.trim()) throw new Error('reason is required to cancel');
    if (this.finished) throw new Error(`run is already ${this.state.status}`);
    if (this.cancelRequest || this.isCancelChecking) throw new Error('cancellation is already in progress');
    const refusal = this.options.cancellationRefusal?.();
    if (refusal) throw ApplicationFailure.create({ type: BUSINESS_RULE, message: refusal, nonRetryable: true });
  }

  private async requestCancel(request: CancelRequest): Promise<RunState> {
    await this.checkCancellable();
    this.cancelRequest = request;
    this.activeScope?.cancel();
    await condition(() => this.finished || ['cancelled', 'rejected'].includes(this.state.status));
    return this.state;
  }

  /**
   * Asks the stored records whether the run may still be cancelled (the workflow's view can lag: a
   * shipment marked shipped whose step then failed); a yes is recorded there and binds: the
   * cancellation goes ahead. Refuses with a business rule; a second cancellation or decision, and any
   * input a caller gates on `isCancelPending`, is refused while the answer is awaited.
   */
  private async checkCancellable(): Promise<void> {
    if (!this.options.cancellationCheck || !patched(ENGINE_PATCHES.cancelChecksStoredState)) return;
    this.isCancelChecking = true;
    let refusal: string | undefined;
    try {
      refusal = await this.options.cancellationCheck();
    } finally {
      this.isCancelChecking = false;
    }
    refusal ??= this.finished ? `run is already ${this.state.status}` : undefined;
    if (refusal) throw ApplicationFailure.create({ type: BUSINESS_RULE, message: refusal, nonRetryable: true });
  }

  private stepState(name: string): StepState {
    const st = this.state.steps.find((s) => s.name === name);
    if (!st) throw new Error(`unknown step ${name}`);
    return st;
  }

  private async transition(st: StepState, to: StepStatus, actor: string, reason?: string): Promise<void> {
    const from = st.status;
    st.status = to;
    await this.record({ step: st.name, from, to, actor, reason, error: to === 'needs_attention' || to === 'failed' ? st.lastError : undefined });
  }

  /** Persists one transition (idempotent by workflow id + sequence) and refreshes search attributes. */
  private async record(t: { step: string; from: string | null; to: string; actor: string; reason?: string; error?: string }): Promise<void> {
    this.askPatchesFirst();
    this.state.updatedAt = new Date().toISOString();
    this.seq += 1;
    const record: TransitionRecord = {
      run: { kind: this.options.context.kind, id: this.options.context.id, orderId: this.options.context.orderId },
      workflowId: workflowInfo().workflowId,
      seq: this.seq,
      step: t.step,
      fromStatus: t.from,
      toStatus: t.to,
      attempt: t.step === '*' ? 0 : (this.state.steps.find((s) => s.name === t.step)?.rounds ?? 0),
      error: t.error ?? null,
      actor: t.actor,
      reason: t.reason ?? null,
      occurredAt: this.state.updatedAt,
      runStatus: this.state.status,
      currentStep: this.state.currentStep ?? null,
      needsAttention: this.state.needsAttention,
      slaBreached: this.state.slaBreached,
    };
    this.publishSearchAttributes();
    if (!patched(SERIAL_RECORDS_PATCH)) return bookkeeping.recordTransition(record);
    // One record in flight at a time. Two concurrent local activities (an ops update's and the main
    // loop's) resolve in separate activations while the run executes but in one when a worker replays
    // it, and the commands that follow them then come out in another order: a nondeterminism error.
    const recorded = this.recording.then(() => bookkeeping.recordTransition(record));
    this.recording = recorded.then(
      () => undefined,
      () => undefined,
    );
    await recorded;
  }

  /**
   * At the first record, before its local activity: asks every patch the engine (and its steps) uses,
   * so none is first asked after a local activity (PATCHES_AT_FIRST_RECORD). The answers are kept:
   * asking again where a patch is used adds no command, live or on replay.
   */
  private askPatchesFirst(): void {
    if (this.hasAskedPatchesFirst) return;
    this.hasAskedPatchesFirst = true;
    if (!patched(PATCHES_AT_FIRST_RECORD)) return;
    for (const step of this.options.steps) {
      if (step.patch) patched(step.patch);
      if (step.compensatePatch) patched(step.compensatePatch);
    }
    for (const name of Object.values(ENGINE_PATCHES)) patched(name);
  }

  private publishSearchAttributes(): void {
    const snapshot = JSON.stringify([this.state.status, this.state.currentStep, this.state.needsAttention, this.state.slaBreached]);
    if (snapshot === this.published) return;
    this.published = snapshot;
    upsertSearchAttributes([
      { key: OrderStatus, value: this.state.status },
      { key: CurrentStep, value: this.state.currentStep ?? null },
      { key: NeedsAttention, value: this.state.needsAttention },
      { key: SlaBreached, value: this.state.slaBreached },
    ]);
  }
}

function businessFailure(error: unknown): ApplicationFailure | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure && isBusinessFailureType(cause.type) ? cause : undefined;
}

function describeError(error: unknown): string {
  let cause: unknown = error;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) return cause.type ? `${cause.type}: ${cause.message}` : cause.message;
  return cause instanceof Error ? cause.message : String(cause);
}
