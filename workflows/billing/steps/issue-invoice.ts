import { defineStep } from '../../engine/step';
import type { IssuedInvoice } from '../../../activities/billing/types';

/**
 * Gives the draft its gapless sequential number (counter row, same transaction), the issue date and
 * the due date and discount deadline from the payment terms; CRM `invoiced`. Idempotent: a retry keeps
 * the number. After this the run can no longer be cancelled: the invoice is voided or written off.
 */
export const issueInvoiceStep = defineStep<IssuedInvoice>({
  name: 'issue-invoice',
  run: 'issueInvoice',
  timeout: '1 minute',
  skippable: false,
});
