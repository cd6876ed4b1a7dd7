/**
 * One return (RMA) of a delivered order, on the step engine: check (policy, window, quantities),
 * approval by ops when the value is above the auto-approval limit, prepaid label, receipt, inspection
 * (restock / scrap), credit memo with a gapless number, spent on open invoices through their workflows
 * and refunded for the rest, the credit memo e-mail, CRM `returned`.
 *
 * Its own workflow (`return-<orderId>-<n>`, workflows/ids.ts returnIdFor), not a child of the order:
 * the order has long ended when goods come back. Input: ReturnRequestInput. Answers `getState`,
 * `decideStep`, `cancelRun` (until inspection: nothing to undo but the request) and the updates
 * `approveReturn`, `receiveReturn`, `inspectReturn`, each validated before it is accepted and answered
 * with the run's state once its step finished. Ends `completed`, `rejected` (refused by policy or by
 * ops, with the reasons) or `cancelled`.
 */
import { condition, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type {
  CheckedReturn,
  ReturnApproval,
  ReturnInspection,
  ReturnReceipt,
  ReturnRequestInput,
} from '../../activities/returns/types';
import { StepEngine } from '../engine/run-steps';
import type { RunState } from '../engine/state';
import { CustomerId } from '../shared/search-attributes';
import { approveReturn, inspectReturn, receiveReturn } from './messages';
import { RETURN_STEPS } from './steps';
import { RETURN_APPROVAL_INPUT } from './steps/approve-return';
import { RETURN_RECEIPT_INPUT } from './steps/await-receipt';
import { RETURN_INSPECTION_INPUT } from './steps/inspect-return';
import { checkReturnStep } from './steps/check-return';

/** Refuses an inspection that does not give every returned line one outcome within its quantity. */
function validateInspection(workflowId: string, lines: CheckedReturn['lines'], i: ReturnInspection): void {
  if (!Array.isArray(i.lines)) throw new Error('lines is required');
  const seen = new Set<number>();
  for (const [k, l] of i.lines.entries()) {
    const line = lines.find((x) => x.lineNo === l.lineNo);
    if (!line)
      throw new Error(`lines[${k}].lineNo: return ${workflowId} has no line ${l.lineNo} (lines 1-${lines.length})`);
    if (seen.has(l.lineNo)) throw new Error(`lines[${k}].lineNo: line ${l.lineNo} is reported twice`);
    seen.add(l.lineNo);
    for (const field of ['restock', 'scrap'] as const) {
      if (!Number.isSafeInteger(l[field]) || l[field] < 0)
        throw new Error(`line ${l.lineNo}: ${field} must be a whole number >= 0 (got ${l[field]})`);
    }
    if (l.restock + l.scrap > line.quantity) {
      throw new Error(
        `line ${l.lineNo} (${line.sku}): restock ${l.restock} + scrap ${l.scrap} exceeds the ${line.quantity} returned`,
      );
    }
  }
  const missing = lines.filter((l) => !seen.has(l.lineNo)).map((l) => l.lineNo);
  if (missing.length > 0)
    throw new Error(
      `lines: no outcome for line(s) ${missing.join(', ')} (report restock 0, scrap 0 for units refused)`,
    );
}

export async function returnLifecycle(request: ReturnRequestInput): Promise<RunState> {
  const { workflowId, startTime } = workflowInfo();
  upsertSearchAttributes([{ key: CustomerId, value: request.event.customer.id }]);
  const engine: StepEngine = new StepEngine({
    context: {
      kind: 'return',
      id: workflowId,
      orderId: request.orderId,
      event: request.event,
      createdAt: startTime.toISOString(),
    },
    steps: RETURN_STEPS,
    initialResults: { request },
    slaOverrides: (): Record<string, Duration | undefined> =>
      (engine.resultOf(checkReturnStep)?.stepDurations as Record<string, Duration> | undefined) ?? {},
    cancellationRefusal: () =>
      engine.state.steps.some((s) => s.name === 'inspect-return' && s.status === 'completed')
        ? `return ${workflowId} is inspected: stock has moved and a credit is due`
        : undefined,
  });
  const checked = () => engine.resultOf(checkReturnStep);

  /** Hands `payload` to the step waiting for `input` and answers once that step is no longer busy. */
  const deliver = async (input: string, step: string, payload: unknown): Promise<RunState> => {
    engine.provideInput(input, payload);
    await condition(
      () => !engine.state.steps.some((s) => s.name === step && ['waiting', 'running'].includes(s.status)),
    );
    return engine.state;
  };
  const mustWait = (input: string, what: string) => {
    if (!engine.waitingFor(input))
      throw new Error(`return ${workflowId} is ${engine.state.status}, not awaiting ${what}`);
  };

  setHandler(approveReturn, (a: ReturnApproval) => deliver(RETURN_APPROVAL_INPUT, 'approve-return', a), {
    validator: (a: ReturnApproval) => {
      mustWait(RETURN_APPROVAL_INPUT, 'approval');
      if (a.decision !== 'approve' && a.decision !== 'reject')
        throw new Error(`decision must be "approve" or "reject" (got ${JSON.stringify(a.decision)})`);
      if (!a.reason?.trim()) throw new Error('reason is required');
      if (!a.actor?.trim()) throw new Error('actor is required');
    },
  });

  setHandler(receiveReturn, (r: ReturnReceipt) => deliver(RETURN_RECEIPT_INPUT, 'await-receipt', r), {
    validator: (r: ReturnReceipt) => {
      mustWait(RETURN_RECEIPT_INPUT, 'receipt');
      if (!r.warehouseId?.trim()) throw new Error('warehouseId is required');
      if (typeof r.receivedAt !== 'string' || Number.isNaN(Date.parse(r.receivedAt)))
        throw new Error(`receivedAt must be an ISO 8601 date-time (got ${JSON.stringify(r.receivedAt)})`);
    },
  });

  setHandler(inspectReturn, (i: ReturnInspection) => deliver(RETURN_INSPECTION_INPUT, 'inspect-return', i), {
    validator: (i: ReturnInspection) => {
      mustWait(RETURN_INSPECTION_INPUT, 'inspection');
      validateInspection(workflowId, checked()!.lines, i);
    },
  });

  // Before any step: the run's status is the return's, from the first transition on.
  await engine.setStatus('requested');
  await engine.run();
  return engine.state;
}
