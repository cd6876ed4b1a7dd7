/**
 * The ops work queue of workflow calls that timed out: every update, query or signal the API sent that
 * its run did not answer before the deadline (answered 504). Each names the workflow and run, so ops can
 * open it (timeline, Temporal Web UI), see whether the call took effect after all, and act.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app';
import type { Db } from '../../lib/db';
import { decodeCursor, page, pageQuery, pageSchema } from '../pagination';
import { problemResponses } from '../schemas';
import { actorOf } from '../audit';
import type { TimedOutCall } from '../workflow-calls';

const OPS_AND_FINANCE = { auth: { roles: ['ops', 'finance'] as const } };

/** Stores a 504's call (the error handler's onError hook calls it). */
export async function recordTimedOutCall(db: Db, request: FastifyRequest, call: TimedOutCall): Promise<void> {
  await db.timedOutCall.create({
    data: {
      workflowId: call.workflowId,
      runId: call.runId,
      call: call.call,
      name: call.name,
      actor: actorOf(request),
      request: `${request.method} ${request.url}`.slice(0, 500),
      deadlineMs: call.deadlineMs,
    },
  });
}

export const timedOutCallRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/timed-out-calls',
    {
      config: OPS_AND_FINANCE,
      schema: {
        tags: ['ops'],
        summary: 'Workflow calls the API gave up on (answered 504), newest first: the run to look at',
        querystring: z.object({ workflowId: z.string().max(200).optional(), ...pageQuery }),
        response: {
          200: pageSchema(
            z.object({
              id: z.string(),
              at: z.string(),
              workflowId: z.string(),
              runId: z.string().nullable(),
              call: z.string(),
              name: z.string(),
              actor: z.string(),
              request: z.string(),
              deadlineMs: z.number(),
            }),
          ),
          ...problemResponses(400),
        },
      },
    },
    async (req) => {
      const cursor = decodeCursor(req.query.cursor);
      const rows = await deps.db.timedOutCall.findMany({
        where: {
          ...(req.query.workflowId ? { workflowId: req.query.workflowId } : {}),
          ...(cursor ? { id: { lt: BigInt(cursor.id) } } : {}),
        },
        orderBy: { id: 'desc' },
        take: req.query.limit + 1,
      });
      const { items, nextCursor } = page(rows, req.query.limit, (r) => ({ at: r.at.toISOString(), id: String(r.id) }));
      return {
        items: items.map((r) => ({ ...r, id: String(r.id), at: r.at.toISOString() })),
        nextCursor,
      };
    },
  );
};
