import { defineStep } from '../../engine/step';
import type { CheckedReturn } from '../../../activities/returns/types';

/**
 * Stores the request and checks it (domain/returns/policy checkReturnRequest) against the order's
 * delivered quantities minus its other returns, the window from the delivery date, returnable SKUs,
 * reason codes and lots; prices it at the invoiced unit prices. Refused: the run ends `rejected` with
 * every reason (ReturnRejected, never retried). Otherwise `approved` (value up to the policy's
 * auto-approval limit) or `pending_approval`. Idempotent: the row is an upsert.
 */
export const checkReturnStep = defineStep<CheckedReturn>({
  name: 'check-return',
  run: 'checkReturn',
  timeout: '1 minute',
  skippable: false,
});
