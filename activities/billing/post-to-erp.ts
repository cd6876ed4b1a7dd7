/** post-to-erp: the issued invoice posted to the ERP's receivables, once per invoice. */
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { issueInvoiceStep } from '../../workflows/billing/steps/issue-invoice';
import { openBalanceMinor } from '../../domain/billing/invoice-ledger';
import { FAILURES } from '../../domain/failures';
import { reverseClosedInvoice } from './payments';

/**
 * Posts the issued invoice's total to receivables once (the ERP answers a repeat with the same document),
 * closed or not: an issued number is booked, and the payments, credits and write-off already posted
 * against it must meet the invoice in the ERP's ledger, or its balance there goes negative (the
 * 40-order soak found a write-off accepted before this step ran: the ERP had neither entry).
 */
export async function postInvoiceToErp(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const issued = resultOf(input, issueInvoiceStep);
  const { erp } = deps.adapters;
  if (!erp.postReceivable) {
    throw ApplicationFailure.create({
      type: FAILURES.ErpUnsupported.type,
      message: 'the configured ERP adapter cannot post receivables',
      nonRetryable: true,
    });
  }
  const { erpDocumentNumber } = await erp.postReceivable(
    {
      customerId: input.run.event.customer.id,
      invoiceNumber: issued.invoiceNumber,
      kind: 'invoice',
      amountMinor: issued.totalMinor,
      currency: issued.currency,
    },
    input.idempotencyKey,
  );
  await deps.db.invoice.updateMany({
    where: { id: input.run.id, erpPostedAt: null },
    data: { erpPostedAt: new Date() },
  });
  // Voided or written off before this post or while it was in flight: closeInvoice read erpPostedAt
  // before it was set, so the reversal is ours (keyed like closeInvoice's, so it lands once either way).
  const after = await deps.db.invoice.findUniqueOrThrow({ where: { id: input.run.id } });
  if (after.status === 'void' || after.status === 'written_off') {
    await reverseClosedInvoice(deps, {
      invoiceId: after.id,
      customerId: after.customerId,
      invoiceNumber: issued.invoiceNumber,
      currency: issued.currency,
      status: after.status,
      balanceMinor: Number(openBalanceMinor(after)),
    });
  }
  return { data: { erpDocumentNumber } };
}
