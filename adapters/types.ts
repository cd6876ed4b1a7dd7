/**
 * The outside systems closedloop talks to, as interfaces. Built-in implementations keep the data in
 * PostgreSQL (adapters/<system>/builtin.ts) so closedloop runs standalone; HTTP implementations
 * (adapters/http/<system>.ts) call real systems. Every write takes an idempotency key.
 *
 * Compensations fence their effect. An attempt the Temporal server timed out may still be running on
 * a slow worker and commit after the workflow ran the step's compensation. So a compensation
 * (releaseOrder, unpick, releaseShipment, cancelSalesOrder, cancelBooking) must leave its effect
 * closed for good, also when it found nothing to undo yet: a later commit of that effect (reserve,
 * pick, createSalesOrder, book) with the same key or for the same order or shipment is refused, never
 * applied. The built-in adapters do this with a tombstone taken in the same transaction as the undo
 * (adapters/fence.ts) and refuse with the non-retryable `EffectCompensated`. HTTP adapters can only
 * send the key: a real system must honour it in the same way (adapters/http/*.ts say what they send).
 */
import type { AllocationResult } from '../domain/fulfillment/atp';
import type { CarrierRate } from '../domain/fulfillment/carrier';
import type { LotPick } from '../domain/fulfillment/lots';
import type { PackedShipment } from '../domain/fulfillment/packing';

export interface CustomerAccount {
  id: string;
  name: string;
  currency: string;
  creditLimitMinor: number;
  openReceivablesMinor: number;
  isOnCreditHold: boolean;
  paymentTerms: string;
  slaProfileId: string;
  minShelfLifeDays: number;
  billOn: 'ship' | 'delivery';
  isTaxExempt: boolean;
  isActive: boolean;
  salesRepEmail: string | null;
}

export interface SlaProfile {
  id: string;
  name: string;
  /** Temporal durations by step name ('4h', '2 days'): override the steps' defaults. */
  stepDurations: Record<string, string>;
  handlingBusinessDays: number;
  otifPenaltyBp: number;
}

export interface SkuRecord {
  sku: string;
  description: string;
  unitWeightGrams: number;
  hazardClass: string | null;
  isLotTracked: boolean;
  listPriceMinor: number;
  currency: string;
  leadTimeDays: number;
  isActive: boolean;
}

export interface PriceRecord {
  sku: string;
  unitPriceMinor: number;
  currency: string;
}

export interface SalesOrderLine {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  promisedShipDate: string;
  promisedDeliveryDate: string;
  isBackordered: boolean;
}

export interface ErpAdapter {
  getCustomer(customerId: string): Promise<CustomerAccount | undefined>;
  getSlaProfile(profileId: string): Promise<SlaProfile | undefined>;
  getSkus(skus: string[]): Promise<SkuRecord[]>;
  getContractPrices(customerId: string, skus: string[]): Promise<PriceRecord[]>;
  /** Creates the sales order once per order id; a repeat returns the same order number. */
  createSalesOrder(
    order: { orderId: string; customerId: string; poNumber: string; currency: string; lines: SalesOrderLine[] },
    idempotencyKey: string,
  ): Promise<{ erpOrderNumber: string }>;
  cancelSalesOrder(orderId: string, idempotencyKey: string): Promise<void>;
  /**
   * Posts one accounts-receivable entry once per idempotency key (a repeat returns the first document
   * number): an issued invoice (+ its total), a payment, a discount taken, a void or a write-off (-).
   * The customer's open receivables follow, so the credit check sees them. Optional until every ERP
   * adapter implements it; billing parks `post-to-erp` in needs_attention when it is missing.
   */
  postReceivable?(entry: ReceivableEntry, idempotencyKey: string): Promise<{ erpDocumentNumber: string }>;
  /**
   * Pays money back to the customer once per idempotency key (a repeat returns the first reference):
   * the part of a credit memo no open invoice could absorb. Optional like postReceivable: the return
   * parks `apply-credit-memo` in needs_attention when the ERP cannot refund.
   */
  issueRefund?(refund: RefundRequest, idempotencyKey: string): Promise<{ refundReference: string }>;
}

export interface RefundRequest {
  customerId: string;
  creditMemoNumber: string;
  /** Positive: what the customer receives. */
  amountMinor: number;
  currency: string;
}

export interface ReceivableEntry {
  customerId: string;
  invoiceNumber: string;
  kind: 'invoice' | 'payment' | 'discount' | 'void' | 'write_off' | 'credit';
  /** Signed: positive raises what the customer owes, negative lowers it. */
  amountMinor: number;
  currency: string;
}

export interface ReserveRequest {
  orderId: string;
  lines: { lineNo: number; sku: string; quantity: number }[];
  allowsPartialShipment: boolean;
  today: string;
  /** Days of shelf life the customer needs: lot-tracked SKUs promise only units in lots that have them. */
  minShelfLifeDays: number;
}

