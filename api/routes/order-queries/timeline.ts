/** GET /orders/:orderId/timeline: every step, transition and ops action of an order and its shipments. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { orderIdSchema, problemResponses } from '../../schemas';
import { ProblemError } from '../../problems';
import { loadRunState, runStateSchema } from '../../views/order-view';
import type { RouteApp } from '../route-app';

const timelineSchema = z.object({
  orderId: z.string(),
  runs: z.array(z.object({ runId: z.string(), state: runStateSchema.nullable() })),
  events: z.array(
    z.object({
      at: z.string(),
      runId: z.string(),
      step: z.string(),
      from: z.string().nullable(),
      to: z.string(),
      attempt: z.number(),
      actor: z.string(),
      reason: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
  actions: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      reason: z.string().nullable(),
      outcome: z.string(),
    }),
  ),
});

export function registerOrderTimeline(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/orders/:orderId/timeline',
    {
      // The timeline carries ops' and finance's reasons: not part of the CRM's read-back.
      config: { auth: { roles: ['ops', 'finance'] as const } },
      schema: {
        tags: ['ops'],
        summary:
          'Every step of the order and its shipments (status, attempts, errors, SLA deadline and breach) and every transition and ops action, in order',
        params: z.object({ orderId: orderIdSchema }),
        response: { 200: timelineSchema, ...problemResponses(404) },
      },
    },
    async (req) => orderTimeline(deps, req.params.orderId),
  );
}

async function orderTimeline(deps: AppDeps, orderId: string): Promise<z.input<typeof timelineSchema>> {
  const order = await deps.db.order.findUnique({ where: { id: orderId }, select: { id: true } });
  if (!order) throw new ProblemError('notFound', `no order ${orderId}`);
  const [events, shipments] = await Promise.all([
    deps.db.stepEvent.findMany({ where: { orderId }, orderBy: [{ occurredAt: 'asc' }, { seq: 'asc' }] }),
    deps.db.shipment.findMany({ where: { orderId }, select: { id: true }, orderBy: { id: 'asc' } }),
  ]);
  const runIds = [orderId, ...shipments.map((s) => s.id)];
  // Exact ids: a prefix match would show another order's actions (order-D-1 vs order-D-1042).
  const actions = await deps.db.auditLog.findMany({ where: { targetId: { in: runIds } }, orderBy: { at: 'asc' } });
  // From the step-event mirror, as the order page: no Temporal query on a screen's read path.
  const states = await Promise.all(
    runIds.map((id) => loadRunState(deps.db, id, id === orderId ? 'order' : 'shipment')),
  );
  return {
    orderId,
    runs: runIds.map((runId, i) => ({ runId, state: states[i] ?? null })),
    events: events.map((e) => ({
      at: e.occurredAt.toISOString(),
      runId: e.workflowId,
      step: e.step,
      from: e.fromStatus,
      to: e.toStatus,
      attempt: e.attempt,
      actor: e.actor,
      reason: e.reason,
      error: e.error,
    })),
    actions: actions.map((a) => ({
      at: a.at.toISOString(),
      actor: a.actor,
      action: a.action,
      reason: a.reason,
      outcome: a.outcome,
    })),
  };
}
