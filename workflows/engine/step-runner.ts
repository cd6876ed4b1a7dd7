/**
 * Runs one step: its SLA timer beside it, the wait for outside input where the step declares one, then
 * attempts of its activity until it completes, is skipped, or ends the run (rejected or cancelled). An
 * attempt whose retries are exhausted parks the step until ops decide.
 */
import {
  ActivityCancellationType,
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
} from '@temporalio/workflow';
import type { Duration, RetryPolicy } from '@temporalio/common';
import type { Activities, StepActivityName, StepInput, StepOutput } from '../../activities/contract';
import type { StepState } from './state';
import type { StepDefinition } from './step';
import { OpsDecisions } from './ops';
import { businessFailure, cancelledByParent, describeError, RunCancelled, RunRejected } from './failures';
import { idempotencyKeyOf, SYSTEM } from './keys';
import { ENGINE_PATCHES } from './patches';
import { startSla, type SlaTimer } from './sla';

const DEFAULT_RETRY: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 5,
};
/** Step activities heartbeat (activities/heartbeat.ts) well within this: a dead worker's attempt is noticed. */
const STEP_HEARTBEAT_TIMEOUT: Duration = '20s';

/** What the wait for a step's input came to: the input to run with, or the step is over without running. */
type Waited = { isStepOver: false; input: unknown } | { isStepOver: true };

export abstract class StepRunner extends OpsDecisions {
  protected async runStep(step: StepDefinition): Promise<void> {
    const st = this.stepState(step.name);
    if (step.waitFor?.when && !step.waitFor.when(this.state.results)) {
      await this.transition(st, 'not_required', SYSTEM);
      return;
    }
    const sla = this.startSla(step, st);
    try {
      const waited: Waited = step.waitFor ? await this.waitForInput(step, st) : { isStepOver: false, input: undefined };
      if (waited.isStepOver) return;
      for (;;) {
        if (await this.attempt(step, st, waited.input)) return;
      }
    } finally {
      await sla.settle();
    }
  }

  /** Waits for the step's outside input; the step may be over once it arrives (no longer needed, or skipped). */
  private async waitForInput(step: StepDefinition, st: StepState): Promise<Waited> {
    const waitFor = step.waitFor!;
    this.state.currentStep = step.name;
    st.startedAt ??= new Date().toISOString();
    await this.transition(st, 'waiting', SYSTEM);
    try {
      await this.waitUntil(() => this.inputs.has(waitFor.input));
    } catch (error) {
      // Otherwise the mirror keeps showing the step waiting for a person on a run that has ended.
      if (error instanceof RunCancelled && this.patches.recordsCancelledWait) {
        const { actor, reason } = this.cancelRequest!;
        await CancellationScope.nonCancellable(() => this.transition(st, 'cancelled', actor, reason));
      }
      throw error;
    }
    const input = this.inputs.get(waitFor.input);
    // Woken although the wait stopped mattering (e.g. a reminder once the invoice is paid): no activity.
    if (waitFor.when && !waitFor.when(this.state.results) && patched(ENGINE_PATCHES.rechecksWaitCondition)) {
      await this.transition(st, 'not_required', SYSTEM);
      return { isStepOver: true };
    }
    // Only inputs the caller marks (behind its own patch) carry a skip reason: older runs never take this path.
    const skipReason = waitFor.skipReason?.(input);
    if (skipReason) {
      st.skippedReason = skipReason;
      st.finishedAt = new Date().toISOString();
      await this.transition(st, 'skipped', SYSTEM, skipReason);
      return { isStepOver: true };
    }
    return { isStepOver: false, input };
  }

  /** One round of the step's activity (with its retry policy); true once the step is over, false to run it again. */
  private async attempt(step: StepDefinition, st: StepState, input: unknown): Promise<boolean> {
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
      const isRefused =
        output.status !== undefined &&
        this.options.acceptsStatus?.(output.status) === false &&
        patched(ENGINE_PATCHES.statusGuard);
      if (output.status && !isRefused) await this.setStatus(output.status);
      await this.transition(st, 'completed', SYSTEM);
      return true;
    } catch (error) {
      return this.handleFailure(step, st, error);
    }
  }

  /**
   * A failed round: the run is being cancelled, a business failure rejects it, anything else parks the
   * step for ops. True once the step is over (skipped), false to run it again; throws to end the run.
   */
  private async handleFailure(step: StepDefinition, st: StepState, error: unknown): Promise<boolean> {
    // A cancelled attempt that was waited for may end in its own failure (e.g. dispatch refused
    // because the order was cancelled first): the run is still being cancelled, not failing.
    const isRunCancelled =
      isCancellation(error) || (CancellationScope.current().consideredCancelled && this.patches.waitsForAttempt);
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
    if (decision.action === 'retry') return false;
    if (decision.action === 'skip') {
      st.skippedReason = decision.reason;
      st.finishedAt = new Date().toISOString();
      await this.transition(st, 'skipped', decision.actor, decision.reason);
      return true;
    }
    this.cancelRequest = { reason: decision.reason ?? 'cancelled by ops', actor: decision.actor };
    // Added after runs were recorded: old runs cancelled this way replay without this event.
    if (patched(ENGINE_PATCHES.recordsOpsCancelDecision)) {
      await CancellationScope.nonCancellable(() => this.transition(st, 'cancelled', decision.actor, decision.reason));
    }
    // Its attempts may have taken effect, and one the server timed out may still commit on a slow worker
    // (a zombie): its compensation undoes the one and fences the other out.
    if (this.patches.compensatesParkedStep) this.done.push(step);
    throw new RunCancelled();
  }

  protected async execute(
    step: StepDefinition,
    activity: StepActivityName,
    outsideInput?: unknown,
  ): Promise<StepOutput> {
    // A cancellation waits for the running attempt to finish (or to acknowledge it through its
    // heartbeat) instead of moving on to compensations while its effect may still be committing.
    // Behind patched: runs recorded before went on at once.
    const waitsForAttempt = this.patches.waitsForAttempt;
    const proxy = proxyActivities<Activities>({
      startToCloseTimeout: step.timeout ?? '1 minute',
      retry: { ...DEFAULT_RETRY, ...step.retry },
      ...(waitsForAttempt
        ? {
            cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            heartbeatTimeout: STEP_HEARTBEAT_TIMEOUT,
          }
        : {}),
    });
    const input: StepInput = {
      run: this.options.context,
      step: step.name,
      idempotencyKey: idempotencyKeyOf(step.name),
      // A compensation reads what its step did (e.g. the reservation to release): its own result too.
      results: this.resultsFor([...(step.reads ?? []), step]),
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

  /** Starts the step's SLA timer beside it (see sla.ts). */
  private startSla(step: StepDefinition, st: StepState): SlaTimer {
    return startSla(
      {
        context: this.options.context,
        state: this.state,
        slaWithin: (name, byDefault) => this.options.slaOverrides?.()[name] ?? byDefault,
        record: (t) => this.record(t),
      },
      step,
      st,
    );
  }
}
