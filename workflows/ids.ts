/** Workflow type names, used by the API and tests when starting runs by name. */
export const WORKFLOW_TYPES = {
  orderFulfillment: 'orderFulfillment',
  shipmentFulfillment: 'shipmentFulfillment',
  invoiceLifecycle: 'invoiceLifecycle',
  returnLifecycle: 'returnLifecycle',
  billingPeriodInvoicing: 'billingPeriodInvoicing',
} as const;

/** Workflow id (and invoice id) of the invoice for one shipment (`invoice-<orderId>-S1`) or a whole order (`invoice-<orderId>`). */
export const invoiceIdFor = (shipmentOrOrderId: string): string => `invoice-${shipmentOrOrderId}`;

/** Workflow id (and return id) of an order's n-th return (1-based): `return-<orderId>-<n>`. */
export const returnIdFor = (orderId: string, n: number): string => `return-${orderId}-${n}`;

/** Workflow id of a 'per-period' customer's billing-period workflow. */
export const billingPeriodIdFor = (customerId: string): string => `billing-period-${customerId}`;
