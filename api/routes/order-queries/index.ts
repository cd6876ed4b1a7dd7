/**
 * Reading orders without scanning Temporal: lists and filters come from the order rows and step
 * events the workflows keep current; only the timeline adds the live state (SLA deadlines).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../app';
import { orderSummarySchema } from '../../views/order-view';
import { registerAuditLog } from './audit-log';
import { registerCrmDeliveries } from './crm-deliveries';
import { registerCustomerOrderList, registerOrderList } from './list';
import { registerOrderTimeline } from './timeline';

export { orderSummarySchema };
export { ORDER_SORTS } from './list';

export const orderQueryRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  registerOrderList(app, deps);
  registerCustomerOrderList(app, deps);
  registerOrderTimeline(app, deps);
  registerAuditLog(app, deps);
  registerCrmDeliveries(app, deps);
};
