import type { DunningStep } from '../../../domain/billing/dunning';
import { defineStep, type StepDefinition } from '../../engine/step';
import { dunningInputName, isDunningNeeded, staleReasonOf } from './dunning-inputs';

/**
 * One payment reminder of the dunning schedule (before due, on due, overdue +n days): waits for its
 * time, then e-mails the billing contact once. Not required once the invoice is settled; skipped, with
 * the reason, when stale (its moment passed before the invoice was sent); ops may skip it.
 */
export const reminderStep = (dunning: DunningStep): StepDefinition =>
  defineStep({
    name: `remind-${dunning.key.replace('+', '-')}`,
    run: 'sendDunningReminder',
    waitFor: { input: dunningInputName(dunning), when: isDunningNeeded, skipReason: staleReasonOf },
    timeout: '30s',
    skippable: true,
  });
