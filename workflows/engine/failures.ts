/** How the engine tells a cancelled or rejected run apart from a failing step, and describes failures. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { isBusinessFailureType } from '../../domain/failures';
import type { CancelRequest } from './messages';
import { SYSTEM } from './keys';

/** A cancellation that reaches the run through its scope, not through `cancelRun`: the parent cancelled it. */
export const cancelledByParent = (): CancelRequest => ({ reason: 'cancelled by the parent workflow', actor: SYSTEM });

export class RunCancelled extends Error {}
export class RunRejected extends Error {
  constructor(
    readonly failureType: string,
    message: string,
  ) {
    super(message);
  }
}

export function businessFailure(error: unknown): ApplicationFailure | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure && isBusinessFailureType(cause.type) ? cause : undefined;
}

export function describeError(error: unknown): string {
  let cause: unknown = error;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) return cause.type ? `${cause.type}: ${cause.message}` : cause.message;
  return cause instanceof Error ? cause.message : String(cause);
}
