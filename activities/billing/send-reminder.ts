/**
 * send-reminder: a payment reminder (before due, on due, overdue) to the billing contact, once per
 * dunning step (idempotency key `<invoice workflow>:<step>`); not sent once the invoice is settled.
 */
import type { DunningStep } from '../../domain/billing/dunning';
import { formatMoney } from '../../domain/money';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { sendMailOnce } from '../mail/send-once';
import { requestOf } from './draft-invoice';
import { billedReference } from './types';
import { openInvoice } from './open-invoice';

const SUBJECT: Record<DunningStep['kind'], string> = {
  'before-due': 'Payment reminder',
  'on-due': 'Payment due today',
  overdue: 'OVERDUE',
  escalation: 'ESCALATION',
};

export async function sendDunningReminder(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const step = input.input as DunningStep;
  const { row, balanceMinor, isSettled } = await openInvoice(deps, input.run.id);
  if (isSettled) return { data: { isSent: false, reason: `invoice is ${row.status}` } };
  const { event, orderId } = input.run;
  const due = row.dueDate!.toISOString().slice(0, 10);
  const when =
    step.offsetDays < 0
      ? `is due on ${due}`
      : step.offsetDays === 0
        ? `is due today (${due})`
        : `was due on ${due} and is ${step.offsetDays} days overdue`;
  await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId,
    template: `dunning-${step.kind}`,
    to: [event.customer.billingContact.email],
    subject: `${SUBJECT[step.kind]}: invoice ${row.invoiceNumber} (${formatMoney(balanceMinor, row.currency)} open)`,
    text: [
      `Dear ${event.customer.billingContact.name},`,
      '',
      `invoice ${row.invoiceNumber} for ${billedReference(requestOf(input))} ${when}; ${formatMoney(balanceMinor, row.currency)} is still open.`,
      `Please quote ${row.invoiceNumber} as the payment reference.`,
    ].join('\n'),
  });
  return { data: { isSent: true, dunningKey: step.key } };
}