export interface ReleaseBackordersRequest {
  orderId: string;
  /** False: nothing is released until every waiting line can be (the order ships complete). */
  allowsPartialShipment: boolean;
  today: string;
  /** Days of shelf life the customer needs: stock of lot-tracked SKUs serves only from lots that have them. */
  minShelfLifeDays: number;
  /** Same for every attempt of one release, new for the next release: a repeat answers the first result. */
  idempotencyKey: string;
}

export interface ReceivedReceipt {
  sku: string;
  warehouseId: string;
  quantity: number;
  /** Orders with backorders of the SKU still open: each is told the receipt arrived. */
  waitingOrderIds: string[];
}

export interface PlannedShipment {
  shipmentId: string;
  warehouseId: string;
  lines: { lineNo: number; sku: string; quantity: number }[];
}

export interface PickRequest {
  shipmentId: string;
  orderId: string;
  warehouseId: string;
  lines: { lineNo: number; sku: string; quantity: number }[];
  minShelfLifeDays: number;
  today: string;
}

export interface ShipmentPicks {
  lines: { lineNo: number; sku: string; quantity: number; lots: LotPick[] }[];
}

export interface WmsAdapter {
  listHolidays(): Promise<string[]>;
  listWarehousePriority(): Promise<string[]>;
  /**
   * Allocates and reserves atomically (row locks): concurrent orders never oversell. Idempotent per
   * order: a repeat returns what the first call reserved.
   */
  reserve(request: ReserveRequest): Promise<AllocationResult>;
  /** Compensation: releases everything still reserved (not picked) and cancels backorders. */
  releaseOrder(orderId: string): Promise<void>;
  /**
   * Backordered lines whose stock arrived become reservations; returns the lines now reserved and the
   * backorders still open. Idempotent per `idempotencyKey`: a repeat returns the first result.
   */
  releaseBackorders(request: ReleaseBackordersRequest): Promise<AllocationResult>;
  /** FEFO lot picking; idempotent per shipment. Throws a business failure when lots cannot cover it. */
  pick(request: PickRequest): Promise<ShipmentPicks>;
  /** Compensation: puts a picked shipment's units back to their lots. */
  unpick(shipmentId: string): Promise<void>;
  /**
   * A shipment cancelled on its own (the order goes on): what is still reserved for its lines and not
   * picked goes back to available stock. Once per shipment; a repeat releases nothing.
   */
  releaseShipment(shipment: {
    shipmentId: string;
    orderId: string;
    warehouseId: string;
    lines: { lineNo: number; sku: string; quantity: number }[];
  }): Promise<void>;
  pack(shipmentId: string): Promise<PackedShipment>;
  /**
   * A scheduled receipt arrived: stock goes up and the units promised to backorders stay theirs
   * (reserved in the same transaction, so a new order cannot take them); returns the orders waiting for
   * that SKU. Idempotent per receipt.
   */
  receive(receiptId: string): Promise<ReceivedReceipt>;
}

export interface TmsAdapter {
  listRates(): Promise<CarrierRate[]>;
  /** Books the carrier once per shipment; a repeat returns the same tracking number. */
  book(
    booking: {
      shipmentId: string;
      carrierId: string;
      mode: string;
      weightGrams: number;
      packageCount: number;
      shipTo: object;
    },
    idempotencyKey: string,
  ): Promise<{ trackingNumber: string }>;
  /**
   * Compensation of `book`: the carrier is told the pickup is off. Idempotent; an unknown booking is
   * fine. `trackingNumber` is null when closedloop never learned one (the booking was cancelled
   * mid-step): the call still comes, so the TMS can refuse that shipment's booking if it lands later.
   */
  cancelBooking(booking: { shipmentId: string; trackingNumber: string | null }, idempotencyKey: string): Promise<void>;
  /**
   * Books a prepaid return label from the customer to our warehouse once per return; a repeat returns
   * the same tracking number and label.
   */
  bookReturnLabel(label: ReturnLabelRequest, idempotencyKey: string): Promise<ReturnLabel>;
}

export interface ReturnLabelRequest {
  returnId: string;
  orderId: string;
  /** The carrier that delivered the goods (the label is booked with it). */
  carrierId: string;
  /** Where the carrier collects: the order's ship-to address. */
  shipFrom: object;
  toWarehouseId: string;
  weightGrams: number;
}

export interface ReturnLabel {
  carrierId: string;
  trackingNumber: string;
  /** Where the customer downloads the label. */
  labelUrl: string;
}

export type CrmMilestoneName =
  | 'confirmed'
  | 'backordered'
  | 'shipped'
  | 'delivered'
  | 'cancelled'
  /** A shipment was cancelled on its own: its lines are cancelled, the rest of the order goes on. */
  | 'lines_cancelled'
  | 'rejected'
  | 'credit_rejected'
  | 'invoiced'
  | 'paid'
  | 'returned';

export interface CrmAdapter {
  /** Tells sales a milestone happened on the deal; once per idempotency key. */
  sendMilestone(
    milestone: { orderId: string; dealId: string; milestone: CrmMilestoneName; detail: Record<string, unknown> },
    idempotencyKey: string,
  ): Promise<void>;
}

export interface Adapters {
  erp: ErpAdapter;
  wms: WmsAdapter;
  tms: TmsAdapter;
  crm: CrmAdapter;
}
