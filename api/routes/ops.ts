/**
 * Ops and finance control of running orders: decide stuck steps, cancel, hold and release, credit
 * decisions, proof of delivery, and arriving receipts that release backorders. Each answers the run's
 * new state, or 409/422 with the reason the workflow refused, and is written to the audit log.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { executeUpdate, signalWorkflow } from '../workflow-calls';
import { orderIdSchema, RUN_PROBLEMS, stepNameSchema } from '../schemas';
import { queryRunState, runStateSchema } from '../views/order-view';
import { cancelRun, decideStep } from '../../workflows/engine/messages';
import {
  changeShipTo,
  creditDecision,
  holdOrder,
  receiptArrived,
  recordDelivery,
  releaseOrder,
} from '../../workflows/fulfillment/messages';
import { closedWonEventSchema } from '../../domain/closed-won';
import { ProblemError } from '../problems';
import { actorOf, audited } from '../audit';
import type { WmsAdapter } from '../../adapters/types';
import type { Role } from '../auth/api-keys';
import { refuseWrongKind, requireRunKind, runKindOf, RUN_KINDS, type RunKind } from '../run-kind';

const runParams = z.object({
  orderId: orderIdSchema.describe('order id, or a shipment id (<orderId>-S<n>) for shipment steps'),
});
const reason = z.string().trim().min(1, 'reason is required').max(1000);
const errors = RUN_PROBLEMS;
/** Recorded on a step when its SLA deadline passes; the step's own status stays what it was. */
const SLA_BREACHED = 'sla_breached';
const OPS = { auth: { roles: ['ops'] as const } };
const FINANCE = { auth: { roles: ['finance'] as const } };
/** The runs each role may bulk-retry: ops the fulfilment runs, finance the invoices, admin all. */
const BULK_RETRY_KINDS: Record<Role, readonly RunKind[]> = {
  ops: ['order', 'shipment'],
  finance: ['invoice'],
  admin: RUN_KINDS,
  crm: [],
};

