/**
 * Queries and updates every engine-run workflow answers. Defined once, imported by workflows and the API.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RunState } from './state';

export const getState = defineQuery<RunState>('getState');

export interface StepDecision {
  step: string;
  action: 'retry' | 'skip' | 'cancel';
  reason?: string;
  actor: string;
}

/** Ops' answer to a step in needs_attention: fresh attempts, skip (where allowed) or cancel the run. */
export const decideStep = defineUpdate<RunState, [StepDecision]>('decideStep');

export interface CancelRequest {
  reason: string;
  actor: string;
}

/** Cancel the whole run: compensations of completed steps run in reverse. */
export const cancelRun = defineUpdate<RunState, [CancelRequest]>('cancelRun');
