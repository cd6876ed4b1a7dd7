/**
 * The invoice's steps, in the order they run: draft, issue, ERP, send, then one step per dunning
 * reminder of the run's policy and the escalation (workflows/billing/invoice-dunning.ts wakes them).
 */
import type { DunningStep } from '../../../domain/billing/dunning';
import type { StepDefinition } from '../../engine/step';
import { draftInvoiceStep } from './draft-invoice';
import { issueInvoiceStep } from './issue-invoice';
import { postToErpStep } from './post-to-erp';
import { sendInvoiceStep } from './send-invoice';
import { reminderStep } from './send-reminder';
import { escalationStep } from './escalate-invoice';

export const ISSUE_STEPS: readonly StepDefinition[] = [
  draftInvoiceStep,
  issueInvoiceStep,
  postToErpStep,
  sendInvoiceStep,
];

export const invoiceSteps = (schedule: readonly DunningStep[]): readonly StepDefinition[] => [
  ...ISSUE_STEPS,
  ...schedule.map((d) => (d.kind === 'escalation' ? escalationStep(d) : reminderStep(d))),
];
