import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { sendMailOnce } from '../mail/send-once';

/** Tells the customer's billing contact that the order arrived. Once per order (idempotency key). */
export async function sendOrderReceivedEmail(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { event, orderId } = input.run;
  const lines = event.lines.map((l, i) => `  ${i + 1}. ${l.sku} x ${l.quantity}`).join('\n');
  const sent = await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId,
    template: 'order-received',
    to: [event.customer.billingContact.email],
    subject: `We received your order ${event.poNumber} (${orderId})`,
    text: [
      `Dear ${event.customer.billingContact.name},`,
      '',
      `thank you: we received purchase order ${event.poNumber} for ${event.customer.name}.`,
      `Requested delivery date: ${event.requestedDeliveryDate}.`,
      '',
      'Lines:',
      lines,
      '',
      'We will confirm quantities and delivery dates shortly.',
    ].join('\n'),
  });
  return { data: { messageId: sent.messageId } };
}
