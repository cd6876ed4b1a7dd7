import { defineStep } from '../../engine/step';

/** Input name the `recordDelivery` update delivers. */
export const DELIVERY_INPUT = 'delivery';

/** Waits for proof of delivery (signer, time, exceptions); records on-time-in-full per line. */
export const awaitDeliveryStep = defineStep({
  name: 'await-delivery',
  run: 'recordDelivery',
  waitFor: { input: DELIVERY_INPUT },
  timeout: '30s',
  sla: { within: '10 days', from: 'step.started', onBreach: 'notify-ops' },
  skippable: false,
});
