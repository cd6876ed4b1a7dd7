/**
 * apply-credit-memo: spends the credit memo by a plan decided once (credit-plan.ts) on the customer's
 * open invoices oldest first, through each invoice workflow's `applyCredit` update (balances and
 * statuses stay owned by the invoice workflows), and refunds the rest through the ERP.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { formatMoney } from '../../domain/money';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { issueCreditMemoStep } from '../../workflows/returns/steps/issue-credit-memo';
import { applicationsOf, carryOutPlan, planOnce } from './credit-plan';
import { FAILURES } from '../../domain/failures';
import type { SpentCreditMemo } from './types';

/**
 * Spends the memo by its plan (credit-plan.ts): decided once, on the customer's open invoices oldest
 * due date first, each through its invoice workflow's `applyCredit` (keyed by the memo number), then
 * the rest refunded through the ERP under the memo's refund key. A retry carries out the stored plan,
 * so nothing is credited or refunded twice, even when an earlier attempt's credit closed an invoice.
 */
export async function applyCreditMemo(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const issued = resultOf(input, issueCreditMemoStep);
  if (!issued.creditMemoNumber || !issued.memo) return { data: { reason: issued.reason ?? 'no credit memo' } };
  const { creditMemoNumber, memo } = issued;
  const row = await deps.db.creditMemo.findUniqueOrThrow({ where: { creditMemoNumber } });
  if (row.status === 'applied' || row.status === 'refunded') {
    const spent: SpentCreditMemo = {
      creditMemoNumber,
      applications: row.applications as unknown as SpentCreditMemo['applications'],
      refundMinor: Number(row.refundMinor),
      refundReference: row.refundReference ?? undefined,
    };
    return { data: spent };
  }
  const client = Context.current().client;
  const customerId = input.run.event.customer.id;
  const spending = { creditMemoNumber, customerId, currency: memo.currency, totalMinor: memo.totalMinor };
  const plan = await carryOutPlan(deps, client, spending, await planOnce(deps, client, spending));

  const { refund } = plan;
  let refundReference: string | undefined;
  if (refund.amountMinor > 0) {
    const { erp } = deps.adapters;
    if (!erp.issueRefund) {
      throw ApplicationFailure.create({
        type: FAILURES.ReturnInvalid.type,
        message: `the configured ERP adapter cannot refund ${formatMoney(refund.amountMinor, memo.currency)} of ${creditMemoNumber}`,
        nonRetryable: true,
      });
    }
    ({ refundReference } = await erp.issueRefund(
      { customerId, creditMemoNumber, amountMinor: refund.amountMinor, currency: memo.currency },
      refund.idempotencyKey,
    ));
  }
  const applications = applicationsOf(plan);
  await deps.db.creditMemo.update({
    where: { creditMemoNumber },
    data: {
      status: refund.amountMinor > 0 ? 'refunded' : 'applied',
      applications: applications as unknown as object[],
      refundMinor: BigInt(refund.amountMinor),
      refundReference: refundReference ?? null,
    },
  });
  return {
    data: {
      creditMemoNumber,
      applications,
      refundMinor: refund.amountMinor,
      refundReference,
    } satisfies SpentCreditMemo,
  };
}
