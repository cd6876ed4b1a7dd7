import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { ClosedWonEvent } from '../../domain/closed-won';
import { orderIdForDeal } from '../../domain/closed-won';
import type { orderFulfillment } from '../../workflows/fulfillment/order-workflow';
import { WORKFLOW_TYPES } from '../../workflows/ids';

/**
 * Starts the order workflow for a deal, or finds the one already started: the workflow id is the
 * deal's, and a second start never creates a second run.
 */
export async function startOrderWorkflow(
  temporal: Client,
  taskQueue: string,
  event: ClosedWonEvent,
): Promise<{ workflowId: string; runId: string }> {
  const workflowId = orderIdForDeal(event.dealId);
  try {
    const handle = await temporal.workflow.start<typeof orderFulfillment>(WORKFLOW_TYPES.orderFulfillment, {
      taskQueue,
      workflowId,
      args: [event],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return { workflowId, runId: handle.firstExecutionRunId };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    const description = await temporal.workflow.getHandle(workflowId).describe();
    return { workflowId, runId: description.runId };
  }
}
