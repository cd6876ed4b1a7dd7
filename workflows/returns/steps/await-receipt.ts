import { defineStep } from '../../engine/step';
import type { ReturnReceipt } from '../../../activities/returns/types';

/** Input name the `receiveReturn` update delivers. */
export const RETURN_RECEIPT_INPUT = 'return-receipt';

/**
 * Waits for the parcel to arrive (`receiveReturn` with warehouse and time) and records it. SLA: ops
 * are told when nothing arrived within 30 days (SLA profile key `await-receipt`).
 */
export const awaitReceiptStep = defineStep<ReturnReceipt>({
  name: 'await-receipt',
  run: 'recordReturnReceipt',
  waitFor: { input: RETURN_RECEIPT_INPUT },
  timeout: '30s',
  sla: { within: '30 days', from: 'step.started', onBreach: 'notify-ops' },
  skippable: false,
});
