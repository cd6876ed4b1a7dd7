/**
 * Transition recording: every change of a run or a step is persisted (PostgreSQL step events, through
 * a local activity) and mirrored into the run's search attributes.
 */
import { patched, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities, RunContext, TransitionRecord } from '../../activities/contract';
import type { RunState } from './state';
import type { StepDefinition } from './step';
import { CurrentStep, NeedsAttention, OrderStatus, SlaBreached } from '../shared/search-attributes';
import { ENGINE_PATCHES, PATCHES_AT_FIRST_RECORD, SERIAL_RECORDS_PATCH } from './patches';

const bookkeeping = proxyLocalActivities<Pick<Activities, 'recordTransition'>>({
  startToCloseTimeout: '30s',
  retry: { maximumInterval: '10s' },
});

export interface Transition {
  step: string;
  from: string | null;
  to: string;
  actor: string;
  reason?: string;
  error?: string;
}

export class TransitionLog {
  private seq = 0;
  private published = '';
  /** Whether the first transition record asked for the engine's patches (see PATCHES_AT_FIRST_RECORD). */
  private hasAskedPatchesFirst = false;
  /** The last transition record in flight: the next one starts after it (see record). */
  private recording: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: RunContext,
    private readonly steps: readonly StepDefinition[],
    private readonly state: RunState,
  ) {}

  /** Persists one transition (idempotent by workflow id + sequence) and refreshes search attributes. */
  async record(t: Transition): Promise<void> {
    this.askPatchesFirst();
    this.state.updatedAt = new Date().toISOString();
    this.seq += 1;
    const record: TransitionRecord = {
      run: { kind: this.context.kind, id: this.context.id, orderId: this.context.orderId },
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
    for (const step of this.steps) {
      if (step.patch) patched(step.patch);
      if (step.compensatePatch) patched(step.compensatePatch);
    }
    for (const name of Object.values(ENGINE_PATCHES)) patched(name);
  }

  private publishSearchAttributes(): void {
    const snapshot = JSON.stringify([
      this.state.status,
      this.state.currentStep,
      this.state.needsAttention,
      this.state.slaBreached,
    ]);
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
