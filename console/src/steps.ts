/** Step names of order and shipment runs (workflows/fulfillment, workflows/shipping), for pickers. */
export const ORDER_STEPS = [
  'validate-order',
  'record-order',
  'send-order-received',
  'credit-check',
  'credit-approval',
  'create-erp-order',
  'reserve-stock',
  'send-order-confirmation',
  'book-carrier',
  'pick-shipment',
  'pack-shipment',
  'confirm-shipment',
  'send-asn',
  'await-delivery',
  'await-receipt',
];

export const ORDER_STATUSES = [
  'received',
  'in_fulfillment',
  'partially_released',
  'shipped',
  'partially_delivered',
  'delivered',
  'fulfilled',
  'partially_fulfilled',
  'unfulfilled',
  'cancelled',
  'rejected',
];

/** Invoice run steps (workflows/billing): finance keys bulk-retry these. */
export const INVOICE_STEPS = [
  'draft-invoice',
  'issue-invoice',
  'post-to-erp',
  'send-invoice',
  'send-reminder',
  'escalate-invoice',
];
