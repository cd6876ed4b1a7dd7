import { defineStep } from '../../engine/step';
import type { IssuedCreditMemo } from '../../../activities/returns/types';
import { checkReturnStep } from './check-return';
import { inspectReturnStep } from './inspect-return';

/**
 * Credits the accepted units (restocked, plus scrapped under a seller's-fault reason) at the invoiced
 * unit prices and tax rule, minus the policy's restocking fee (domain/billing/credit-memo), under the
 * next gapless CM number (invoice_counter row `credit-memo`, same transaction). Idempotent per return.
 * Nothing accepted: no memo, and the later steps stand down. SLA: within 2 days of inspection.
 */
export const issueCreditMemoStep = defineStep<IssuedCreditMemo>({
  name: 'issue-credit-memo',
  run: 'issueCreditMemo',
  reads: [checkReturnStep, inspectReturnStep],
  timeout: '1 minute',
  sla: { within: '2 days', from: 'step.started', onBreach: 'notify-ops' },
  skippable: false,
});
