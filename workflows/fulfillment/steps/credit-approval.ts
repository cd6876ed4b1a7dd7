import { defineStep, resultIn } from '../../engine/step';
import { creditCheckStep } from './credit-check';

/** Input name the `creditDecision` update delivers. */
export const CREDIT_DECISION_INPUT = 'credit-decision';

/**
 * On credit hold, waits for finance's `creditDecision` (approve, or reject: the order is cancelled and
 * sales told through the CRM). Finance has the SLA profile's time to decide, then it is escalated.
 */
export const creditApprovalStep = defineStep({
  name: 'credit-approval',
  run: 'applyCreditDecision',
  waitFor: {
    input: CREDIT_DECISION_INPUT,
    when: (results) => !resultIn(results, creditCheckStep)!.isApproved,
  },
  timeout: '30s',
  sla: { within: '2 days', from: 'step.started', onBreach: 'escalate' },
  skippable: false,
  patch: 'fulfillment-v1',
});
