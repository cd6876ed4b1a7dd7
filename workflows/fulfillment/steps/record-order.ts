import { defineStep } from '../../engine/step';

/** Writes the order row (upsert by order id). Nothing to undo on cancellation: the row keeps the history. */
export const recordOrderStep = defineStep({
  name: 'record-order',
  run: 'recordOrder',
  timeout: '30s',
  retry: { maximumAttempts: 10 },
  skippable: false,
});
