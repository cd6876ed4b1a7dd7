/** What the return workflow, its activities and the API hand each other. */
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { ReturnRequestError, ReturnRequestLine } from '../../domain/returns/policy';
import type { CreditApplication, CreditMemo } from '../../domain/billing/credit-memo';

export type { ReturnRequestLine };

/** Input of the return workflow `return-<orderId>-<n>` (workflows/ids.ts returnIdFor). */
export interface ReturnRequestInput {
  returnId: string;
  orderId: string;
  /** The order's closed-won event (the `order.event` column): customer, contacts, ship-to. */
  event: ClosedWonEvent;
  /** When the customer asked (ISO date-time); its date is checked against the return window. */
  requestedAt: string;
  lines: ReturnRequestLine[];
  requestedBy?: string;
}

/** Ops' decision on a return above the auto-approval limit (approveReturn). */
export interface ReturnApproval {
  decision: 'approve' | 'reject';
  reason: string;
  actor: string;
}

/** The parcel arrived at a warehouse (receiveReturn). */
export interface ReturnReceipt {
  warehouseId: string;
  /** ISO date-time. */
  receivedAt: string;
}

/** Inspection per return line (inspectReturn): units back to stock, units scrapped; the rest is refused. */
export interface ReturnInspection {
  lines: { lineNo: number; restock: number; scrap: number }[];
  actor?: string;
}

/** Output of `check-return`. */
export interface CheckedReturn {
  decision: 'auto-approved' | 'needs-approval';
  valueMinor: number;
  currency: string;
  deliveredDate: string;
  /** Invoiced unit price and the invoice's tax rule per SKU: what the credit memo credits. */
  unitPrices: Record<string, number>;
  /** Per SKU, the rate its invoice line was taxed at; absent for lines invoiced before lines carried one. */
  taxRatesBp?: Record<string, number>;
  /** The first invoice's rate: for SKUs without a rate of their own. */
  taxRateBp: number;
  isTaxExempt: boolean;
  restockingFeeBp: number;
  creditScrapReasonCodes: string[];
  /** The warehouse and carrier of the delivery: the label's destination and carrier. */
  warehouseId: string;
  carrierId: string;
  /** SLA durations by step name from the customer's SLA profile. */
  stepDurations: Record<string, string>;
  lines: (ReturnRequestLine & { lineNo: number })[];
}

export interface ReturnRejection {
  errors: ReturnRequestError[];
}

/** Output of `issue-credit-memo` (undefined memo: nothing was accepted at inspection). */
export interface IssuedCreditMemo {
  creditMemoNumber?: string;
  memo?: CreditMemo;
  reason?: string;
}

/** Output of `apply-credit-memo`. */
export interface SpentCreditMemo {
  creditMemoNumber: string;
  applications: (CreditApplication & { invoiceNumber: string })[];
  refundMinor: number;
  refundReference?: string;
}

export { RETURN_STATUSES, type ReturnStatus } from '../../domain/statuses';
