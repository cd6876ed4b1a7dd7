/**
 * credit-check: order value plus open receivables against the credit limit (and dunning's credit
 * hold). Over the limit the order goes on credit hold and finance is told.
 */
import { formatMoney } from '../../domain/money';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { validateOrderStep } from '../../workflows/fulfillment/steps/validate-order';
import { sendMailOnce } from '../mail/send-once';
import type { CreditCheck } from './types';

/**
 * Order value plus open receivables against the credit limit (and dunning's credit hold). Over the
 * limit the order goes on credit hold and finance is told; it then waits for their decision.
 */
export async function checkCredit(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { event, orderId } = input.run;
  const order = resultOf(input, validateOrderStep);
  const customer = (await deps.adapters.erp.getCustomer(event.customer.id))!;
  const exposureMinor = customer.openReceivablesMinor + order.totalMinor;
  const money = (m: number) => formatMoney(m, customer.currency);
  let reason = `exposure ${money(exposureMinor)} within limit ${money(customer.creditLimitMinor)}`;
  let isApproved = true;
  if (customer.isOnCreditHold) {
    isApproved = false;
    reason = 'customer is on credit hold (invoices over terms)';
  } else if (exposureMinor > customer.creditLimitMinor) {
    isApproved = false;
    reason = `exposure ${money(exposureMinor)} (open ${money(customer.openReceivablesMinor)} + order ${money(order.totalMinor)}) exceeds limit ${money(customer.creditLimitMinor)}`;
  }
  const check: CreditCheck = { isApproved, exposureMinor, creditLimitMinor: customer.creditLimitMinor, reason };
  if (!isApproved) {
    await sendMailOnce(deps, {
      idempotencyKey: `${input.idempotencyKey}:finance`,
      orderId,
      template: 'credit-hold',
      to: [deps.settings.financeEmail],
      subject: `Credit hold: ${orderId} (${event.customer.name}) needs a decision`,
      text: `${reason}.\n\nApprove or reject: POST ${deps.settings.publicUrl}/v1/orders/${orderId}/credit-decision`,
    });
  }
  return { data: check, status: isApproved ? 'credit_approved' : 'credit_hold' };
}
