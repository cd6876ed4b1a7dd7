/** GET /orders/:orderId/crm-deliveries: the status milestones sent to the CRM webhook, with each attempt. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { orderIdSchema, problemResponses } from '../../schemas';
import { ProblemError } from '../../problems';
import type { RouteApp } from '../route-app';
import { READERS } from './shared';

const crmDeliveriesSchema = z.object({
  milestones: z.array(
    z.object({
      milestone: z.string(),
      idempotencyKey: z.string(),
      createdAt: z.string(),
      deliveredAt: z.string().nullable(),
      attempts: z.number(),
      deliveries: z.array(
        z.object({
          attempt: z.number(),
          statusCode: z.number().nullable(),
          error: z.string().nullable(),
          durationMs: z.number(),
          attemptedAt: z.string(),
        }),
      ),
    }),
  ),
});

export function registerCrmDeliveries(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/orders/:orderId/crm-deliveries',
    {
      config: READERS,
      schema: {
        tags: ['crm'],
        summary: 'Status milestones sent to the CRM webhook for this order: each attempt with its status code',
        params: z.object({ orderId: orderIdSchema }),
        response: { 200: crmDeliveriesSchema, ...problemResponses(404) },
      },
    },
    async (req) => {
      const { orderId } = req.params;
      const order = await deps.db.order.findUnique({ where: { id: orderId }, select: { id: true } });
      if (!order) throw new ProblemError('notFound', `no order ${orderId}`);
      const [milestones, deliveries] = await Promise.all([
        deps.db.crmMilestone.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } }),
        deps.db.webhookDelivery.findMany({ where: { orderId }, orderBy: { id: 'asc' } }),
      ]);
      return {
        milestones: milestones.map((m) => ({
          milestone: m.milestone,
          idempotencyKey: m.idempotencyKey,
          createdAt: m.createdAt.toISOString(),
          deliveredAt: m.deliveredAt?.toISOString() ?? null,
          attempts: m.attempts,
          deliveries: deliveries
            .filter((d) => d.milestoneKey === m.idempotencyKey)
            .map((d) => ({
              attempt: d.attempt,
              statusCode: d.statusCode,
              error: d.error,
              durationMs: d.durationMs,
              attemptedAt: d.attemptedAt.toISOString(),
            })),
        })),
      };
    },
  );
}
