import type { DunningStep } from '../../../domain/billing/dunning';
import { defineStep, type StepDefinition } from '../../engine/step';
import { dunningInputName, isDunningNeeded, staleReasonOf } from './dunning-inputs';

/**
 * The end of dunning: finance is e-mailed once, the invoice is flagged escalated and the customer goes
 * on credit hold (the order credit check honours it). Not required once the invoice is settled.
 * Counted from the later of the due date and the actual send, so it is never stale in practice.
 */
export const escalationStep = (dunning: DunningStep): StepDefinition =>
  defineStep({
    name: 'escalate-invoice',
    run: 'escalateInvoice',
    waitFor: { input: dunningInputName(dunning), when: isDunningNeeded, skipReason: staleReasonOf },
    timeout: '30s',
    skippable: false,
  });
