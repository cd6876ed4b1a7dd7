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

/** Every order status, in the run's order (domain/statuses.ts): the orders list filters on any of them. */
export { ORDER_STATUSES } from '../../domain/statuses';

/** Invoice run steps (workflows/billing): finance keys bulk-retry these. */
export const INVOICE_STEPS = [
  'draft-invoice',
  'issue-invoice',
  'post-to-erp',
  'send-invoice',
  'send-reminder',
  'escalate-invoice',
];
