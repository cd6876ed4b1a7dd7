/** Returns as CRM, ops and finance read them: the list, one return with its steps, the credit memos. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { createdBeforeCursor, decodeCursor, page, pageQuery, pageSchema } from '../../pagination';
import { orderIdFilterSchema, RUN_PROBLEMS } from '../../schemas';
import { ProblemError } from '../../problems';
import { loadRunState, runStateSchema } from '../../views/order-view';
import { returnSummaries, returnSummarySchema } from '../../views/return-view';
import type { RouteApp } from '../route-app';
import { RETURN_READERS, returnParams } from './shared';

const summariesOf = (deps: AppDeps, rows: { id: string }[]) =>
  returnSummaries(
    deps.db,
    rows.map((r) => r.id),
  );

export function registerReturnList(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/returns',
    {
      config: RETURN_READERS,
      schema: {
        tags: ['returns'],
        summary: 'Returns by status, customer or order; newest first',
        querystring: z.object({
          status: z.string().max(40).optional(),
          customerId: z.string().max(64).optional(),
          orderId: orderIdFilterSchema.optional(),
          ...pageQuery,
        }),
        response: { 200: pageSchema(returnSummarySchema), ...RUN_PROBLEMS },
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
          ...createdBeforeCursor(cursor),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
        select: { id: true, createdAt: true },
      });
      const { items, nextCursor } = page(rows, q.limit, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
      return { items: await summariesOf(deps, items), nextCursor };
    },
  );
}

export function registerReturnDetail(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/returns/:returnId',
    {
      config: RETURN_READERS,
      schema: {
        tags: ['returns'],
        summary: 'One return with its credit memo and the live state of its steps',
        params: returnParams,
        response: { 200: returnSummarySchema.extend({ workflow: runStateSchema.nullable() }), ...RUN_PROBLEMS },
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
      const [summary] = await summariesOf(deps, [row]);
      return { ...summary!, workflow: mirrored };
    },
  );
}
