/** Shapes of the /v1 answers the console reads (api/views/*, api/routes/*). */

// The run state is the server's own type (workflows/engine/state.ts, no imports): a type-only import
// that the build erases, so a change to the state's shape is a compile error here too.
import type { RunState, StepState, StepStatus } from '../../workflows/engine/state';

export type { RunState, StepState, StepStatus };

export interface ShipmentView {
  shipmentId: string;
  warehouseId: string;
  status: string;
  lines: { lineNo: number; sku: string; quantity: number }[];
  carrierId: string | null;
  mode: string | null;
  trackingNumber: string | null;
  promisedShipDate: string | null;
  promisedDeliveryDate: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
}

export interface PickedLot {
  lotId: string;
  quantity: number;
  /** YYYY-MM-DD; null for a lot without expiry. */
  expiryDate: string | null;
}

/** The advance ship notice; `sentAt` is null while its e-mail is being sent or failing. */
export interface AdvanceShipNotice {
  reference: string;
  messageId: string | null;
  sentAt: string | null;
}

/** A line's on-time-in-full result, recorded at delivery. */
export interface LineOtif {
  isOnTime: boolean;
  isInFull: boolean;
  goodQuantity: number;
  promisedDate: string;
  deliveredDate: string;
}

export interface ProofOfDelivery {
  signer: string | null;
  deliveredAt: string | null;
  exceptions: { lineNo: number; type: string; quantity: number; note: string | null }[];
}

/** A shipment on the order page (api/views/shipment-view.ts shipmentDetailSchema): lots and OTIF per line, the notice, the proof of delivery. */
export interface ShipmentDetail extends Omit<ShipmentView, 'lines'> {
  lines: (ShipmentView['lines'][number] & { lots: PickedLot[]; otif: LineOtif | null })[];
  asn: AdvanceShipNotice | null;
  proofOfDelivery: ProofOfDelivery | null;
}

/** An invoice in a list, on the order page and in the customer 360 (api/views/invoice-view.ts invoiceSummarySchema). */
export interface InvoiceSummary {
  invoiceId: string;
  invoiceNumber: string | null;
  orderId: string;
  orderIds: string[];
  billingPeriod: string | null;
  customerId: string;
  status: string;
  currency: string;
  issueDate: string | null;
  dueDate: string | null;
  totalMinor: number;
  paidMinor: number;
  discountTakenMinor: number;
  creditedMinor: number;
  balanceMinor: number;
  amountDueMinor: number;
  amountDueWithDiscountMinor?: number;
  discountDeadline?: string;
  isEscalated: boolean;
  /** From the list filters (console-api); computed here when the API does not send it yet. */
  overdue?: boolean;
  daysOverdue?: number;
}

export interface ReturnSummary {
  returnId: string;
  orderId: string;
  status: string;
  valueMinor: number;
  currency: string;
  trackingNumber: string | null;
  requestedAt: string;
  receivedAt: string | null;
  creditMemo: { creditMemoNumber: string; totalMinor: number; refundMinor: number; status: string } | null;
  lines: { sku: string; lotId: string | null; quantity: number; reasonCode: string }[];
}

export interface OrderSummary {
  orderId: string;
  dealId: string;
  status: string;
  customer: { id: string; name: string };
  poNumber: string;
  currency: string;
  totalMinor: number;
  currentStep: string | null;
  needsAttention: boolean;
  slaBreached: boolean;
  createdAt: string;
  updatedAt: string;
  shipments: ShipmentView[];
  invoices: InvoiceSummary[];
  returns: ReturnSummary[];
  backorders: Backorder[];
}

export interface Backorder {
  lineNo: number;
  sku: string;
  warehouseId: string;
  quantity: number;
  availableDate: string;
  receiptId: string | null;
  status: string;
}

export interface OrderView extends Omit<OrderSummary, 'shipments'> {
  /** Also true while only one of its shipments has a step stuck. */
  needsAttention: boolean;
  shipments: ShipmentDetail[];
  workflow: RunState | null;
}

export interface Timeline {
  orderId: string;
  runs: { runId: string; state: RunState | null }[];
  events: {
    at: string;
    runId: string;
    step: string;
    from: string | null;
    to: string;
    attempt: number;
    actor: string;
    reason: string | null;
    error: string | null;
  }[];
  actions: { at: string; actor: string; action: string; reason: string | null; outcome: string }[];
}

export interface CrmDeliveries {
  milestones: {
    milestone: string;
    idempotencyKey: string;
    createdAt: string;
    deliveredAt: string | null;
    attempts: number;
    deliveries: {
      attempt: number;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
      attemptedAt: string;
    }[];
  }[];
}

export interface WorkQueueItem {
  objectType: 'order' | 'invoice' | 'return' | 'webhook';
  objectId: string;
  orderId?: string;
  customerId?: string;
  title: string;
  detail: string;
  at: string;
}

export interface WorkQueue {
  generatedAt: string;
  sections: { key: string; label: string; count: number; items: WorkQueueItem[] }[];
}
