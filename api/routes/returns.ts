/**
 * Returns (RMA): CRM or ops open a return for a delivered order; ops approve it (when above the
 * auto-approval limit), receive it and record the inspection; finance reads the credit memos.
 * Lists come from the return and credit memo rows the workflows keep current.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { AppDeps } from '../app';
import type { ClosedWonEvent } from '../../domain/closed-won';
import { decodeCursor, page, pageQuery, pageSchema } from '../pagination';
import { orderIdFilterSchema, orderIdSchema, returnIdSchema, RUN_PROBLEMS, stepNameSchema } from '../schemas';
import { ProblemError } from '../problems';
import { executeUpdate } from '../workflow-calls';
import { actorOf, audited } from '../audit';
import { loadRunState, queryRunState, runStateSchema } from '../views/order-view';
import { returnSummaries, returnSummarySchema } from '../views/return-view';
import { returnIdFor, WORKFLOW_TYPES } from '../../workflows/ids';
import { approveReturn, inspectReturn, receiveReturn } from '../../workflows/returns/messages';
import { decideStep } from '../../workflows/engine/messages';
import { requireRunKind } from '../run-kind';
import type { returnLifecycle } from '../../workflows/returns/return-workflow';

const OPS = { auth: { roles: ['ops'] as const } };
const errors = RUN_PROBLEMS;
const returnParams = z.object({ returnId: returnIdSchema });

export const returnRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const t = deps.temporal;

  const summaries = (rows: { id: string }[]) =>
    returnSummaries(
      deps.db,
      rows.map((r) => r.id),
    );

  app.post(
    '/orders/:orderId/returns',
    {
      config: { auth: { roles: ['crm', 'ops'] as const } },
      schema: {
        tags: ['returns'],
        summary:
          'Request a return for a delivered order (checked against the return policy; approved automatically or by ops)',
        params: z.object({ orderId: orderIdSchema }),
        body: z.object({
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
        }),
        response: { 202: z.object({ returnId: z.string(), links: z.object({ return: z.string() }) }), ...errors },
      },
    },
    async (req, reply) => {
      const order = await deps.db.order.findUnique({ where: { id: req.params.orderId } });
      if (!order) throw new ProblemError('notFound', `no order ${req.params.orderId}`);
      // Return ids are per order and sequential; a concurrent request that took the number moves on to the next.
      for (let n = (await deps.db.returnRequest.count({ where: { orderId: order.id } })) + 1; ; n += 1) {
        const returnId = returnIdFor(order.id, n);
        try {
          await t.workflow.start<typeof returnLifecycle>(WORKFLOW_TYPES.returnLifecycle, {
            taskQueue: deps.taskQueue,
            workflowId: returnId,
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            args: [
              {
                returnId,
                orderId: order.id,
                event: order.event as unknown as ClosedWonEvent,
                requestedAt: new Date().toISOString(),
                lines: req.body.lines,
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
              after: req.body,
              outcome: 'done',
            },
          });
          return reply
            .status(202)
            .header('location', `/v1/returns/${returnId}`)
            .send({ returnId, links: { return: `/v1/returns/${returnId}` } });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError) || n > 1000) throw error;
        }
      }
    },
  );

  app.get(
    '/returns',
    {
      config: { auth: { roles: ['crm', 'ops', 'finance'] as const } },
      schema: {
        tags: ['returns'],
        summary: 'Returns by status, customer or order; newest first',
        querystring: z.object({
          status: z.string().max(40).optional(),
          customerId: z.string().max(64).optional(),
          orderId: orderIdFilterSchema.optional(),
          ...pageQuery,
        }),
        response: { 200: pageSchema(returnSummarySchema), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const cursor = decodeCursor(q.cursor);
      const rows = await deps.db.returnRequest.findMany({
        where: {
          ...(q.status ? { status: q.status } : {}),
          ...(q.customerId ? { customerId: q.customerId } : {}),
          ...(q.orderId ? { orderId: q.orderId } : {}),
          ...(cursor
            ? {
                OR: [
                  { createdAt: { lt: new Date(cursor.at) } },
                  { createdAt: new Date(cursor.at), id: { lt: cursor.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
        select: { id: true, createdAt: true },
      });
      const { items, nextCursor } = page(rows, q.limit, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
      return { items: await summaries(items), nextCursor };
    },
  );

  app.get(
    '/returns/:returnId',
    {
      config: { auth: { roles: ['crm', 'ops', 'finance'] as const } },
      schema: {
        tags: ['returns'],
        summary: 'One return with its credit memo and the live state of its steps',
        params: returnParams,
        response: { 200: returnSummarySchema.extend({ workflow: runStateSchema.nullable() }), ...errors },
      },
    },
    async (req) => {
      // The run's state from its step events, not a workflow query: a screen's read never waits on Temporal.
      const [row, mirrored] = await Promise.all([
        deps.db.returnRequest.findUnique({ where: { id: req.params.returnId }, select: { id: true, status: true } }),
        loadRunState(deps.db, req.params.returnId, 'return'),
      ]);
      if (!row) {
        if (mirrored)
          throw new ProblemError('conflict', `return ${req.params.returnId} is being checked; try again in a moment`);
        throw new ProblemError('notFound', `no return ${req.params.returnId}`);
      }
      const [summary] = await summaries([row]);
      return { ...summary!, workflow: mirrored };
    },
  );

  const action = <A>(
    path: string,
    summary: string,
    body: z.ZodType<A>,
    run: (returnId: string, input: A, actor: string) => Promise<unknown>,
  ) =>
    app.post(
      `/returns/:returnId/${path}`,
      {
        config: OPS,
        schema: {
          tags: ['returns'],
          summary,
          params: returnParams,
          body,
          response: { 200: runStateSchema, ...errors },
        },
      },
      async (req) => {
        const { returnId } = req.params as { returnId: string };
        await requireRunKind(deps.db, req, returnId, ['return'], 'returns');
        return audited(
          deps.db,
          req,
          {
            action: `return ${path}`,
            targetType: 'return',
            targetId: returnId,
            reason: (req.body as { reason?: string }).reason,
          },
          () => queryRunState(t, returnId),
          () => run(returnId, req.body as A, actorOf(req)),
        ) as Promise<z.infer<typeof runStateSchema>>;
      },
    );

  action(
    'approve',
    'Approve or reject a return waiting for ops',
    z.object({
      decision: z.enum(['approve', 'reject']),
      reason: z.string().trim().min(1, 'reason is required').max(1000),
    }),
    (id, body, actor) => executeUpdate(t, id, approveReturn, [{ ...body, actor }]),
  );
  action(
    'receive',
    'The returned goods arrived at a warehouse',
    z.object({ warehouseId: z.string().min(1).max(64), receivedAt: z.iso.datetime({ offset: true }) }),
    (id, body) => executeUpdate(t, id, receiveReturn, [body]),
  );
  action(
    'inspect',
    'Inspection result per line: units restocked (back into the lot) and scrapped',
    z.object({
      lines: z
        .array(
          z.object({
            lineNo: z.number().int().positive(),
            restock: z.number().int().min(0),
            scrap: z.number().int().min(0),
          }),
        )
        .min(1)
        .max(200),
    }),
    (id, body, actor) => executeUpdate(t, id, inspectReturn, [{ ...body, actor }]),
  );

  // Ops unstick a return's steps here; the /orders step routes refuse return ids.
  for (const decision of ['retry', 'skip'] as const) {
    app.post(
      `/returns/:returnId/steps/:step/${decision}`,
      {
        config: OPS,
        schema: {
          tags: ['returns'],
          summary:
            decision === 'retry'
              ? 'Retry a return step in needs_attention with a fresh retry budget'
              : 'Skip a return step in needs_attention (only steps declared skippable; reason required)',
          params: returnParams.extend({ step: stepNameSchema }),
          body:
            decision === 'retry'
              ? z.object({ reason: z.string().max(1000).optional() }).default({})
              : z.object({ reason: z.string().trim().min(1, 'reason is required').max(1000) }),
          response: { 200: runStateSchema, ...errors },
        },
      },
      async (req) => {
        const { returnId, step } = req.params;
        const { reason } = req.body as { reason?: string };
        await requireRunKind(deps.db, req, returnId, ['return'], 'returns');
        return audited(
          deps.db,
          req,
          { action: `${decision} ${step}`, targetType: 'return', targetId: returnId, reason },
          () => queryRunState(t, returnId),
          () => executeUpdate(t, returnId, decideStep, [{ step, action: decision, reason, actor: actorOf(req) }]),
        );
      },
    );
  }

  app.get(
    '/credit-memos',
    {
      config: { auth: { roles: ['finance', 'ops'] as const } },
      schema: {
        tags: ['finance'],
        summary: 'Credit memos (from returns): totals, restocking fee, applications to invoices and refunds',
        querystring: z.object({
          customerId: z.string().max(64).optional(),
          orderId: orderIdFilterSchema.optional(),
          ...pageQuery,
        }),
        response: {
          200: pageSchema(
            z.object({
              creditMemoNumber: z.string(),
              returnId: z.string(),
              orderId: z.string(),
              customerId: z.string(),
              currency: z.string(),
              status: z.string(),
              merchandiseMinor: z.number(),
              restockingFeeMinor: z.number(),
              taxMinor: z.number(),
              totalMinor: z.number(),
              refundMinor: z.number(),
              applications: z.unknown(),
              createdAt: z.string(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const cursor = decodeCursor(q.cursor);
      const rows = await deps.db.creditMemo.findMany({
        where: {
          ...(q.customerId ? { customerId: q.customerId } : {}),
          ...(q.orderId ? { orderId: q.orderId } : {}),
          ...(cursor
            ? {
                OR: [
                  { createdAt: { lt: new Date(cursor.at) } },
                  { createdAt: new Date(cursor.at), id: { lt: cursor.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const { items, nextCursor } = page(rows, q.limit, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
      return {
        items: items.map((m) => ({
          creditMemoNumber: m.creditMemoNumber,
          returnId: m.returnId,
          orderId: m.orderId,
          customerId: m.customerId,
          currency: m.currency,
          status: m.status,
          merchandiseMinor: Number(m.merchandiseMinor),
          restockingFeeMinor: Number(m.restockingFeeMinor),
          taxMinor: Number(m.taxMinor),
          totalMinor: Number(m.totalMinor),
          refundMinor: Number(m.refundMinor),
          applications: m.applications,
          createdAt: m.createdAt.toISOString(),
        })),
        nextCursor,
      };
    },
  );
};
