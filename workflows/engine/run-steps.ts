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
import { CancellationScope, isCancellation, patched, setHandler } from '@temporalio/workflow';
import type { StepInput } from '../../activities/contract';
import { cancelRun, decideStep, getState } from './messages';
import type { StepState } from './state';
import { Compensations } from './compensation';
import { type EngineOptions, type RunOutcome } from './core';
import { cancelledByParent, RunCancelled, RunRejected } from './failures';
import { idempotencyKeyOf, SYSTEM } from './keys';
import { ENGINE_PATCHES, SERIAL_RECORDS_PATCH } from './patches';
import { resultIn, type StepRef } from './step';

export type { EngineOptions, RunOutcome } from './core';

export class StepEngine extends Compensations {
  constructor(options: EngineOptions) {
    super(options);
    setHandler(getState, () => this.state);
    setHandler(decideStep, (decision) => this.applyDecision(decision), { validator: (d) => this.validateDecision(d) });
    setHandler(cancelRun, (request) => this.requestCancel(request), { validator: (r) => this.validateCancel(r) });
  }

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

  /** Records an event that is not a step transition (e.g. an address change) in the step events. */
  async note(what: string, actor: string, reason?: string): Promise<void> {
    await this.record({ step: '*', from: this.state.status, to: what, actor, reason });
  }

  /**
   * A StepInput for activities a workflow calls itself (outside the declared steps), carrying the
   * results of the steps in `reads` (see StepDefinition.reads).
   */
  inputFor(step: string, reads: readonly StepRef[] = []): StepInput {
    return { run: this.options.context, step, idempotencyKey: idempotencyKeyOf(step), results: this.resultsFor(reads) };
  }

  /** The result of a completed step, typed by its declaration; undefined until it completes (or when skipped). */
  resultOf<R>(step: StepRef<R>): R | undefined {
    return resultIn(this.state.results, step);
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
      // A step cancelled while parked is compensated (runs before left its effect, or a zombie's, in place).
      compensatesParkedStep: patched(ENGINE_PATCHES.compensatesParkedStep),
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
        await CancellationScope.nonCancellable(() =>
          this.compensate('cancelled', this.cancelRequest?.reason, this.cancelRequest?.actor ?? SYSTEM),
        );
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
}
