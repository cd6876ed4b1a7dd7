/**
 * Ops and finance actions go through the workflows' Update handlers: the validator's refusal ("step is
 * completed, not needs_attention") becomes a 409 with that reason; a missing run a 404; an unreachable
 * Temporal a 503.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { BUSINESS_RULE } from '../domain/failures';
import type { UpdateDefinition } from '@temporalio/common';
import { ProblemError, type ProblemKind } from './problems';

export async function executeUpdate<Ret, Args extends [unknown]>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  /** Which problem a refusal is: a conflict with the run's state (409) unless this says otherwise. */
  classify: (reason: string) => ProblemKind = () => 'conflict',
): Promise<Ret> {
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(update as UpdateDefinition<Ret, [unknown]>, { args: args as [unknown] });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      // Updates cannot reach a closed run: tell "finished" apart from "never existed".
      const description = await temporal.workflow.getHandle(workflowId).describe().catch(() => undefined);
      if (description) throw new ProblemError('conflict', `${workflowId} has finished (${description.status.name.toLowerCase()}); nothing can change it now`);
      throw new ProblemError('notFound', `no run ${workflowId}`);
    }
    if (error instanceof WorkflowUpdateFailedError) {
      const reason = error.cause?.message ?? error.message;
      // Workflows mark refusals that are business rules (cancel after shipment) with this failure type.
      const isBusinessRule = error.cause instanceof ApplicationFailure && error.cause.type === BUSINESS_RULE;
      throw new ProblemError(isBusinessRule ? 'businessRule' : classify(reason), reason);
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/not found|already completed/i.test(message)) throw new ProblemError('conflict', `run ${workflowId} is closed: ${message}`);
    throw new ProblemError('dependencyDown', `Temporal did not accept the update: ${message}`);
  }
}