export const opsRoutes: FastifyPluginAsyncZod<{ deps: AppDeps & { wms: WmsAdapter } }> = async (app, { deps }) => {
  const t = deps.temporal;
  const stateOf = (id: string) => () => queryRunState(t, id);
  /** Routes under /orders act on orders and their shipments only (invoices and returns have their own). */
  const orderOrShipment = (req: FastifyRequest, id: string) =>
    requireRunKind(deps.db, req, id, ['order', 'shipment'], 'orders and shipments');

  app.post(
    '/orders/:orderId/steps/:step/retry',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'Retry a step in needs_attention with a fresh retry budget',
        params: runParams.extend({ step: stepNameSchema }),
        body: z.object({ reason: z.string().max(1000).optional() }).default({}),
        response: { 200: runStateSchema, ...errors },
      },
    },
    async (req) => {
      const { orderId, step } = req.params;
      await orderOrShipment(req, orderId);
      return audited(
        deps.db,
        req,
        { action: `retry ${step}`, targetType: 'order', targetId: orderId, reason: req.body.reason },
        stateOf(orderId),
        () =>
          executeUpdate(t, orderId, decideStep, [
            { step, action: 'retry', reason: req.body.reason, actor: actorOf(req) },
          ]),
      );
    },
  );

  app.post(
    '/orders/:orderId/steps/:step/skip',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'Skip a step in needs_attention (only steps declared skippable; reason required)',
        params: runParams.extend({ step: stepNameSchema }),
        body: z.object({ reason }),
        response: { 200: runStateSchema, ...errors },
      },
    },
    async (req) => {
      const { orderId, step } = req.params;
      await orderOrShipment(req, orderId);
      return audited(
        deps.db,
        req,
        { action: `skip ${step}`, targetType: 'order', targetId: orderId, reason: req.body.reason },
        stateOf(orderId),
        () =>
          executeUpdate(t, orderId, decideStep, [
            { step, action: 'skip', reason: req.body.reason, actor: actorOf(req) },
          ]),
      );
    },
  );

  app.post(
    '/orders/:orderId/cancel',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'Cancel an order before shipment: compensations run in reverse (422 once shipped)',
        params: runParams,
        body: z.object({ reason }),
        response: { 200: runStateSchema, ...errors },
      },
    },
    async (req) => {
      const { orderId } = req.params;
      await orderOrShipment(req, orderId);
      return audited(
        deps.db,
        req,
        { action: 'cancel', targetType: 'order', targetId: orderId, reason: req.body.reason },
        stateOf(orderId),
        () => executeUpdate(t, orderId, cancelRun, [{ reason: req.body.reason, actor: actorOf(req) }]),
      );
    },
  );

  app.post(
    '/orders/:orderId/hold',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'Hold an order: no further step starts',
        params: runParams,
        body: z.object({ reason }),
        response: { 200: runStateSchema, ...errors },
      },
    },
    async (req) => {
      const { orderId } = req.params;
      await orderOrShipment(req, orderId);
      return audited(
        deps.db,
        req,
        { action: 'hold', targetType: 'order', targetId: orderId, reason: req.body.reason },
        stateOf(orderId),
        () => executeUpdate(t, orderId, holdOrder, [{ reason: req.body.reason, actor: actorOf(req) }]),
      );
    },
  );

  app.post(
    '/orders/:orderId/release',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'Release a held order',
        params: runParams,
        body: z.object({ reason: z.string().max(1000).optional() }).default({}),
        response: { 200: runStateSchema, ...errors },
      },
    },
    async (req) => {
      const { orderId } = req.params;
      await orderOrShipment(req, orderId);
      return audited(
        deps.db,
        req,
        { action: 'release', targetType: 'order', targetId: orderId, reason: req.body.reason },
        stateOf(orderId),
        () => executeUpdate(t, orderId, releaseOrder, [{ actor: actorOf(req), reason: req.body.reason }]),
      );
    },
  );

  app.patch(
    '/orders/:orderId/ship-to',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary:
          'Change the delivery address before picking starts: carrier selection and promised dates are re-planned (422 once released to the warehouse)',
        params: runParams,
        body: z.object({ shipTo: closedWonEventSchema.shape.shipTo, reason }),
        response: { 200: runStateSchema, ...errors },
      },
    },
    async (req) => {
      const { orderId } = req.params;
      await orderOrShipment(req, orderId);
      return audited(
        deps.db,
        req,
        { action: 'change ship-to', targetType: 'order', targetId: orderId, reason: req.body.reason },
        stateOf(orderId),
        () =>
          executeUpdate(t, orderId, changeShipTo, [
            { shipTo: req.body.shipTo, reason: req.body.reason, actor: actorOf(req) },
          ]),
      );
    },
  );

  app.post(
    '/orders/:orderId/credit-decision',
    {
      config: FINANCE,
      schema: {
        tags: ['finance'],
        summary: 'Approve or reject an order on credit hold',
        params: runParams,
        body: z.object({ decision: z.enum(['approve', 'reject']), reason }),
        response: { 200: runStateSchema, ...errors },
      },
    },
    async (req) => {
      const { orderId } = req.params;
      await orderOrShipment(req, orderId);
      return audited(
        deps.db,
        req,
        { action: `credit ${req.body.decision}`, targetType: 'order', targetId: orderId, reason: req.body.reason },
        stateOf(orderId),
        () => executeUpdate(t, orderId, creditDecision, [{ ...req.body, actor: actorOf(req) }]),
      );
    },
  );

  app.post(
    '/orders/:orderId/delivery',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'Proof of delivery for one shipment of the order',
        params: runParams,
        body: z.object({
          shipmentId: orderIdSchema.describe('a shipment id of the order (<orderId>-S<n>)'),
          signer: z.string().trim().min(1).max(200),
          deliveredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
          exceptions: z
            .array(
              z.object({
                lineNo: z.number().int().positive(),
                type: z.enum(['damaged', 'short', 'wrong-item']),
                quantity: z.number().int().positive(),
                note: z.string().max(500).optional(),
              }),
            )
            .max(500)
            .default([]),
        }),
        response: { 200: runStateSchema, ...errors },
      },
    },
    async (req) => {
      const { shipmentId, ...pod } = req.body;
      // The stored shipment row, not the id's shape: `invoice-<orderId>-S1` also starts with the prefix.
      const shipment = await deps.db.shipment.findUnique({ where: { id: shipmentId }, select: { orderId: true } });
      if (!shipment) {
        const kind = await runKindOf(deps.db, shipmentId);
        if (kind) await refuseWrongKind(deps.db, req, shipmentId, kind, 'shipments');
        throw new ProblemError('notFound', `no run ${shipmentId} among shipments`);
      }
      if (shipment.orderId !== req.params.orderId)
        throw new ProblemError('notFound', `shipment ${shipmentId} does not belong to order ${req.params.orderId}`);
      return audited(
        deps.db,
        req,
        { action: 'delivery', targetType: 'shipment', targetId: shipmentId },
        stateOf(shipmentId),
        () => executeUpdate(t, shipmentId, recordDelivery, [pod]),
      );
    },
  );

  app.post(
    '/receipts',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'A scheduled receipt arrived: stock goes up and waiting backorders are released',
        body: z.object({ receiptId: z.string().min(1).max(100) }),
        response: {
          200: z.object({
            receiptId: z.string(),
            sku: z.string(),
            warehouseId: z.string(),
            quantity: z.number(),
            notifiedOrders: z.array(z.string()),
            /** Orders that could not be told (e.g. their workflow is gone): ops follow up on each. */
            failedOrders: z.array(z.object({ orderId: z.string(), reason: z.string() })),
          }),
          ...errors,
        },
      },
    },
    async (req) =>
      audited(
        deps.db,
        req,
        { action: 'receipt arrived', targetType: 'receipt', targetId: req.body.receiptId },
        async () => null,
        async () => {
          // An unknown receipt fails as UnknownReceipt, whichever WMS answers: the error handler makes it a 404.
          const arrived = await deps.wms.receive(req.body.receiptId);
          // Every waiting order is told, whatever happens to another one: a signal that fails is reported.
          const notifiedOrders: string[] = [];
          const failedOrders: { orderId: string; reason: string }[] = [];
          for (const orderId of arrived.waitingOrderIds) {
            try {
              await signalWorkflow(t, orderId, receiptArrived, { receiptId: req.body.receiptId, sku: arrived.sku });
              notifiedOrders.push(orderId);
            } catch (error) {
              failedOrders.push({ orderId, reason: error instanceof Error ? error.message : String(error) });
            }
          }
          if (failedOrders.length > 0)
            req.log.warn(
              { receiptId: req.body.receiptId, failedOrders },
              'receipt arrived: some waiting orders could not be told',
            );
          return {
            receiptId: req.body.receiptId,
            sku: arrived.sku,
            warehouseId: arrived.warehouseId,
            quantity: arrived.quantity,
            notifiedOrders,
            failedOrders,
          };
        },
      ),
  );

  app.post(
    '/steps/:step/retry-all',
    {
      config: { auth: { roles: ['ops', 'finance'] as const } },
      schema: {
        tags: ['ops'],
        summary:
          'Retry every run stuck on this step (e.g. after a carrier outage) that the role may act on: ops orders and shipments, finance invoices; dryRun only counts',
        params: z.object({ step: stepNameSchema }),
        body: z.object({ reason, dryRun: z.boolean().default(false) }),
        response: {
          200: z.object({
            step: z.string(),
            dryRun: z.boolean(),
            stuck: z.number(),
            runs: z.array(z.object({ runId: z.string(), outcome: z.string() })),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { step } = req.params;
      const kinds = BULK_RETRY_KINDS[req.principal!.role];
      // The latest transition of each run on this step tells whether it is stuck there now. An SLA
      // breach is recorded on the step but does not change its status, so it is not a transition here;
      // insertion order (id), not seq, is the order of events across a reset (a new run counts on from
      // the reset point).
      const latest = await deps.db.$queryRaw<{ workflow_id: string; run_kind: string; to_status: string }[]>`
      SELECT DISTINCT ON (workflow_id) workflow_id, run_kind, to_status FROM step_event
      WHERE step = ${step} AND to_status <> ${SLA_BREACHED} ORDER BY workflow_id, id DESC`;
      const stuck = latest.filter((r) => r.to_status === 'needs_attention' && kinds.includes(r.run_kind as RunKind));
      if (req.body.dryRun)
        return {
          step,
          dryRun: true,
          stuck: stuck.length,
          runs: stuck.map((r) => ({ runId: r.workflow_id, outcome: 'would retry' })),
        };
      const runs: { runId: string; outcome: string }[] = [];
      for (const { workflow_id: runId, run_kind } of stuck) {
        const targetType = run_kind as RunKind;
        try {
          await audited(
            deps.db,
            req,
            { action: `retry ${step} (bulk)`, targetType, targetId: runId, reason: req.body.reason },
            stateOf(runId),
            () =>
              executeUpdate(t, runId, decideStep, [
                { step, action: 'retry', reason: req.body.reason, actor: actorOf(req) },
              ]),
          );
          runs.push({ runId, outcome: 'retried' });
        } catch (error) {
          runs.push({ runId, outcome: `refused: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
      return { step, dryRun: false, stuck: stuck.length, runs };
    },
  );
};
