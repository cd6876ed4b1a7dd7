/**
 * One invoice, from draft to paid: INVOICE steps on the step engine (draft, issue with a gapless
 * number, post to the ERP's receivables, e-mail with the PDF), then dunning: a reminder before the due
 * date, on it and at +7/+15/+30 days (the policy and the length of a "day" come from the input, so
 * tests run it in seconds), then escalation to finance with the customer on credit hold. Dunning's clock
 * starts when the invoice is actually sent (domain/billing/dunning timeDunning: reminders whose moment
 * passed before the send are skipped as stale, with the reason).
 *
 * Started by the order (`invoice-<shipmentId>` per shipment or `invoice-<orderId>` per order), or by the
 * customer's billing-period workflow (`invoice-<customerId>-<period>`, several orders), with
 * parent-close policy ABANDON, so dunning outlives the order. Answers `getState`, `decideStep`,
 * `cancelRun` (before issue only: the draft is voided), `getInvoice`, and the updates `recordPayment`,
 * `voidInvoice`, `writeOffInvoice` and `applyCredit` (a return's credit memo; behind
 * `patched('apply-credit')`). Updates change the ledger one at a time; each re-checks its rules after
 * waiting and refuses with an ApplicationFailure typed from the catalogue (domain/failures.ts) (two voids at once: one
 * voids, the other is refused), and the run answers every update before it ends. The run ends when the
 * invoice is paid in full, credited, void or written off; every change of its status is a step event.
 *
 * Its parts: invoice-run.ts (the ledger as the run holds it, and the primitives the updates share),
 * invoice-payment.ts, invoice-close.ts (void, write-off), invoice-credit.ts, invoice-dunning.ts. Their
 * handlers' bodies are awaited exactly as when they were closures here, so the run's commands come out
 * in the same order.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { InvoiceRequest } from '../../activities/billing/types';
import { DEFAULT_DUNNING_POLICY } from '../../activities/billing/types';
import { validateDunningPolicy } from '../../domain/billing/dunning';
import { FAILURES } from '../../domain/failures';
import type { RunState } from '../engine/state';
import { durationToMs } from '../shared/duration';
import { CustomerId, NeedsAttention } from '../shared/search-attributes';
import { handleVoidAndWriteOff } from './invoice-close';
import { handleCredits } from './invoice-credit';
import { driveDunning } from './invoice-dunning';
import { handlePayments } from './invoice-payment';
import { INVOICE_PATCHES, INVOICE_PATCHES_AT_START, InvoiceRun } from './invoice-run';
import { getInvoice } from './messages';

export async function invoiceLifecycle(request: InvoiceRequest): Promise<RunState> {
  const { workflowId, startTime, parent } = workflowInfo();
  upsertSearchAttributes([{ key: CustomerId, value: request.event.customer.id }]);
  // Every patch asked further down is asked here first, before any transition record (StepEngine's
  // PATCHES_AT_FIRST_RECORD explains the hazard): an update waiting for the ledger behind one that ended
  // with a record asked 'apply-credit' or 'refuse-racing-updates' right after it, and a run whose task
  // a query ended at that record failed to replay. Runs started before this patch ask each where it is used.
  if (patched(INVOICE_PATCHES_AT_START)) for (const name of Object.values(INVOICE_PATCHES)) patched(name);
  const policy = request.dunning?.policy ?? DEFAULT_DUNNING_POLICY;
  const problems = validateDunningPolicy(policy);
  if (problems.length > 0)
    throw ApplicationFailure.nonRetryable(
      `invalid dunning policy: ${problems.join('; ')}`,
      FAILURES.InvalidDunningPolicy.type,
    );
  const dayMs = durationToMs(request.dunning?.dayLength ?? '1 day');

  const run = new InvoiceRun(workflowId, request, policy, { startTime, parent });
  const { engine } = run;
  // Every handler is registered before the first await, in this order.
  setHandler(getInvoice, () => run.account());
  handlePayments(run);
  handleVoidAndWriteOff(run);
  handleCredits(run);
  const dunning = driveDunning(run, policy, dayMs);

  const outcome = await engine.run(async () => {
    if (run.isEscalated() && !run.settledAs) {
      // Escalated: finance owns it now; flag it like a step that needs attention.
      engine.state.needsAttention = true;
      upsertSearchAttributes([{ key: NeedsAttention, value: true }]);
    }
    await engine.waitUntil(() => run.settledAs !== undefined);
  });
  // Closing stays here, not in a function of its own: one more await before the run's last commands
  // could put them after another part's.
  run.isRunOver = true;
  if (outcome === 'cancelled') await engine.setStatus('void');
  await condition(() => !run.isBusy);
  // An update that waited for the ledger behind the one that settled the invoice still answers (refused)
  // before the run ends, instead of being dropped with the run.
  if (!allHandlersFinished() && patched(INVOICE_PATCHES.finishUpdatesBeforeClose)) await condition(allHandlersFinished);
  void dunning;
  return engine.state;
}
