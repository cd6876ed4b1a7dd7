import { defineStep } from '../../engine/step';
import type { DraftedInvoice } from '../../../activities/billing/types';

/**
 * Computes the invoice from the shipments (shipped quantities x order prices, freight by the freight
 * terms, hazmat handling, tax or exemption, OTIF deductions) and stores it as a draft. Recomputing
 * overwrites only a draft. Compensation: a run cancelled before issue voids the draft.
 */
export const draftInvoiceStep = defineStep<DraftedInvoice>({
  name: 'draft-invoice',
  run: 'draftInvoice',
  timeout: '1 minute',
  skippable: false,
  compensate: 'voidDraftInvoice',
});
