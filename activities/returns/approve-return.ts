/** approve-return: ops' decision on a return above the auto-approval limit, recorded once. */
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import type { ReturnApproval } from './types';
import { rejected } from './check-return';

/** Ops' decision on a return above the auto-approval limit: approved, or the run ends rejected. */
export async function recordReturnDecision(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const approval = input.input as ReturnApproval;
  const returnId = input.run.id;
  const decision = approval.decision === 'approve' ? 'approved' : 'rejected';
  await deps.db.returnRequest.update({
    where: { id: returnId },
    data: { decision, decisionReason: approval.reason, decidedBy: approval.actor },
  });
  if (approval.decision === 'reject') {
    throw rejected(`return ${returnId} rejected by ${approval.actor}: ${approval.reason}`, [
      { line: null, field: 'decision', message: approval.reason },
    ]);
  }
  return { data: { decision, actor: approval.actor, reason: approval.reason }, status: 'approved' };
}
