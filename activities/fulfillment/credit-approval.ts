/** credit-approval: finance's decision on an order held for credit, applied once. */
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import type { CreditDecision } from './types';

/** Applies finance's decision: a rejection cancels the order (business failure) and tells sales. */
export async function applyCreditDecision(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const decision = input.input as CreditDecision;
  const { event, orderId } = input.run;
  if (decision.decision === 'reject') {
    await deps.adapters.crm.sendMilestone(
      {
        orderId,
        dealId: event.dealId,
        milestone: 'credit_rejected',
        detail: { reason: decision.reason, by: decision.actor },
      },
      `${input.idempotencyKey}:crm`,
    );
    throw ApplicationFailure.create({
      type: FAILURES.CreditRejected.type,
      message: `credit rejected by ${decision.actor}: ${decision.reason}`,
      nonRetryable: true,
    });
  }
  return { data: decision, status: 'credit_approved' };
}
