/**
 * Dunning: payment reminders (before due, on due, overdue) to the billing contact and, at the end,
 * escalation to finance with the customer put on credit hold. Each e-mail once per dunning step
 * (idempotency key `<invoice workflow>:<step>`); a reminder due after the invoice was settled is not sent.
 */
import type { DunningStep } from '../../domain/billing/dunning';
import { openBalanceMinor } from '../../domain/billing/invoice-ledger';
import { formatMoney } from '../../domain/money';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { sendMailOnce } from '../mail/send-once';
import { requestOf } from './draft-invoice';
import { billedReference } from './types';
import { CLOSED_INVOICE_STATUSES, isOneOf } from '../../domain/statuses';
import { DUNNING_CREDIT_HOLD } from './payments';

const SUBJECT: Record<DunningStep['kind'], string> = {
  'before-due': 'Payment reminder',
  'on-due': 'Payment due today',
  overdue: 'OVERDUE',
  escalation: 'ESCALATION',
};

async function openInvoice(deps: ActivityDeps, invoiceId: string) {
  const row = await deps.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  const balanceMinor = Number(openBalanceMinor(row));
  const isSettled = isOneOf(CLOSED_INVOICE_STATUSES, row.status) || balanceMinor <= 0;
  return { row, balanceMinor, isSettled };
}

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
