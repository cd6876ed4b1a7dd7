import { defineStep, resultIn } from '../../engine/step';
import { checkReturnStep } from './check-return';

/** Input name the `approveReturn` update delivers. */
export const RETURN_APPROVAL_INPUT = 'return-approval';

/**
 * A return worth more than the policy's auto-approval limit waits for ops' `approveReturn`: approved, or
 * the run ends `rejected` with the reason. Not required for auto-approved returns. SLA: ops are told
 * when nobody decided within 2 days (the SLA profile may override `approve-return`).
 */
export const approveReturnStep = defineStep({
  name: 'approve-return',
  run: 'recordReturnDecision',
  waitFor: {
    input: RETURN_APPROVAL_INPUT,
    when: (results) => resultIn(results, checkReturnStep)?.decision === 'needs-approval',
  },
  timeout: '30s',
  sla: { within: '2 days', from: 'step.started', onBreach: 'notify-ops' },
  skippable: false,
});
