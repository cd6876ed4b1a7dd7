/**
 * Business failures: outcomes no retry can change (credit rejected, unknown SKU). Activities throw them
 * as non-retryable ApplicationFailures with one of these stable types; the step engine ends the run
 * (rejected, with compensations) instead of parking the step in needs_attention.
 */
export const BUSINESS_FAILURES = {
  OrderRejected: 'OrderRejected',
  CreditRejected: 'CreditRejected',
  ReturnRejected: 'ReturnRejected',
  /** Dispatch refused: the order (or the shipment) was cancelled first (activities/shipping). */
  ShipmentCancelled: 'ShipmentCancelled',
} as const;

export type BusinessFailureType = (typeof BUSINESS_FAILURES)[keyof typeof BUSINESS_FAILURES];

const TYPES = new Set<string>(Object.values(BUSINESS_FAILURES));

export const isBusinessFailureType = (type: string | undefined | null): type is BusinessFailureType =>
  type !== undefined && type !== null && TYPES.has(type);

/** Failure type of an update refused by a business rule (answered 422 by the API), not by the run's state. */
export const BUSINESS_RULE = 'BusinessRule';

/**
 * Refusals of the invoice workflow's updates (payment, void, write-off, credit). Thrown as
 * non-retryable ApplicationFailures with these types, by the validators and again by the handlers
 * (which re-check after waiting for the previous ledger change): any other error thrown inside a
 * handler would fail the workflow task on every retry. The API answers each with the status below.
 */
export const INVOICE_REFUSALS = {
  /** Not issued yet (a draft is cancelled, not voided or paid). */
  NotIssued: 'InvoiceNotIssued',
  /** Already paid, void, written off or credited: the state moved on. */
  Closed: 'InvoiceClosed',
  /** Payments applied: a void would lose them. */
  HasPayments: 'InvoiceHasPayments',
  /** Credit memos applied: a void would lose them. */
  HasCredits: 'InvoiceHasCredits',
  /** A credit memo larger than the open balance. */
  CreditExceedsBalance: 'CreditExceedsBalance',
  /** A field missing or malformed (the API's schemas catch these first). */
  InvalidRequest: 'InvalidInvoiceRequest',
} as const;

export type InvoiceRefusal = (typeof INVOICE_REFUSALS)[keyof typeof INVOICE_REFUSALS];

/** How the API answers an invoice refusal: 409 when the invoice's state moved on, 422 when a rule forbids it. */
export const INVOICE_REFUSAL_KINDS: Record<InvoiceRefusal, 'conflict' | 'businessRule'> = {
  InvoiceNotIssued: 'conflict',
  InvoiceClosed: 'conflict',
  InvoiceHasPayments: 'businessRule',
  InvoiceHasCredits: 'businessRule',
  CreditExceedsBalance: 'businessRule',
  InvalidInvoiceRequest: 'businessRule',
};
