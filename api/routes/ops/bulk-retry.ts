/** POST /steps/:step/retry-all: after an outage, retry every run stuck on one step that the role may act on. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../auth/api-keys';
import { reasonSchema, RUN_PROBLEMS, stepNameSchema } from '../../schemas';
import { executeUpdate } from '../../workflow-calls';
import { actorOf, audited } from '../../audit';
import { RUN_KINDS, type RunKind } from '../../run-kind';
import { decideStep } from '../../../workflows/engine/messages';
import type { RouteApp } from '../route-app';
import { stateOf, type OpsDeps } from './shared';

/** Recorded on a step when its SLA deadline passes; the step's own status stays what it was. */
const SLA_BREACHED = 'sla_breached';
/** The runs each role may bulk-retry: ops the fulfilment runs, finance the invoices, admin all. */
const BULK_RETRY_KINDS: Record<Role, readonly RunKind[]> = {
  ops: ['order', 'shipment'],
  finance: ['invoice'],
  admin: RUN_KINDS,
  crm: [],
};

interface StuckRun {
  workflow_id: string;
  run_kind: string;
  to_status: string;
}

export function registerBulkRetry(app: RouteApp, deps: OpsDeps): void {
  app.post(
    '/steps/:step/retry-all',
    {
      config: { auth: { roles: ['ops', 'finance'] as const } },
      schema: {
        tags: ['ops'],
        summary:
          'Retry every run stuck on this step (e.g. after a carrier outage) that the role may act on: ops orders and shipments, finance invoices; dryRun only counts',
        params: z.object({ step: stepNameSchema }),
        body: z.object({ reason: reasonSchema, dryRun: z.boolean().default(false) }),
        response: {
          200: z.object({
            step: z.string(),
            dryRun: z.boolean(),
            stuck: z.number(),
            runs: z.array(z.object({ runId: z.string(), outcome: z.string() })),
          }),
          ...RUN_PROBLEMS,
        },
      },
    },
    async (req) => {
      const { step } = req.params;
      const stuck = await runsStuckOn(deps, step, BULK_RETRY_KINDS[req.principal!.role]);
      if (req.body.dryRun)
        return {
          step,
          dryRun: true,
          stuck: stuck.length,
          runs: stuck.map((r) => ({ runId: r.workflow_id, outcome: 'would retry' })),
        };
      const runs = await retryEach(deps, req, step, stuck, req.body.reason);
      return { step, dryRun: false, stuck: stuck.length, runs };
    },
  );
}

/** The runs of `kinds` in needs_attention on `step` now. */
async function runsStuckOn(deps: OpsDeps, step: string, kinds: readonly RunKind[]): Promise<StuckRun[]> {
  // The latest transition of each run on this step tells whether it is stuck there now. An SLA
  // breach is recorded on the step but does not change its status, so it is not a transition here;
  // insertion order (id), not seq, is the order of events across a reset (a new run counts on from
  // the reset point).
  const latest = await deps.db.$queryRaw<StuckRun[]>`
      SELECT DISTINCT ON (workflow_id) workflow_id, run_kind, to_status FROM step_event
      WHERE step = ${step} AND to_status <> ${SLA_BREACHED} ORDER BY workflow_id, id DESC`;
  return latest.filter((r) => r.to_status === 'needs_attention' && kinds.includes(r.run_kind as RunKind));
}

/** Retries each run in turn; a refusal is reported for that run and the others go on. */
async function retryEach(deps: OpsDeps, req: FastifyRequest, step: string, stuck: StuckRun[], reason: string) {
  const runs: { runId: string; outcome: string }[] = [];
  for (const { workflow_id: runId, run_kind } of stuck) {
    const targetType = run_kind as RunKind;
    try {
      await audited(
        deps.db,
        req,
        { action: `retry ${step} (bulk)`, targetType, targetId: runId, reason },
        stateOf(deps, runId),
        () => executeUpdate(deps.temporal, runId, decideStep, [{ step, action: 'retry', reason, actor: actorOf(req) }]),
      );
      runs.push({ runId, outcome: 'retried' });
    } catch (error) {
      runs.push({ runId, outcome: `refused: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return runs;
}
