import { defineStep } from '../../engine/step';
import { issueCreditMemoStep } from './issue-credit-memo';

/** Tells the CRM the deal had a return (milestone `returned`, once); the return is `completed`. */
export const notifyCrmReturnedStep = defineStep({
  name: 'notify-crm-returned',
  run: 'sendReturnedMilestone',
  reads: [issueCreditMemoStep],
  timeout: '30s',
  skippable: true,
});
