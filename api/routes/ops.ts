/**
 * Ops and finance control of running orders: decide stuck steps, cancel, hold and release, credit
 * decisions, proof of delivery, and arriving receipts that release backorders. Each answers the run's
 * new state, or 409/422 with the reason the workflow refused.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { executeUpdate } from '../workflow-calls';
import { problemSchema } from '../schemas';
import { runStateSchema } from '../views/order-view';
import { cancelRun, decideStep } from '../../workflows/engine/messages';
import { creditDecision, holdOrder, receiptArrived, recordDelivery, releaseOrder } from '../../workflows/fulfillment/messages';
import { ProblemError } from '../problems';

const orderParams = z.object({ orderId: z.string().min(1).max(100) });
const actor = z.string().trim().min(1).max(100).default('api').describe('who acts (recorded in the step events)');
const reason = z.string().trim().min(1, 'reason is required').max(1000);
const errors = { 400: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema, 503: problemSchema };

export const opsRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const t = deps.temporal;

  app.post('/orders/:orderId/steps/:step/retry', {
    schema: {
      tags: ['ops'], summary: 'Retry a step in needs_attention with a fresh retry budget',
      params: orderParams.extend({ step: z.string().min(1).max(80) }),
      body: z.object({ reason: z.string().max(1000).optional(), actor }).default({ actor: 'api' }),
      response: { 200: runStateSchema, ...errors },
    },
  }, async (req) => executeUpdate(t, req.params.orderId, decideStep, [{ step: req.params.step, action: 'retry', reason: req.body.reason, actor: req.body.actor }]));

  app.post('/orders/:orderId/steps/:step/skip', {
    schema: {
      tags: ['ops'], summary: 'Skip a step in needs_attention (only steps declared skippable; reason required)',
      params: orderParams.extend({ step: z.string().min(1).max(80) }),
      body: z.object({ reason, actor }),
      response: { 200: runStateSchema, ...errors },
    },
  }, async (req) => executeUpdate(t, req.params.orderId, decideStep, [{ step: req.params.step, action: 'skip', reason: req.body.reason, actor: req.body.actor }]));

  app.post('/orders/:orderId/cancel', {
    schema: {
      tags: ['ops'], summary: 'Cancel an order before shipment: compensations run in reverse (422 once shipped)',
      params: orderParams, body: z.object({ reason, actor }), response: { 200: runStateSchema, ...errors },
    },
  }, async (req) => executeUpdate(t, req.params.orderId, cancelRun, [{ reason: req.body.reason, actor: req.body.actor }]));

  app.post('/orders/:orderId/hold', {
    schema: { tags: ['ops'], summary: 'Hold an order: no further step starts', params: orderParams, body: z.object({ reason, actor }), response: { 200: runStateSchema, ...errors } },
  }, async (req) => executeUpdate(t, req.params.orderId, holdOrder, [{ reason: req.body.reason, actor: req.body.actor }]));

  app.post('/orders/:orderId/release', {
    schema: { tags: ['ops'], summary: 'Release a held order', params: orderParams, body: z.object({ reason: z.string().max(1000).optional(), actor }).default({ actor: 'api' }), response: { 200: runStateSchema, ...errors } },
  }, async (req) => executeUpdate(t, req.params.orderId, releaseOrder, [{ actor: req.body.actor, reason: req.body.reason }]));

  app.post('/orders/:orderId/credit-decision', {
    schema: {
      tags: ['finance'], summary: 'Approve or reject an order on credit hold',
      params: orderParams, body: z.object({ decision: z.enum(['approve', 'reject']), reason, actor }), response: { 200: runStateSchema, ...errors },
    },
  }, async (req) => executeUpdate(t, req.params.orderId, creditDecision, [req.body]));

  app.post('/orders/:orderId/delivery', {
    schema: {
      tags: ['ops'], summary: 'Proof of delivery for one shipment of the order',
      params: orderParams,
      body: z.object({
        shipmentId: z.string().min(1).max(120),
        signer: z.string().trim().min(1).max(200),
        deliveredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
        exceptions: z.array(z.object({
          lineNo: z.number().int().positive(),
          type: z.enum(['damaged', 'short', 'wrong-item']),
          quantity: z.number().int().positive(),
          note: z.string().max(500).optional(),
        })).max(500).default([]),
      }),
      response: { 200: runStateSchema, ...errors },
    },
  }, async (req) => {
    const { shipmentId, ...pod } = req.body;
    if (!shipmentId.startsWith(`${req.params.orderId}-S`)) throw new ProblemError('notFound', `shipment ${shipmentId} does not belong to order ${req.params.orderId}`);
    return executeUpdate(t, shipmentId, recordDelivery, [pod]);
  });

  app.post('/receipts', {
    schema: {
      tags: ['ops'], summary: 'A scheduled receipt arrived: stock goes up and waiting backorders are released',
      body: z.object({ receiptId: z.string().min(1).max(100) }),
      response: { 200: z.object({ receiptId: z.string(), sku: z.string(), warehouseId: z.string(), quantity: z.number(), notifiedOrders: z.array(z.string()) }), ...errors },
    },
  }, async (req) => {
    let arrived;
    try {
      arrived = await deps.wms!.receive(req.body.receiptId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message.startsWith('no scheduled receipt')) throw new ProblemError('notFound', message);
      throw error;
    }
    for (const orderId of arrived.waitingOrderIds) {
      await t.workflow.getHandle(orderId).signal(receiptArrived, { receiptId: req.body.receiptId, sku: arrived.sku });
    }
    return { receiptId: req.body.receiptId, sku: arrived.sku, warehouseId: arrived.warehouseId, quantity: arrived.quantity, notifiedOrders: arrived.waitingOrderIds };
  });
};
