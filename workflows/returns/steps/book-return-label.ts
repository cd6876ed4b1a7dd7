import { defineStep } from '../../engine/step';
import { checkReturnStep } from './check-return';

/**
 * Books the prepaid return label with the carrier that delivered, to the warehouse that shipped
 * (TMS adapter, keyed by `<returnId>:book-return-label`: a retry gets the same tracking number). Ops
 * may skip it when the customer ships back on their own account.
 */
export const bookReturnLabelStep = defineStep({
  name: 'book-return-label',
  run: 'bookReturnLabel',
  reads: [checkReturnStep],
  timeout: '1 minute',
  skippable: true,
});
