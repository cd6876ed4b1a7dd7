import { defineStep } from '../../engine/step';
import { applyCreditMemoStep } from './apply-credit-memo';
import { checkReturnStep } from './check-return';
import { issueCreditMemoStep } from './issue-credit-memo';

/** E-mails the credit memo (lines, fee, tax, total, where it went) to the billing contact, once. */
export const sendCreditMemoStep = defineStep({
  name: 'send-credit-memo',
  run: 'sendCreditMemo',
  reads: [checkReturnStep, issueCreditMemoStep, applyCreditMemoStep],
  timeout: '1 minute',
  skippable: true,
});
