/** Ops moving a return on: approve or reject it, receive the goods, record the inspection. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { reasonSchema, RUN_PROBLEMS } from '../../schemas';
import { executeUpdate } from '../../workflow-calls';
import { actorOf, audited } from '../../audit';
import { queryRunState, runStateSchema } from '../../views/order-view';
import { requireRunKind } from '../../run-kind';
import { approveReturn, inspectReturn, receiveReturn } from '../../../workflows/returns/messages';
import type { RouteApp } from '../route-app';
import { OPS, returnParams } from './shared';

/** POST /returns/:returnId/<path>: checks the id is a return, then runs the update under the audit log. */
function registerReturnAction<A>(
  app: RouteApp,
  deps: AppDeps,
  path: string,
  summary: string,
  body: z.ZodType<A>,
  run: (returnId: string, input: A, actor: string) => Promise<unknown>,
): void {
  app.post(
    `/returns/:returnId/${path}`,
    {
      config: OPS,
      schema: {
        tags: ['returns'],
        summary,
        params: returnParams,
        body,
        response: { 200: runStateSchema, ...RUN_PROBLEMS },
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
        () => queryRunState(deps.temporal, returnId),
        () => run(returnId, req.body as A, actorOf(req)),
      ) as Promise<z.infer<typeof runStateSchema>>;
    },
  );
}

export function registerReturnActions(app: RouteApp, deps: AppDeps): void {
  const t = deps.temporal;
  registerReturnAction(
    app,
    deps,
    'approve',
    'Approve or reject a return waiting for ops',
    z.object({ decision: z.enum(['approve', 'reject']), reason: reasonSchema }),
    (id, body, actor) => executeUpdate(t, id, approveReturn, [{ ...body, actor }]),
  );
  registerReturnAction(
    app,
    deps,
    'receive',
    'The returned goods arrived at a warehouse',
    z.object({ warehouseId: z.string().min(1).max(64), receivedAt: z.iso.datetime({ offset: true }) }),
    (id, body) => executeUpdate(t, id, receiveReturn, [body]),
  );
  registerReturnAction(
    app,
    deps,
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
}
