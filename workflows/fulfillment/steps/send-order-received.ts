import { defineStep } from '../../engine/step';

/** "We received your order" to the billing contact, once per order. */
export const sendOrderReceivedStep = defineStep({
  name: 'send-order-received',
  run: 'sendOrderReceivedEmail',
  timeout: '30s',
  retry: { maximumAttempts: 5 },
  sla: { within: '15 minutes', from: 'order.created', onBreach: 'notify-ops' },
  skippable: true,
});
