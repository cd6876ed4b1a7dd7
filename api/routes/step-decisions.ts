/**
 * Retry and skip of a step in needs_attention, one pair of routes per kind of run: orders and
 * shipments under /orders (ops), invoices under /invoices (finance), returns under /returns (ops).
 * Each acts only on runs of its own kinds, so a role cannot reach another domain's run by its id.
 */
import { z } from 'zod';
import type { AppDeps } from '../app';
import type { Role } from '../auth/api-keys';
import { actorOf, audited, type AuditEntry } from '../audit';
import { reasonSchema, RUN_PROBLEMS, stepNameSchema } from '../schemas';
import { queryRunState, runStateSchema } from '../views/order-view';
import { executeUpdate } from '../workflow-calls';
import { requireRunKind, type RunKind } from '../run-kind';
import { decideStep } from '../../workflows/engine/messages';
import type { RouteApp } from './route-app';

export interface StepDecisionRoutes<P extends string> {
  /** The run's path with its id parameter, e.g. `/invoices/:invoiceId`. */
  runPath: `/${string}/:${P}`;
  /** The id parameter's name and schema. */
  idParam: P;
  idSchema: z.ZodString;
  roles: readonly Role[];
  tag: string;
  summaries: { retry: string; skip: string };
  /** The run kinds the route acts on, and how its refusal names them ("no run x among invoices"). */
  kinds: readonly RunKind[];
  noun: string;
  targetType: AuditEntry['targetType'];
}

export function registerStepDecisionRoutes<P extends string>(
  app: RouteApp,
  deps: AppDeps,
  routes: StepDecisionRoutes<P>,
): void {
  const t = deps.temporal;
  for (const decision of ['retry', 'skip'] as const) {
    app.post(
      `${routes.runPath}/steps/:step/${decision}`,
      {
        config: { auth: { roles: routes.roles } },
        schema: {
          tags: [routes.tag],
          summary: routes.summaries[decision],
          params: z.object({ [routes.idParam]: routes.idSchema, step: stepNameSchema }),
          body:
            decision === 'retry'
              ? z.object({ reason: z.string().max(1000).optional() }).default({})
              : z.object({ reason: reasonSchema }),
          response: { 200: runStateSchema, ...RUN_PROBLEMS },
        },
      },
      async (req) => {
        const params = req.params as Record<string, string>;
        const runId = params[routes.idParam]!;
        const step = params.step!;
        const { reason } = req.body as { reason?: string };
        await requireRunKind(deps.db, req, runId, routes.kinds, routes.noun);
        return audited(
          deps.db,
          req,
          { action: `${decision} ${step}`, targetType: routes.targetType, targetId: runId, reason },
          () => queryRunState(t, runId),
          () => executeUpdate(t, runId, decideStep, [{ step, action: decision, reason, actor: actorOf(req) }]),
        );
      },
    );
  }
}
