/** Every workflow the worker runs (the bundle's entry point). */
export { orderFulfillment } from './fulfillment/order-workflow';
export { shipmentFulfillment } from './shipping/shipment-workflow';
export { invoiceLifecycle } from './billing/invoice-workflow';
export { returnLifecycle } from './returns/return-workflow';
export { billingPeriodInvoicing } from './billing/period-workflow';
