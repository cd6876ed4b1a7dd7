import { defineStep } from '../../engine/step';
import type { CreditCheck } from '../../../activities/fulfillment/types';
import { validateOrderStep } from './validate-order';

/** Order value plus open receivables against the credit limit; over it, the order goes on credit hold. */
export const creditCheckStep = defineStep<CreditCheck>({
  name: 'credit-check',
  run: 'checkCredit',
  reads: [validateOrderStep],
  timeout: '30s',
  skippable: false,
  patch: 'fulfillment-v1',
});
