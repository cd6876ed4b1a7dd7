/**
 * One shipment of an order (per warehouse, per backorder release): pick, pack, book, ASN, dispatch,
 * proof of delivery, on the step engine. Started by the order workflow as a child; cancelling the
 * order before dispatch cancels it, and picked units go back to stock.
 */
import {
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/contract';
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { ShipmentBrief } from '../../activities/shipping/types';
import type { ProofOfDelivery } from '../../activities/shipping/types';
import { StepEngine } from '../engine/run-steps';
import type { RunState } from '../engine/state';
import { shipmentProgress } from '../fulfillment/messages';
import { recordDelivery } from './messages';
import { SHIPMENT_STEPS } from './steps';
import { DELIVERY_INPUT } from './steps/await-delivery';

const { claimCancellation } = proxyActivities<Pick<Activities, 'claimCancellation'>>({ startToCloseTimeout: '30s' });

export interface ShipmentRequest {
  orderId: string;
  event: ClosedWonEvent;
  plan: ShipmentBrief;
}

export async function shipmentFulfillment(request: ShipmentRequest): Promise<RunState> {
  const { workflowId, startTime, parent } = workflowInfo();
  let hasShipped = false;
  const engine = new StepEngine({
    context: {
      kind: 'shipment',
      id: workflowId,
      orderId: request.orderId,
      event: request.event,
      createdAt: startTime.toISOString(),
    },
    steps: SHIPMENT_STEPS,
    initialResults: { plan: request.plan },
    cancellationRefusal: () =>
      hasShipped ? `shipment ${workflowId} has shipped; a return is needed instead` : undefined,
    // The stored row knows before the workflow does (confirm-shipment marks it, then fails on the e-mail).
    cancellationCheck: () => claimCancellation({ orderId: request.orderId, shipmentId: workflowId }),
    onStatus: async (status) => {
      if (status === 'shipped') hasShipped = true;
      if (parent)
        await getExternalWorkflowHandle(parent.workflowId).signal(shipmentProgress, { shipmentId: workflowId, status });
    },
  });
  setHandler(
    recordDelivery,
    async (pod: ProofOfDelivery) => {
      engine.provideInput(DELIVERY_INPUT, pod);
      // Answer once the step is done, not as soon as the status reads delivered (the step then still
      // read running). Behind patched: runs recorded before answered on the status.
      const isStepAwaited = patched('delivery-answer-after-step');
      const isStepDone = () =>
        engine.state.steps.some((s) => s.name === 'await-delivery' && !['waiting', 'running'].includes(s.status));
      await condition(() => (!isStepAwaited && engine.state.status === 'delivered') || isStepDone());
      return engine.state;
    },
    {
      validator: (pod: ProofOfDelivery) => {
        if (!engine.waitingFor(DELIVERY_INPUT))
          throw new Error(`shipment ${workflowId} is ${engine.state.status}, not awaiting delivery`);
        if (!pod.signer?.trim()) throw new Error('signer is required');
        const lineNos = new Set(request.plan.lines.map((l) => l.lineNo));
        for (const e of pod.exceptions ?? []) {
          if (!lineNos.has(e.lineNo)) throw new Error(`exception for line ${e.lineNo}: not in shipment ${workflowId}`);
        }
      },
    },
  );
  const outcome = await engine.run();
  if (outcome === 'completed') await engine.setStatus('delivered');
  return engine.state;
}
