/**
 * Compensation: when a run is cancelled or rejected, the compensations of its done steps run in
 * reverse order (each after the step's own attempt has ended), then the run takes its final status.
 */
import { describeError } from './failures';
import { SYSTEM } from './keys';
import { StepRunner } from './step-runner';

export abstract class Compensations extends StepRunner {
  protected async compensate(
    outcome: 'cancelled' | 'rejected',
    reason: string | undefined,
    actor: string,
  ): Promise<void> {
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
        await this.record({
          step: step.name,
          from: st.status,
          to: 'compensation_failed',
          actor: SYSTEM,
          reason: st.lastError,
        });
      }
    }
    for (const st of this.state.steps) if (st.status === 'pending') st.status = 'cancelled';
    this.state.currentStep = undefined;
    await this.setStatus(outcome);
  }
}
