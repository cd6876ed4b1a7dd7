import { defineStep } from '../../engine/step';
import type { InspectedReturn } from '../../../activities/returns/inspect-return';
import { awaitReceiptStep } from './await-receipt';
import { checkReturnStep } from './check-return';

/** Input name the `inspectReturn` update delivers. */
export const RETURN_INSPECTION_INPUT = 'return-inspection';

/**
 * Waits for the inspection (`inspectReturn`: restocked and scrapped units per line), records it and
 * puts restocked units back into stock and their lot in the same transaction; scrapped units stay out.
 * Idempotent (an inspection already recorded moves no stock). SLA: inspect within 5 days of receipt
 * (SLA profile key `inspect-return`), else ops are told.
 */
export const inspectReturnStep = defineStep<InspectedReturn>({
  name: 'inspect-return',
  run: 'recordReturnInspection',
  reads: [checkReturnStep, awaitReceiptStep],
  waitFor: { input: RETURN_INSPECTION_INPUT },
  timeout: '1 minute',
  sla: { within: '5 days', from: 'step.started', onBreach: 'notify-ops' },
  skippable: false,
});
