import { defineStep } from '../../engine/step';
import type { ValidatedOrder } from '../../../activities/fulfillment/types';

/** Checks customer, currency, SKUs and prices against the ERP; a bad order is rejected with one reason per line. */
export const validateOrderStep = defineStep<ValidatedOrder>({
  name: 'validate-order',
  run: 'validateOrder',
  timeout: '30s',
  skippable: false,
  patch: 'fulfillment-v1',
});
