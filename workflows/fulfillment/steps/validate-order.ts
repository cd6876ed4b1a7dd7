import { defineStep } from '../../engine/step';

/** Checks customer, currency, SKUs and prices against the ERP; a bad order is rejected with one reason per line. */
export const validateOrderStep = defineStep({
  name: 'validate-order',
  run: 'validateOrder',
  timeout: '30s',
  skippable: false,
  patch: 'fulfillment-v1',
});
