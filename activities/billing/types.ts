/** What the invoice workflow and its activities hand each other (and the API shows). */
import type { Duration } from '@temporalio/common';
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { DunningPolicy } from '../../domain/billing/dunning';
import type { PaymentTerms } from '../../domain/billing/payment-terms';
import type { BillingPeriodKind } from '../../domain/billing/billing-period';
import { CLOSED_UNPAID_INVOICE_STATUSES, isOneOf } from '../../domain/statuses';

export { CLOSED_INVOICE_STATUSES, INVOICE_STATUSES, type InvoiceStatus } from '../../domain/statuses';

/** Closed without payment (void, written off, credited): nothing more is posted or sent for it. */
export const isClosed = (status: string) => isOneOf(CLOSED_UNPAID_INVOICE_STATUSES, status);

/** Default dunning: a reminder 3 days before due, one on the due date, +7, +15, +30, then escalation. */
export const DEFAULT_DUNNING_POLICY: DunningPolicy = {
  remindBeforeDays: [3],
  remindOnDueDate: true,
  overdueSteps: [7, 15, 30],
  escalateAfterDays: 30,
};

export interface DunningInput {
  policy?: DunningPolicy;
  /**
   * How long one dunning "day" lasts on the workflow's timers (default '1 day'). Tests use seconds;
   * the printed dates (issue, due, discount deadline) always follow the payment terms in calendar days.
   */
  dayLength?: Duration;
}

/** Input of the invoice workflow `invoice-<shipmentId>` (per shipment) or `invoice-<orderId>` (per order). */
export interface InvoiceRequest {
  orderId: string;
  event: ClosedWonEvent;
  /** The shipments billed, in order: their shipped quantities, carrier cost and OTIF. */
  shipmentIds: string[];
  /** Order lines at their validated (contract or list) price; empty on period invoices that bill orders by reference (`billed`). */
  prices: { lineNo: number; sku: string; unitPriceMinor: number }[];
  /** Resolved terms ("NET30", "2/10 NET30"): never CUSTOMER_DEFAULT. */
  paymentTerms: string;
  dunning?: DunningInput;
  /**
   * Period invoices closed before `billed` existed: every order billed, each with its own shipments,
   * prices, ship-to and freight terms (`orderId`, `event`, `prices` above are then the first order's,
   * `shipmentIds` all of them). A month of large orders made this pass Temporal's 2 MB payload limit.
   */
  orders?: BilledOrder[];
  /**
   * Period invoices: every order billed, by reference (`orderId`, `event` above are the first order's,
   * `shipmentIds` all of them). Each order's event and prices are read from its period_billing_item
   * rows (loadBilledOrders), so the request stays small however many orders the period bills.
   */
  billed?: BilledOrderRef[];
  /** Period invoices only: the billing period closed (label such as 2026-11). */
  period?: { label: string; closesAt: string };
}

/** One order's part of an invoice. */
export interface BilledOrder {
  orderId: string;
  event: ClosedWonEvent;
  shipmentIds: string[];
  prices: { lineNo: number; sku: string; unitPriceMinor: number }[];
}

/** One order of a period invoice by reference: who is billed and which shipments, not the order's lines. */
export interface BilledOrderRef {
  orderId: string;
  dealId: string;
  poNumber: string;
  shipmentIds: string[];
}

/**
 * The orders an invoice carries in full: the one order of a per-shipment or per-order invoice, or a
 * period's closed before `billed`. A request with `billed` carries none: see loadBilledOrders.
 */
export const billedOrdersOf = (request: InvoiceRequest): BilledOrder[] =>
  request.orders ?? [
    { orderId: request.orderId, event: request.event, shipmentIds: request.shipmentIds, prices: request.prices },
  ];

/** Who an invoice bills (order, deal, PO, shipments), whichever way the request carries its orders. */
export const billedOrderRefsOf = (request: InvoiceRequest): BilledOrderRef[] =>
  request.billed ??
  billedOrdersOf(request).map((o) => ({
    orderId: o.orderId,
    dealId: o.event.dealId,
    poNumber: o.event.poNumber,
    shipmentIds: o.shipmentIds,
  }));

/** How the invoice names what it bills in e-mails: "PO 4711" or "your orders of 2026-11 (PO 4711, PO 4712)". */
export const billedReference = (request: InvoiceRequest): string =>
  request.period
    ? `your orders of ${request.period.label} (${billedOrderRefsOf(request)
        .map((o) => `PO ${o.poNumber}`)
        .join(', ')})`
    : `PO ${request.event.poNumber}`;

/**
 * What draft-invoice reports: the totals. The computed lines are stored on the invoice row and read
 * from there (drafts recorded before carried them here too, which passed Temporal's 2 MB payload limit
 * on a period invoice of many large orders).
 */
export interface DraftedInvoice {
  invoiceId: string;
  customerId: string;
  currency: string;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  lineCount: number;
  taxRateBp: number;
  isTaxExempt: boolean;
}

export interface IssuedInvoice {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  discountDeadline?: string;
  terms: PaymentTerms;
  totalMinor: number;
  currency: string;
}

export interface PaymentRequest {
  amountMinor: number;
  /** 'YYYY-MM-DD': decides the early-payment discount. */
  receivedDate: string;
  /** Bank or remittance reference: a repeat is answered with the current state, unchanged. */
  reference: string;
}

export interface AppliedPayment {
  reference: string;
  amountMinor: number;
  receivedDate: string;
  discountAppliedMinor: number;
}

/** The invoice as the `getInvoice` query and the payment/void/write-off updates answer it. */
export interface InvoiceAccount {
  invoiceId: string;
  invoiceNumber?: string;
  orderId: string;
  status: string;
  currency?: string;
  issueDate?: string;
  dueDate?: string;
  discountDeadline?: string;
  totalMinor: number;
  paidMinor: number;
  discountTakenMinor: number;
  balanceMinor: number;
  payments: AppliedPayment[];
  /** Credit memos applied (applyCredit); absent on invoices that have none. */
  creditedMinor?: number;
  credits?: AppliedCredit[];
  isEscalated: boolean;
  /** True when the last payment's reference had already been applied: nothing changed. */
  duplicate?: boolean;
}

/** What escalate-invoice answers: escalated, or not because the invoice was settled first. */
export interface InvoiceEscalation {
  isEscalated: boolean;
  reason?: string;
}

export interface CloseRequest {
  reason: string;
  actor: string;
}

export interface BillingSettings {
  billOn: 'ship' | 'delivery';
  invoiceGrouping: 'per-shipment' | 'per-order' | 'per-period';
  /** For 'per-period': the customer's billing cycle. */
  billingPeriod: BillingPeriodKind;
}

/** A credit memo amount to take off an issued invoice's balance (applyCredit). */
export interface CreditRequest {
  creditMemoNumber: string;
  amountMinor: number;
}

export interface AppliedCredit {
  creditMemoNumber: string;
  amountMinor: number;
}
