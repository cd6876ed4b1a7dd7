import { defineStep } from '../../engine/step';

/** E-mails the credit memo (lines, fee, tax, total, where it went) to the billing contact, once. */
export const sendCreditMemoStep = defineStep({ name: 'send-credit-memo', run: 'sendCreditMemo', timeout: '1 minute', skippable: true });
