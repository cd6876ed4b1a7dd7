import type { ActivityDeps } from '../deps';
import type { TransitionRecord } from '../contract';
import { INVOICE_STATUSES } from '../billing/types';
import { RETURN_STATUSES } from '../returns/types';

/**
 * Stores one step transition and mirrors the run's flags onto its row. Idempotent: (workflow, seq) is
 * unique, so a retried local activity inserts nothing twice.
 */
export async function recordTransition(deps: ActivityDeps, t: TransitionRecord): Promise<void> {
  await deps.db.$transaction([
    deps.db.stepEvent.createMany({
      data: [{
        runKind: t.run.kind,
        runId: t.run.id,
        orderId: t.run.orderId,
        workflowId: t.workflowId,
        seq: t.seq,
        step: t.step,
        fromStatus: t.fromStatus,
        toStatus: t.toStatus,
        attempt: t.attempt,
        error: t.error,
        actor: t.actor,
        reason: t.reason,
        occurredAt: new Date(t.occurredAt),
      }],
      skipDuplicates: true,
    }),
    ...(t.run.kind === 'order'
      ? [deps.db.order.updateMany({
          where: { id: t.run.id },
          data: { status: t.runStatus, currentStep: t.currentStep, needsAttention: t.needsAttention, slaBreached: t.slaBreached },
        })]
      : []),
    // The invoice row mirrors the run's status too (e.g. `overdue`, which only the workflow's timer decides).
    ...(t.run.kind === 'invoice' && (INVOICE_STATUSES as readonly string[]).includes(t.runStatus)
      ? [deps.db.invoice.updateMany({ where: { id: t.run.id }, data: { status: t.runStatus } })]
      : []),
    // So does the return's row (GET /v1/returns lists from it without asking Temporal).
    ...(t.run.kind === 'return' && (RETURN_STATUSES as readonly string[]).includes(t.runStatus)
      ? [deps.db.returnRequest.updateMany({ where: { id: t.run.id }, data: { status: t.runStatus } })]
      : []),
  ]);
  deps.log.info({ orderId: t.run.orderId, workflowId: t.workflowId, step: t.step, from: t.fromStatus, to: t.toStatus, actor: t.actor }, 'step transition');
}
