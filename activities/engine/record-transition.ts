import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import type { TransitionRecord } from '../contract';
import { Prisma } from '../../lib/db';
import { INVOICE_STATUSES, isOneOf, RETURN_STATUSES } from '../../domain/statuses';

/**
 * Stores one step transition and mirrors the run's flags onto its row, in one statement: it runs
 * for every transition of every run (about 50 per order), and a single raw statement costs the worker
 * a fraction of a Prisma transaction of model queries. Idempotent: (workflow, Temporal run, seq) is
 * unique, so a retried local activity inserts nothing twice (and writes the same mirror again). The
 * run is part of the key because a reset starts a new run that counts on from the reset point: its
 * events reuse the sequence numbers of the old run's events after that point and must not be dropped.
 */
export async function recordTransition(deps: ActivityDeps, t: TransitionRecord): Promise<void> {
  const temporalRunId = currentRunId();
  const insert = Prisma.sql`
    INSERT INTO step_event (run_kind, run_id, order_id, workflow_id, temporal_run_id, seq, step, from_status, to_status, attempt, error, actor, reason, occurred_at)
    VALUES (${t.run.kind}, ${t.run.id}, ${t.run.orderId}, ${t.workflowId}, ${temporalRunId}, ${t.seq}, ${t.step}, ${t.fromStatus}, ${t.toStatus}, ${t.attempt},
            ${t.error}, ${t.actor}, ${t.reason}, ${new Date(t.occurredAt)})
    ON CONFLICT (workflow_id, temporal_run_id, seq) DO NOTHING`;
  const mirror = mirrorOf(t);
  await deps.db.$executeRaw(mirror ? Prisma.sql`WITH event AS (${insert}) ${mirror}` : insert);
  deps.log.info(
    {
      orderId: t.run.orderId,
      workflowId: t.workflowId,
      step: t.step,
      from: t.fromStatus,
      to: t.toStatus,
      actor: t.actor,
    },
    'step transition',
  );
}

/** The Temporal run id of the workflow calling this (local) activity; '' outside one (direct calls). */
function currentRunId(): string {
  try {
    return Context.current().info.workflowExecution?.runId ?? '';
  } catch {
    return '';
  }
}

/** The UPDATE of the run's own row, where the run has one the lists read. */
function mirrorOf(t: TransitionRecord): Prisma.Sql | undefined {
  if (t.run.kind === 'order') {
    return Prisma.sql`UPDATE "order" SET status = ${t.runStatus}, current_step = ${t.currentStep}, needs_attention = ${t.needsAttention},
      sla_breached = ${t.slaBreached}, updated_at = now() WHERE id = ${t.run.id}`;
  }
  // The invoice row mirrors the run's status too (e.g. `overdue`, which only the workflow's timer decides).
  if (t.run.kind === 'invoice' && isOneOf(INVOICE_STATUSES, t.runStatus)) {
    return Prisma.sql`UPDATE invoice SET status = ${t.runStatus}, updated_at = now() WHERE id = ${t.run.id}`;
  }
  // So does the return's row (GET /v1/returns lists from it without asking Temporal).
  if (t.run.kind === 'return' && isOneOf(RETURN_STATUSES, t.runStatus)) {
    return Prisma.sql`UPDATE return_request SET status = ${t.runStatus}, updated_at = now() WHERE id = ${t.run.id}`;
  }
  // A shipment runs as its own workflow: its flag lets the order lists find an order whose only stuck
  // step is a shipment's. Each run writes only its own row, so two shipments never race on one flag.
  // The row appears with the first step (pick-shipment); a transition before it updates nothing.
  if (t.run.kind === 'shipment') {
    return Prisma.sql`UPDATE shipment SET needs_attention = ${t.needsAttention} WHERE id = ${t.run.id}`;
  }
  return undefined;
}
