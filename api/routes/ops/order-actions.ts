/**
 * Ops and finance acting on one running order: cancel, hold and release, change the delivery
 * address, decide a credit hold. Each answers the run's new state and is written to the audit log.
 */
import type { FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { reasonSchema, RUN_PROBLEMS } from '../../schemas';
import { runStateSchema } from '../../views/order-view';
import { executeUpdate } from '../../workflow-calls';
import { actorOf, audited } from '../../audit';
import { cancelRun } from '../../../workflows/engine/messages';
import { changeShipTo, creditDecision, holdOrder, releaseOrder } from '../../../workflows/fulfillment/messages';
import { closedWonEventSchema } from '../../../domain/closed-won';
import type { RouteApp } from '../route-app';
import type { RunState } from '../../../workflows/engine/state';
import { FINANCE, OPS, requireOrderOrShipment, runParams, stateOf, type OpsDeps } from './shared';

const response = { 200: runStateSchema, ...RUN_PROBLEMS };

/** Checks the id names an order or shipment, then carries out `act` under the audit log. */
async function auditedOrderAction<T>(
  deps: OpsDeps,
  req: FastifyRequest,
  orderId: string,
  entry: { action: string; reason?: string },
  act: () => Promise<T>,
): Promise<T> {
  await requireOrderOrShipment(deps, req, orderId);
  return audited(deps.db, req, { ...entry, targetType: 'order', targetId: orderId }, stateOf(deps, orderId), act);
}

/** Ops updates that take a required reason and the actor, and nothing else: cancel and hold. */
function registerReasonedUpdate(
  app: RouteApp,
  deps: OpsDeps,
  spec: {
    action: 'cancel' | 'hold';
    summary: string;
    update: UpdateDefinition<RunState, [{ reason: string; actor: string }]>;
  },
): void {
  app.post(
    `/orders/:orderId/${spec.action}`,
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: spec.summary,
        params: runParams,
        body: z.object({ reason: reasonSchema }),
        response,
      },
    },
    async (req) => {
      const { orderId } = req.params;
      const { reason } = req.body;
      return auditedOrderAction(deps, req, orderId, { action: spec.action, reason }, () =>
        executeUpdate(deps.temporal, orderId, spec.update, [{ reason, actor: actorOf(req) }]),
      );
    },
  );
}

export function registerCancelOrder(app: RouteApp, deps: OpsDeps): void {
  registerReasonedUpdate(app, deps, {
    action: 'cancel',
    summary: 'Cancel an order before shipment: compensations run in reverse (422 once shipped)',
    update: cancelRun,
  });
}

export function registerHoldOrder(app: RouteApp, deps: OpsDeps): void {
  registerReasonedUpdate(app, deps, {
    action: 'hold',
    summary: 'Hold an order: no further step starts',
    update: holdOrder,
  });
}

export function registerReleaseOrder(app: RouteApp, deps: OpsDeps): void {
  app.post(
    '/orders/:orderId/release',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'Release a held order',
        params: runParams,
        body: z.object({ reason: z.string().max(1000).optional() }).default({}),
        response,
      },
    },
    async (req) => {
      const { orderId } = req.params;
      const { reason } = req.body;
      return auditedOrderAction(deps, req, orderId, { action: 'release', reason }, () =>
        executeUpdate(deps.temporal, orderId, releaseOrder, [{ actor: actorOf(req), reason }]),
      );
    },
  );
}

export function registerChangeShipTo(app: RouteApp, deps: OpsDeps): void {
  app.patch(
    '/orders/:orderId/ship-to',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary:
          'Change the delivery address before picking starts: carrier selection and promised dates are re-planned (422 once released to the warehouse)',
        params: runParams,
        body: z.object({ shipTo: closedWonEventSchema.shape.shipTo, reason: reasonSchema }),
        response,
      },
    },
    async (req) => {
      const { orderId } = req.params;
      const { shipTo, reason } = req.body;
      return auditedOrderAction(deps, req, orderId, { action: 'change ship-to', reason }, () =>
        executeUpdate(deps.temporal, orderId, changeShipTo, [{ shipTo, reason, actor: actorOf(req) }]),
      );
    },
  );
}

export function registerCreditDecision(app: RouteApp, deps: OpsDeps): void {
  app.post(
    '/orders/:orderId/credit-decision',
    {
      config: FINANCE,
      schema: {
        tags: ['finance'],
        summary: 'Approve or reject an order on credit hold',
        params: runParams,
        body: z.object({ decision: z.enum(['approve', 'reject']), reason: reasonSchema }),
        response,
      },
    },
    async (req) => {
      const { orderId } = req.params;
      return auditedOrderAction(
        deps,
        req,
        orderId,
        { action: `credit ${req.body.decision}`, reason: req.body.reason },
        () => executeUpdate(deps.temporal, orderId, creditDecision, [{ ...req.body, actor: actorOf(req) }]),
      );
    },
  );
}
