/** Updates of the shipment workflow (`<orderId>-S<n>`); imported by the workflow and the API. */
import { defineUpdate } from '@temporalio/workflow';
import type { RunState } from '../engine/state';
import type { ProofOfDelivery } from '../../activities/shipping/types';

/** Proof of delivery for a shipment: the carrier's or the customer's signature, with any exceptions. */
export const recordDelivery = defineUpdate<RunState, [ProofOfDelivery]>('recordDelivery');
