/** Workflow type names, used by the API and tests when starting runs by name. */
export const WORKFLOW_TYPES = {
  orderFulfillment: 'orderFulfillment',
  shipmentFulfillment: 'shipmentFulfillment',
} as const;
