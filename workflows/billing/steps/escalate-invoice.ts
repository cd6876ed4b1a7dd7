import type { DunningStep } from '../../../domain/billing/dunning';
import type { InvoiceEscalation } from '../../../activities/billing/types';
import { defineStep, type StepDefinition, type StepRef } from '../../engine/step';
import { dunningInputName, isDunningNeeded, staleReasonOf } from './dunning-inputs';

/** The escalation as the invoice run reads its result, whichever dunning schedule declared it. */
export const ESCALATE_INVOICE: StepRef<InvoiceEscalation> = { name: 'escalate-invoice' };

/**
 * The end of dunning: finance is e-mailed once, the invoice is flagged escalated and the customer goes
 * on credit hold (the order credit check honours it). Not required once the invoice is settled.
 * Counted from the later of the due date and the actual send, so it is never stale in practice.
 */
export const escalationStep = (dunning: DunningStep): StepDefinition & StepRef<InvoiceEscalation> =>
  defineStep<InvoiceEscalation>({
    name: ESCALATE_INVOICE.name,
    run: 'escalateInvoice',
    waitFor: { input: dunningInputName(dunning), when: isDunningNeeded, skipReason: staleReasonOf },
    timeout: '30s',
    skippable: false,
  });
