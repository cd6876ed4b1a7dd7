/**
 * The order's steps, in the order they run. Adding a step: a new file in this folder and one line here
 * (with `patch` set when orders may already be running; see README "Adding a step"). Shipments run
 * after these, one child workflow each (workflows/shipping).
 */
import type { StepDefinition } from '../../engine/step';
import { recordOrderStep } from './record-order';
import { sendOrderReceivedStep } from './send-order-received';
import { validateOrderStep } from './validate-order';
import { creditCheckStep } from './credit-check';
import { creditApprovalStep } from './credit-approval';
import { reserveStockStep } from './reserve-stock';
import { createErpOrderStep } from './create-erp-order';
import { sendOrderConfirmationStep } from './send-order-confirmation';

export const FULFILLMENT_STEPS: readonly StepDefinition[] = [
  recordOrderStep,
  sendOrderReceivedStep,
  validateOrderStep,
  creditCheckStep,
  creditApprovalStep,
  reserveStockStep,
  createErpOrderStep,
  sendOrderConfirmationStep,
];
