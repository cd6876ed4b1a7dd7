import { defineStep } from '../../engine/step';

/** Tells the CRM the deal had a return (milestone `returned`, once); the return is `completed`. */
export const notifyCrmReturnedStep = defineStep({ name: 'notify-crm-returned', run: 'sendReturnedMilestone', timeout: '30s', skippable: true });
