/**
 * What the parts of the order workflow share: the run they act on, and the order's own patches (never
 * rename one: recorded histories carry them).
 */
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { StepEngine } from '../engine/run-steps';

/** One order's run: its workflow id (`order-<dealId>`), the closed-won event it started from and its engine. */
export interface OrderRun {
  workflowId: string;
  /** Shared with the handlers: a ship-to change writes the new address here for later steps and shipments. */
  event: ClosedWonEvent;
  engine: StepEngine;
}

/** Asks ORDER_PATCHES at the start of the run (see orderFulfillment). */
export const ORDER_PATCHES_AT_START = 'order-patches-at-start';
/** The order's own patches that are asked after its start, where a transition record may precede them. */
export const ORDER_PATCHES = {
  creditDecisionRefusesOnCancel: 'credit-decision-refuses-on-cancel',
  billingHandoff: 'billing-handoff',
  periodBilling: 'period-billing',
  releasedShipmentsWaitForHold: 'released-shipments-wait-for-hold',
} as const;
