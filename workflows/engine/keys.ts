/** The names the engine stamps on what it does: its own actor, and the idempotency key of a step. */
import { workflowInfo } from '@temporalio/workflow';

/** The actor of transitions the engine makes itself. */
export const SYSTEM = 'system';

/** The key a step's activity (and its SLA action) is made idempotent with: one per run and step. */
export const idempotencyKeyOf = (step: string): string => `${workflowInfo().workflowId}:${step}`;
