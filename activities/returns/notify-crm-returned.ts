/** notify-crm-returned: the CRM milestone `returned`, once per return. */
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { issueCreditMemoStep } from '../../workflows/returns/steps/issue-credit-memo';
import type { IssuedCreditMemo } from './types';

/** CRM milestone `returned`, once; the return is complete. */
export async function sendReturnedMilestone(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const issued = resultOf(input, issueCreditMemoStep) as IssuedCreditMemo | undefined;
  await deps.adapters.crm.sendMilestone(
    {
      orderId: input.run.orderId,
      dealId: input.run.event.dealId,
      milestone: 'returned',
      detail: {
        returnId: input.run.id,
        creditMemoNumber: issued?.creditMemoNumber ?? null,
        creditMinor: issued?.memo?.totalMinor ?? 0,
        currency: input.run.event.currency,
      },
    },
    input.idempotencyKey,
  );
  return { status: 'completed' };
}
