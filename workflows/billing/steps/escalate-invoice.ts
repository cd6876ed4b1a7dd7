import type { DunningStep } from '../../../domain/billing/dunning';
import { defineStep, type StepDefinition } from '../../engine/step';
import { dunningInputName, isDunningNeeded } from './dunning-inputs';

/**
 * The end of dunning: finance is e-mailed once, the invoice is flagged escalated and the customer goes
 * on credit hold (the order credit check honours it). Not required once the invoice is settled.
 */
export const escalationStep = (dunning: DunningStep): StepDefinition =>
  defineStep({
    name: 'escalate-invoice',
    run: 'escalateInvoice',
    waitFor: { input: dunningInputName(dunning), when: isDunningNeeded },
    timeout: '30s',
    skippable: false,
  });
