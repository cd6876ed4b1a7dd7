/** The live state of a run: returned by the `getState` query and mirrored into PostgreSQL step events. */
import type { RunStatus } from '../../domain/statuses';

export type StepStatus =
  | 'pending'
  | 'running'
  | 'waiting'
  | 'not_required'
  | 'needs_attention'
  /** Ops asked for a retry; the step runs again next. */
  | 'retry_requested'
  | 'completed'
  | 'skipped'
  | 'failed'
  | 'compensated'
  | 'cancelled';

export interface StepState {
  name: string;
  status: StepStatus;
  /** Number of times ops or the engine started the activity afresh (each with its own retry budget). */
  rounds: number;
  lastError?: string;
  startedAt?: string;
  finishedAt?: string;
  slaDeadline?: string;
  slaBreached: boolean;
  breachedAt?: string;
  skippedReason?: string;
}

export interface RunState {
  /** The order (or invoice/return) this run is about; the workflow id. */
  id: string;
  status: RunStatus;
  currentStep?: string;
  needsAttention: boolean;
  slaBreached: boolean;
  createdAt: string;
  updatedAt: string;
  steps: StepState[];
  /** Outputs of completed steps, by step name. */
  results: Record<string, unknown>;
  cancelReason?: string;
  /** Set while ops hold the run: no new step starts. */
  hold?: { reason: string; actor: string; since: string };
}
