import { defineStep } from '../../engine/step';
import { createErpOrderStep } from './create-erp-order';
import { reserveStockStep } from './reserve-stock';

/** Confirmation (and backorder notice) to the customer, `confirmed` to the CRM; a cancellation notice undoes it. */
export const sendOrderConfirmationStep = defineStep({
  name: 'send-order-confirmation',
  run: 'sendOrderConfirmation',
  reads: [createErpOrderStep, reserveStockStep],
  timeout: '30s',
  sla: { within: '1 day', from: 'order.created', onBreach: 'notify-ops' },
  skippable: true,
  compensate: 'sendCancellationNotice',
  patch: 'fulfillment-v1',
});
