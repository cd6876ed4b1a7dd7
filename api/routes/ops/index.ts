/**
 * Ops and finance control of running orders: decide stuck steps, cancel, hold and release, credit
 * decisions, proof of delivery, and arriving receipts that release backorders. Each answers the run's
 * new state, or 409/422 with the reason the workflow refused, and is written to the audit log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { registerStepDecisionRoutes } from '../step-decisions';
import { registerBulkRetry } from './bulk-retry';
import { registerDelivery, registerReceipts } from './deliveries';
import {
  registerCancelOrder,
  registerChangeShipTo,
  registerCreditDecision,
  registerHoldOrder,
  registerReleaseOrder,
} from './order-actions';
import { orderOrShipmentIdSchema, type OpsDeps } from './shared';

export const opsRoutes: FastifyPluginAsyncZod<{ deps: OpsDeps }> = async (app, { deps }) => {
  registerStepDecisionRoutes(app, deps, {
    runPath: '/orders/:orderId',
    idParam: 'orderId',
    idSchema: orderOrShipmentIdSchema,
    roles: ['ops'],
    tag: 'ops',
    summaries: {
      retry: 'Retry a step in needs_attention with a fresh retry budget',
      skip: 'Skip a step in needs_attention (only steps declared skippable; reason required)',
    },
    kinds: ['order', 'shipment'],
    noun: 'orders and shipments',
    targetType: 'order',
  });
  registerCancelOrder(app, deps);
  registerHoldOrder(app, deps);
  registerReleaseOrder(app, deps);
  registerChangeShipTo(app, deps);
  registerCreditDecision(app, deps);
  registerDelivery(app, deps);
  registerReceipts(app, deps);
  registerBulkRetry(app, deps);
};
