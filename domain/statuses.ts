/**
 * The statuses of every kind of run, one vocabulary for the workflows (`RunState.status`), the API's
 * schemas and filters, and the rows that mirror them (`order`, `shipment`, `invoice`, `return_request`).
 * A status added here is a compile error wherever a switch or a set must learn it; a misspelt one is a
 * compile error everywhere.
 */

/** Every run starts here, before its first step records anything (an order's row keeps it). */
export const INITIAL_STATUS = 'received';
export type InitialStatus = typeof INITIAL_STATUS;

/** Order statuses after which nothing more happens to the order. */
export const FINAL_ORDER_STATUSES = [
  'fulfilled',
  'partially_fulfilled',
  'unfulfilled',
  'cancelled',
  'rejected',
] as const;

// A full list spreads its groups where its order allows, so a group cannot drift from it; a full list's
// order is the order the console's filters offer.
export const ORDER_STATUSES = [
  'received',
  'validated',
  'credit_hold',
  'credit_approved',
  'reserved',
  'backordered',
  'confirmed',
  'in_fulfillment',
  'partially_released',
  'partially_shipped',
  'shipped',
  'partially_delivered',
  'delivered',
  ...FINAL_ORDER_STATUSES,
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const SHIPMENT_STATUSES = [
  'planned',
  'picked',
  'packed',
  'booked',
  'shipped',
  'delivered',
  'cancelled',
  'rejected',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** Issued and not settled: a balance may be due (payable, agable, creditable). */
export const OPEN_INVOICE_STATUSES = ['issued', 'sent', 'partially_paid', 'overdue'] as const;

/** Closed without (full) payment: nothing more is posted to the ERP or sent for them. */
export const CLOSED_UNPAID_INVOICE_STATUSES = ['void', 'written_off', 'credited'] as const;

/** Statuses after which nothing more happens to an invoice. */
export const CLOSED_INVOICE_STATUSES = ['paid', ...CLOSED_UNPAID_INVOICE_STATUSES] as const;

// The open statuses are spelt out: paid stands among them in the order the filters offer.
export const INVOICE_STATUSES = [
  'draft',
  'issued',
  'sent',
  'partially_paid',
  'paid',
  'overdue',
  ...CLOSED_UNPAID_INVOICE_STATUSES,
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Returns that still wait on someone (approval, the goods, inspection or the credit). */
export const OPEN_RETURN_STATUSES = [
  'requested',
  'pending_approval',
  'approved',
  'label_booked',
  'received',
  'inspected',
  'credited',
] as const;

export const RETURN_STATUSES = [...OPEN_RETURN_STATUSES, 'completed', 'rejected', 'cancelled'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** The status of any run: what the step engine, which runs all four kinds, stores and reports. */
export type RunStatus = InitialStatus | OrderStatus | ShipmentStatus | InvoiceStatus | ReturnStatus;

/** Membership test that narrows: `isOneOf(OPEN_INVOICE_STATUSES, row.status)`. */
export function isOneOf<const S extends string>(set: readonly S[], status: string | null | undefined): status is S {
  return status != null && (set as readonly string[]).includes(status);
}
