import { defineStep } from '../../engine/step';

/** Waits for proof of delivery (signer, time, exceptions); records on-time-in-full per line. */
export const awaitDeliveryStep = defineStep({
  name: 'await-delivery',
  run: 'recordDelivery',
  waitFor: { input: 'delivery' },
  timeout: '30s',
  sla: { within: '10 days', from: 'step.started', onBreach: 'notify-ops' },
  skippable: false,
});
