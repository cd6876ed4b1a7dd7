/**
 * All activities, bound to their dependencies. The worker registers exactly this object; workflows see
 * only its type (activities/contract.ts).
 */
import type { ActivityDeps } from './deps';
import type { SlaBreachInput, StepInput, TransitionRecord } from './contract';
import { recordTransition } from './engine/record-transition';
import { handleSlaBreach } from './engine/handle-sla-breach';
import { recordOrder } from './orders/record-order';
import { sendOrderReceivedEmail } from './orders/send-order-received';
import { validateOrder } from './fulfillment/validate-order';
import { applyCreditDecision, checkCredit } from './fulfillment/credit';
import { releaseBackorders, releaseStock, reserveStock } from './fulfillment/reserve-stock';
import { cancelErpOrder, createErpOrder } from './fulfillment/erp-order';
import { sendCancellationNotice, sendOrderConfirmation } from './fulfillment/confirmation';
import {
  bookCarrier, confirmShipment, packShipment, pickShipment, recordDelivery, sendAsn, unpickShipment,
} from './shipping/shipment-activities';

type Bound<F> = F extends (deps: ActivityDeps, ...args: infer A) => infer R ? (...args: A) => R : never;
const bind = <F extends (deps: ActivityDeps, ...args: never[]) => unknown>(deps: ActivityDeps, fn: F) =>
  ((...args: unknown[]) => (fn as unknown as (d: ActivityDeps, ...a: unknown[]) => unknown)(deps, ...args)) as Bound<F>;

export function createActivities(deps: ActivityDeps) {
  return {
    // engine bookkeeping
    recordTransition: (t: TransitionRecord) => recordTransition(deps, t),
    handleSlaBreach: (b: SlaBreachInput) => handleSlaBreach(deps, b),
    // order steps
    recordOrder: (i: StepInput) => recordOrder(deps, i),
    sendOrderReceivedEmail: (i: StepInput) => sendOrderReceivedEmail(deps, i),
    validateOrder: bind(deps, validateOrder),
    checkCredit: bind(deps, checkCredit),
    applyCreditDecision: bind(deps, applyCreditDecision),
    reserveStock: bind(deps, reserveStock),
    releaseStock: bind(deps, releaseStock),
    releaseBackorders: bind(deps, releaseBackorders),
    createErpOrder: bind(deps, createErpOrder),
    cancelErpOrder: bind(deps, cancelErpOrder),
    sendOrderConfirmation: bind(deps, sendOrderConfirmation),
    sendCancellationNotice: bind(deps, sendCancellationNotice),
    // shipment steps
    pickShipment: bind(deps, pickShipment),
    unpickShipment: bind(deps, unpickShipment),
    packShipment: bind(deps, packShipment),
    bookCarrier: bind(deps, bookCarrier),
    sendAsn: bind(deps, sendAsn),
    confirmShipment: bind(deps, confirmShipment),
    recordDelivery: bind(deps, recordDelivery),
  };
}
