import { defineStep } from '../../engine/step';
import type { SpentCreditMemo } from '../../../activities/returns/types';
import { checkReturnStep } from './check-return';
import { issueCreditMemoStep } from './issue-credit-memo';

/**
 * Spends the credit memo on the customer's open invoices, oldest due date first, through each invoice
 * workflow's `applyCredit` update (keyed by the memo number), and refunds the rest through the ERP
 * adapter (`issueRefund`, keyed). Idempotent: a retry re-reads what the invoices already took.
 */
export const applyCreditMemoStep = defineStep<SpentCreditMemo | { reason: string }>({
  name: 'apply-credit-memo',
  run: 'applyCreditMemo',
  reads: [checkReturnStep, issueCreditMemoStep],
  timeout: '2 minutes',
  skippable: false,
});
