/**
 * The order's steps, in the order they run. Adding a step: a new file in this folder and one line here
 * (with `patch` set when orders may already be running; see README "Adding a step").
 */
import type { StepDefinition } from '../../engine/step';
import { recordOrderStep } from './record-order';
import { sendOrderReceivedStep } from './send-order-received';

export const FULFILLMENT_STEPS: readonly StepDefinition[] = [
  recordOrderStep,
  sendOrderReceivedStep,
];
