/** The return's steps, in the order they run (workflows/returns/return-workflow.ts). */
import type { StepDefinition } from '../../engine/step';
import { checkReturnStep } from './check-return';
import { approveReturnStep } from './approve-return';
import { bookReturnLabelStep } from './book-return-label';
import { awaitReceiptStep } from './await-receipt';
import { inspectReturnStep } from './inspect-return';
import { issueCreditMemoStep } from './issue-credit-memo';
import { applyCreditMemoStep } from './apply-credit-memo';
import { sendCreditMemoStep } from './send-credit-memo';
import { notifyCrmReturnedStep } from './notify-crm-returned';

export const RETURN_STEPS: readonly StepDefinition[] = [
  checkReturnStep,
  approveReturnStep,
  bookReturnLabelStep,
  awaitReceiptStep,
  inspectReturnStep,
  issueCreditMemoStep,
  applyCreditMemoStep,
  sendCreditMemoStep,
  notifyCrmReturnedStep,
];
