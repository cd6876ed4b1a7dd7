/** POST /orders/:orderId/returns: CRM or ops open a return for a delivered order. */
import type { FastifyRequest } from 'fastify';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import type { ClosedWonEvent } from '../../../domain/closed-won';
import { orderIdSchema, RUN_PROBLEMS } from '../../schemas';
import { ProblemError } from '../../problems';
import { actorOf } from '../../audit';
import { returnIdFor, WORKFLOW_TYPES } from '../../../workflows/ids';
import type { returnLifecycle } from '../../../workflows/returns/return-workflow';
import type { RouteApp } from '../route-app';

const returnRequestBody = z.object({
  lines: z
    .array(
      z.object({
        sku: z.string().min(1).max(64),
        lotId: z.string().min(1).max(64).optional(),
        quantity: z.number().int('must be a whole number').positive('must be > 0').max(1_000_000),
        reasonCode: z.string().min(1).max(40),
      }),
    )
    .min(1, 'must have at least one line')
    .max(200),
});

export function registerReturnRequest(app: RouteApp, deps: AppDeps): void {
  app.post(
    '/orders/:orderId/returns',
    {
      config: { auth: { roles: ['crm', 'ops'] as const } },
      schema: {
        tags: ['returns'],
        summary:
          'Request a return for a delivered order (checked against the return policy; approved automatically or by ops)',
        params: z.object({ orderId: orderIdSchema }),
        body: returnRequestBody,
        response: { 202: z.object({ returnId: z.string(), links: z.object({ return: z.string() }) }), ...RUN_PROBLEMS },
      },
    },
    async (req, reply) => {
      const order = await deps.db.order.findUnique({ where: { id: req.params.orderId } });
      if (!order) throw new ProblemError('notFound', `no order ${req.params.orderId}`);
      const returnId = await startReturn(deps, req, order, req.body);
      return reply
        .status(202)
        .header('location', `/v1/returns/${returnId}`)
        .send({ returnId, links: { return: `/v1/returns/${returnId}` } });
    },
  );
}

/** Starts the return's workflow under the order's next free return id and audits the request. */
async function startReturn(
  deps: AppDeps,
  req: FastifyRequest,
  order: { id: string; event: unknown },
  body: z.output<typeof returnRequestBody>,
): Promise<string> {
  // Return ids are per order and sequential; a concurrent request that took the number moves on to the next.
  for (let n = (await deps.db.returnRequest.count({ where: { orderId: order.id } })) + 1; ; n += 1) {
    const returnId = returnIdFor(order.id, n);
    try {
      await deps.temporal.workflow.start<typeof returnLifecycle>(WORKFLOW_TYPES.returnLifecycle, {
        taskQueue: deps.taskQueue,
        workflowId: returnId,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [
          {
            returnId,
            orderId: order.id,
            event: order.event as unknown as ClosedWonEvent,
            requestedAt: new Date().toISOString(),
            lines: body.lines,
            requestedBy: actorOf(req),
          },
        ],
      });
      await deps.db.auditLog.create({
        data: {
          actor: actorOf(req),
          role: req.principal?.role ?? 'none',
          action: 'request return',
          targetType: 'return',
          targetId: returnId,
          after: body,
          outcome: 'done',
        },
      });
      return returnId;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError) || n > 1000) throw error;
    }
  }
}
