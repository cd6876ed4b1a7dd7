import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { createErpOrderStep } from '../../workflows/fulfillment/steps/create-erp-order';
import { reserveStockStep } from '../../workflows/fulfillment/steps/reserve-stock';
import { sendMailOnce } from '../mail/send-once';
import { formatMoney } from '../../domain/money';

/**
 * Order confirmation to the billing contact (and a backorder notice listing waiting lines and their
 * dates); the CRM hears `confirmed` (and `backordered`). Each e-mail and milestone once.
 */
export async function sendOrderConfirmation(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { event, orderId } = input.run;
  const erp = resultOf(input, createErpOrderStep);
  const plan = resultOf(input, reserveStockStep);
  const lines = erp.lines
    .map(
      (l) =>
        `  ${l.lineNo}. ${l.sku} x ${l.quantity} at ${formatMoney(l.unitPriceMinor, event.currency)}: ship ${l.promisedShipDate}, deliver by ${l.promisedDeliveryDate}${l.isBackordered ? ' (backordered)' : ''}`,
    )
    .join('\n');
  await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId,
    template: 'order-confirmation',
    to: [event.customer.billingContact.email],
    subject: `Order confirmation ${erp.erpOrderNumber} for PO ${event.poNumber}`,
    text: `Dear ${event.customer.billingContact.name},\n\nwe confirm your order ${erp.erpOrderNumber} (PO ${event.poNumber}):\n\n${lines}\n`,
  });
  await deps.adapters.crm.sendMilestone(
    { orderId, dealId: event.dealId, milestone: 'confirmed', detail: { erpOrderNumber: erp.erpOrderNumber } },
    `${input.idempotencyKey}:crm-confirmed`,
  );
  if (plan.backorders.length > 0) {
    const waiting = plan.backorders
      .map(
        (b) =>
          `  line ${b.lineNo}: ${b.sku} x ${b.quantity}, expected to ship ${b.promisedShipDate}, deliver by ${b.promisedDeliveryDate}`,
      )
      .join('\n');
    await sendMailOnce(deps, {
      idempotencyKey: `${input.idempotencyKey}:backorder`,
      orderId,
      template: 'backorder-notice',
      to: [event.customer.billingContact.email],
      subject: `Backorder notice for PO ${event.poNumber} (${erp.erpOrderNumber})`,
      text: `Dear ${event.customer.billingContact.name},\n\nthese lines are backordered:\n\n${waiting}\n\nWe ship them as soon as stock arrives.`,
    });
    await deps.adapters.crm.sendMilestone(
      { orderId, dealId: event.dealId, milestone: 'backordered', detail: { lines: plan.backorders } },
      `${input.idempotencyKey}:crm-backordered`,
    );
  }
  return { status: 'confirmed' };
}

/** Compensation of the confirmation: tells the customer and the CRM that the order is cancelled. */
export async function sendCancellationNotice(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { event, orderId } = input.run;
  await sendMailOnce(deps, {
    idempotencyKey: `${input.idempotencyKey}:cancelled`,
    orderId,
    template: 'order-cancelled',
    to: [event.customer.billingContact.email],
    subject: `Order for PO ${event.poNumber} cancelled (${orderId})`,
    text: `Dear ${event.customer.billingContact.name},\n\nyour order for PO ${event.poNumber} has been cancelled. Nothing was shipped or billed.`,
  });
  await deps.adapters.crm.sendMilestone(
    { orderId, dealId: event.dealId, milestone: 'cancelled', detail: {} },
    `${input.idempotencyKey}:crm-cancelled`,
  );
  return {};
}
