/**
 * All activities, bound to their dependencies. The worker registers exactly this object; workflows see
 * only its type (activities/contract.ts).
 */
import type { ActivityDeps } from './deps';
import { heartbeating } from './heartbeat';
import type { SlaBreachInput, StepInput, TransitionRecord } from './contract';
import { recordTransition } from './engine/record-transition';
import { handleSlaBreach } from './engine/handle-sla-breach';
import { recordOrder } from './fulfillment/record-order';
import { sendOrderReceivedEmail } from './fulfillment/send-order-received';
import { validateOrder } from './fulfillment/validate-order';
import { checkCredit } from './fulfillment/credit-check';
import { applyCreditDecision } from './fulfillment/credit-approval';
import { releaseBackorders, releaseStock, replanShipments, reserveStock } from './fulfillment/reserve-stock';
import { cancelErpOrder, createErpOrder } from './fulfillment/create-erp-order';
import { sendCancellationNotice, sendOrderConfirmation } from './fulfillment/send-order-confirmation';
import { pickShipment, unpickShipment } from './shipping/pick-shipment';
import { packShipment } from './shipping/pack-shipment';
import { bookCarrier, cancelCarrierBooking } from './shipping/book-carrier';
import { sendAsn, sendAsnCancellation } from './shipping/send-asn';
import { confirmShipment } from './shipping/confirm-shipment';
import { recordDelivery } from './shipping/await-delivery';
import { cancelShipmentLines, claimCancellation } from './shipping/cancel-shipment';
import { draftInvoice, getBillingSettings, voidDraftInvoice } from './billing/draft-invoice';
import { issueInvoice } from './billing/issue-invoice';
import { postInvoiceToErp } from './billing/post-to-erp';
import { sendInvoice } from './billing/send-invoice';
import { sendDunningReminder } from './billing/send-reminder';
import { escalateInvoice } from './billing/escalate-invoice';
import { applyInvoicePayment, closeInvoice } from './billing/payments';
import { applyInvoiceCredit } from './billing/credits';
import { claimPeriodBilling, closePeriodBilling, queuePeriodBilling } from './billing/period-billing';
import { checkReturn } from './returns/check-return';
import { recordReturnDecision } from './returns/approve-return';
import { bookReturnLabel } from './returns/book-return-label';
import { recordReturnReceipt } from './returns/await-receipt';
import { recordReturnInspection } from './returns/inspect-return';
import { issueCreditMemo } from './returns/issue-credit-memo';
import { applyCreditMemo } from './returns/apply-credit-memo';
import { sendCreditMemo } from './returns/send-credit-memo';
import { sendReturnedMilestone } from './returns/notify-crm-returned';

type Bound<F> = F extends (deps: ActivityDeps, ...args: infer A) => infer R ? (...args: A) => R : never;
/** Binds an activity to its dependencies; it heartbeats while it runs (activities/heartbeat.ts). */
const bind = <F extends (deps: ActivityDeps, ...args: never[]) => unknown>(deps: ActivityDeps, fn: F) =>
  heartbeating(async (...args: unknown[]) =>
    (fn as unknown as (d: ActivityDeps, ...a: unknown[]) => unknown)(deps, ...args),
  ) as unknown as Bound<F>;

export function createActivities(deps: ActivityDeps) {
  return {
    // engine bookkeeping
    recordTransition: (t: TransitionRecord) => recordTransition(deps, t),
    handleSlaBreach: (b: SlaBreachInput) => handleSlaBreach(deps, b),
    // order steps
    recordOrder: heartbeating((i: StepInput) => recordOrder(deps, i)),
    sendOrderReceivedEmail: heartbeating((i: StepInput) => sendOrderReceivedEmail(deps, i)),
    validateOrder: bind(deps, validateOrder),
    checkCredit: bind(deps, checkCredit),
    applyCreditDecision: bind(deps, applyCreditDecision),
    reserveStock: bind(deps, reserveStock),
    releaseStock: bind(deps, releaseStock),
    releaseBackorders: bind(deps, releaseBackorders),
    replanShipments: bind(deps, replanShipments),
    createErpOrder: bind(deps, createErpOrder),
    cancelErpOrder: bind(deps, cancelErpOrder),
    sendOrderConfirmation: bind(deps, sendOrderConfirmation),
    sendCancellationNotice: bind(deps, sendCancellationNotice),
    // shipment steps
    pickShipment: bind(deps, pickShipment),
    unpickShipment: bind(deps, unpickShipment),
    packShipment: bind(deps, packShipment),
    bookCarrier: bind(deps, bookCarrier),
    cancelCarrierBooking: bind(deps, cancelCarrierBooking),
    sendAsn: bind(deps, sendAsn),
    sendAsnCancellation: bind(deps, sendAsnCancellation),
    confirmShipment: bind(deps, confirmShipment),
    recordDelivery: bind(deps, recordDelivery),
    // cancellation: what the stored shipments say, and a shipment cancelled on its own
    claimCancellation: bind(deps, claimCancellation),
    cancelShipmentLines: bind(deps, cancelShipmentLines),
    // billing: the order's hand-off, then the invoice steps and its updates
    getBillingSettings: bind(deps, getBillingSettings),
    draftInvoice: bind(deps, draftInvoice),
    voidDraftInvoice: bind(deps, voidDraftInvoice),
    issueInvoice: bind(deps, issueInvoice),
    postInvoiceToErp: bind(deps, postInvoiceToErp),
    sendInvoice: bind(deps, sendInvoice),
    sendDunningReminder: bind(deps, sendDunningReminder),
    escalateInvoice: bind(deps, escalateInvoice),
    applyInvoicePayment: bind(deps, applyInvoicePayment),
    closeInvoice: bind(deps, closeInvoice),
    applyInvoiceCredit: bind(deps, applyInvoiceCredit),
    // invoicing per period: the order queues shipments, the billing-period workflow claims them
    queuePeriodBilling: bind(deps, queuePeriodBilling),
    claimPeriodBilling: bind(deps, claimPeriodBilling),
    closePeriodBilling: bind(deps, closePeriodBilling),
    // return (RMA) steps
    checkReturn: bind(deps, checkReturn),
    recordReturnDecision: bind(deps, recordReturnDecision),
    bookReturnLabel: bind(deps, bookReturnLabel),
    recordReturnReceipt: bind(deps, recordReturnReceipt),
    recordReturnInspection: bind(deps, recordReturnInspection),
    issueCreditMemo: bind(deps, issueCreditMemo),
    applyCreditMemo: bind(deps, applyCreditMemo),
    sendCreditMemo: bind(deps, sendCreditMemo),
    sendReturnedMilestone: bind(deps, sendReturnedMilestone),
  };
}
