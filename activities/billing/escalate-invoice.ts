/** escalate-invoice: the end of dunning: finance is told and the customer goes on credit hold, once. */
import type { DunningStep } from '../../domain/billing/dunning';
import { formatMoney } from '../../domain/money';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { sendMailOnce } from '../mail/send-once';
import { DUNNING_CREDIT_HOLD } from './payments';
import { openInvoice } from './open-invoice';

/** Escalation: finance hears about it and the customer goes on credit hold (new orders wait for finance). */
export async function escalateInvoice(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const step = input.input as DunningStep;
  const { row, balanceMinor, isSettled } = await openInvoice(deps, input.run.id);
  if (isSettled) return { data: { isEscalated: false, reason: `invoice is ${row.status}` } };
  const { event, orderId } = input.run;
  await deps.db.$transaction([
    deps.db.invoice.update({ where: { id: row.id }, data: { isEscalated: true } }),
    // A hold already in place (finance's, or another escalation's) keeps its source: a payment must
    // not lift a hold dunning did not set.
    deps.db.customer.updateMany({
      where: { id: row.customerId, isOnCreditHold: false },
      data: { isOnCreditHold: true, creditHoldSource: DUNNING_CREDIT_HOLD },
    }),
  ]);
  await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId,
    template: 'dunning-escalation',
    to: [deps.settings.financeEmail],
    subject: `ESCALATION: invoice ${row.invoiceNumber} (${event.customer.name}) ${step.offsetDays} days overdue; customer on credit hold`,
    text: [
      `Invoice ${row.invoiceNumber} of ${event.customer.name} (${row.customerId}), ${row.orderIds.length > 1 ? `orders ${row.orderIds.join(', ')}` : `order ${orderId}`}, was due ${row.dueDate!.toISOString().slice(0, 10)}.`,
      `Open balance: ${formatMoney(balanceMinor, row.currency)}. Reminders went unanswered.`,
      `The customer is now on credit hold: new orders wait for a finance decision.`,
      '',
      `Record a payment: POST ${deps.settings.publicUrl}/v1/invoices/${row.id}/payments`,
    ].join('\n'),
  });
  return { data: { isEscalated: true } };
}
