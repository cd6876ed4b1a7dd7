import { defineStep } from '../../engine/step';

/** Order value plus open receivables against the credit limit; over it, the order goes on credit hold. */
export const creditCheckStep = defineStep({
  name: 'credit-check',
  run: 'checkCredit',
  timeout: '30s',
  skippable: false,
  patch: 'fulfillment-v1',
});
