/** The order routes the detail screen's actions call, as GET /v1/me lists them for the key's role. */
export const ORDER_ACTIONS = {
  retry: 'POST /v1/orders/:orderId/steps/:step/retry',
  skip: 'POST /v1/orders/:orderId/steps/:step/skip',
  cancel: 'POST /v1/orders/:orderId/cancel',
  hold: 'POST /v1/orders/:orderId/hold',
  release: 'POST /v1/orders/:orderId/release',
  shipTo: 'PATCH /v1/orders/:orderId/ship-to',
  credit: 'POST /v1/orders/:orderId/credit-decision',
};

/** Statuses after which no order action is open. */
export const FINISHED = ['cancelled', 'rejected', 'fulfilled', 'delivered', 'completed'];

export const enc = encodeURIComponent;
