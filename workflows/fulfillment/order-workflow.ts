/**
 * One order, from closed-won to fulfilled: runs FULFILLMENT_STEPS on the step engine. Workflow id is
 * `order-<dealId>` (domain/closed-won.ts), so a deal can never become two orders.
 *
 * Answers `getState` (live state), `decideStep` (ops: retry/skip/cancel a stuck step) and `cancelRun`.
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { RunState } from '../engine/state';
import { StepEngine } from '../engine/run-steps';
import { CustomerId } from '../shared/search-attributes';
import { FULFILLMENT_STEPS } from './steps';

export async function orderFulfillment(event: ClosedWonEvent): Promise<RunState> {
  const { workflowId, startTime } = workflowInfo();
  upsertSearchAttributes([{ key: CustomerId, value: event.customer.id }]);
  const engine = new StepEngine({
    context: { kind: 'order', id: workflowId, orderId: workflowId, event, createdAt: startTime.toISOString() },
    steps: FULFILLMENT_STEPS,
  });
  const outcome = await engine.run();
  if (outcome === 'completed') await engine.setStatus('fulfilled');
  return engine.state;
}
