/** What the fulfillment steps hand each other through `results` (and the API shows). */
import type { ValidatedOrderLine } from '../../domain/fulfillment/order-validation';
import type { SalesOrderLine } from '../../adapters/types';

export interface ValidatedOrder {
  lines: ValidatedOrderLine[];
  totalMinor: number;
  paymentTerms: string;
  slaProfileId: string;
  stepDurations: Record<string, string>;
  handlingBusinessDays: number;
  minShelfLifeDays: number;
  billOn: 'ship' | 'delivery';
}

export interface CreditCheck {
  isApproved: boolean;
  exposureMinor: number;
  creditLimitMinor: number;
  reason: string;
}

export interface ShipmentPlan {
  warehouseId: string;
  lines: { lineNo: number; sku: string; quantity: number }[];
  promisedShipDate: string;
  promisedDeliveryDate: string;
}

export interface BackorderPlan {
  lineNo: number;
  sku: string;
  quantity: number;
  warehouseId: string;
  availableDate: string;
  promisedShipDate: string;
  promisedDeliveryDate: string;
}

export interface Reservation {
  shipments: ShipmentPlan[];
  backorders: BackorderPlan[];
}

/** The ERP sales order of a deal: its number and confirmed lines with promised dates. */
export interface ErpOrder {
  erpOrderNumber: string;
  lines: SalesOrderLine[];
}

export interface CreditDecision {
  decision: 'approve' | 'reject';
  reason: string;
  actor: string;
}
