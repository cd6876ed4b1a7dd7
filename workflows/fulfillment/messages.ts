/** Updates and signals of the order workflow (and the shipments' progress it hears); imported by the workflows and the API. */
import type { RunStatus } from '../../domain/statuses';
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RunState } from '../engine/state';
import type { CreditDecision } from '../../activities/fulfillment/types';
import type { ClosedWonEvent } from '../../domain/closed-won';

/** Finance approves or rejects an order on credit hold. */
export const creditDecision = defineUpdate<RunState, [CreditDecision]>('creditDecision');

export interface HoldRequest {
  reason: string;
  actor: string;
}

/** Ops hold an order (no further step starts) and release it. */
export const holdOrder = defineUpdate<RunState, [HoldRequest]>('holdOrder');
export const releaseOrder = defineUpdate<RunState, [{ actor: string; reason?: string }]>('releaseOrder');

/** A scheduled receipt of a backordered SKU arrived: try to release backorders. */
export const receiptArrived = defineSignal<[{ receiptId: string; sku: string }]>('receiptArrived');

/** A shipment (child workflow) tells its order that its status changed. */
export const shipmentProgress = defineSignal<[{ shipmentId: string; status: RunStatus }]>('shipmentProgress');

export interface ShipToChange {
  shipTo: ClosedWonEvent['shipTo'];
  reason: string;
  actor: string;
}

/** Ops change the delivery address before the warehouse starts picking; carrier and dates are re-planned. */
export const changeShipTo = defineUpdate<RunState, [ShipToChange]>('changeShipTo');
