/**
 * Ops' decisions on a run: a step parked in `needs_attention` waits for `decideStep` (retry with a
 * fresh budget, skip with a reason where allowed, or cancel), and `cancelRun` cancels the whole run.
 * Each is validated, checked against the stored records where a cancellation is asked, then applied.
 */
import { ApplicationFailure, condition, isCancellation, patched } from '@temporalio/workflow';
import { FAILURES } from '../../domain/failures';
import type { CancelRequest, StepDecision } from './messages';
import type { RunState, StepState } from './state';
import { EngineCore } from './core';
import { cancelledByParent } from './failures';
import { SYSTEM } from './keys';
import { ENGINE_PATCHES } from './patches';

export abstract class OpsDecisions extends EngineCore {
  protected validateDecision(decision: StepDecision): void {
    const st = this.state.steps.find((s) => s.name === decision.step);
    if (!st) throw new Error(`step "${decision.step}" is not part of this run`);
    if (st.status !== 'needs_attention')
      throw new Error(`step "${decision.step}" is ${st.status}, not needs_attention`);
    if (this.pendingDecision || this.isCancelChecking)
      throw new Error(`a decision for step "${decision.step}" is already being applied`);
    if (decision.action === 'skip') {
      if (!this.options.steps.find((s) => s.name === decision.step)?.skippable)
        throw new Error(`step "${decision.step}" cannot be skipped`);
      if (!decision.reason?.trim()) throw new Error('reason is required to skip a step');
    }
  }

  protected async applyDecision(decision: StepDecision): Promise<RunState> {
    if (decision.action === 'cancel') await this.checkCancellable();
    this.pendingDecision = decision;
    await condition(() => this.pendingDecision !== decision);
    return this.state;
  }

  /** Parks the step in `needs_attention` until ops decide (or the run is cancelled); returns the decision. */
  protected async awaitDecision(st: StepState): Promise<StepDecision> {
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
      await this.record({
        step: st.name,
        from: 'needs_attention',
        to: 'retry_requested',
        actor: decision.actor,
        reason: decision.reason,
      });
    }
    return decision;
  }

  protected validateCancel(request: CancelRequest): void {
    if (!request.reason?.trim()) throw new Error('reason is required to cancel');
    if (this.finished) throw new Error(`run is already ${this.state.status}`);
    if (this.cancelRequest || this.isCancelChecking) throw new Error('cancellation is already in progress');
    const refusal = this.options.cancellationRefusal?.();
    if (refusal)
      throw ApplicationFailure.create({ type: FAILURES.BusinessRule.type, message: refusal, nonRetryable: true });
  }

  protected async requestCancel(request: CancelRequest): Promise<RunState> {
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
    if (refusal)
      throw ApplicationFailure.create({ type: FAILURES.BusinessRule.type, message: refusal, nonRetryable: true });
  }
}
