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
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/contract';
import type { AppliedCredit, AppliedPayment, CloseRequest, CreditRequest, InvoiceAccount, InvoiceRequest, PaymentRequest } from '../../activities/billing/types';
import { billedOrderRefsOf, DEFAULT_DUNNING_POLICY } from '../../activities/billing/types';
import { dunningSchedule, timeDunning, validateDunningPolicy, type TimedDunningStep } from '../../domain/billing/dunning';
import { applyCreditToLedger, netTotalMinor, openBalanceMinor, reportedBalanceMinor, type LedgerFigures } from '../../domain/billing/invoice-ledger';
import { applyPayment, type InvoiceStatus as PayableStatus } from '../../domain/billing/payments';
import { daysBetween } from '../../domain/calendar/business-days';
import { FAILURES, type InvoiceRefusal } from '../../domain/failures';
import { StepEngine } from '../engine/run-steps';
import type { RunState } from '../engine/state';
import { durationToMs } from '../shared/duration';
import { CustomerId, NeedsAttention } from '../shared/search-attributes';
import { applyCredit, getInvoice, invoiceProgress, recordPayment, voidInvoice, writeOffInvoice } from './messages';
import { invoiceSteps } from './steps';
import { issueInvoiceStep } from './steps/issue-invoice';
import { dunningInputName, INVOICE_SETTLED, type DunningInput } from './steps/dunning-inputs';

const ledger = proxyActivities<Pick<Activities, 'applyInvoicePayment' | 'closeInvoice' | 'applyInvoiceCredit'>>({
  startToCloseTimeout: '30s',
  retry: { maximumInterval: '30s' },
});

/** Any date: the schedule's steps and their order depend only on the policy, not on the due date. */
const ANY_DUE_DATE = '2000-01-01';

/** Asks INVOICE_PATCHES at the start of the run (see invoiceLifecycle). */
const INVOICE_PATCHES_AT_START = 'invoice-patches-at-start';
/** The invoice's own patches that are asked after its start, where a transition record may precede them. */
const INVOICE_PATCHES = {
  refuseRacingUpdates: 'refuse-racing-updates',
  applyCredit: 'apply-credit',
  dunningFromSend: 'dunning-from-send',
  finishUpdatesBeforeClose: 'finish-updates-before-close',
} as const;

type Settlement = 'paid' | 'void' | 'written_off' | 'credited';

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
  if (problems.length > 0) throw ApplicationFailure.nonRetryable(`invalid dunning policy: ${problems.join('; ')}`, FAILURES.InvalidDunningPolicy.type);
  const dayMs = durationToMs(request.dunning?.dayLength ?? '1 day');

  const payments: AppliedPayment[] = [];
  let paidMinor = 0;
  let discountTakenMinor = 0;
  // Credit memos applied (applyCredit): 0 on every run recorded before credits existed, so the
  // figures below compute exactly as they did then.
  const credits: AppliedCredit[] = [];
  let creditedMinor = 0;
  let settledAs: Settlement | undefined;
  let isRunOver = false;

  const engine: StepEngine = new StepEngine({
    context: { kind: 'invoice', id: workflowId, orderId: request.orderId, event: request.event, createdAt: startTime.toISOString() },
    steps: invoiceSteps(dunningSchedule(ANY_DUE_DATE, policy)),
    initialResults: { request },
    cancellationRefusal: () => (issued() ? `invoice ${issued()!.invoiceNumber} is issued: void it or write it off instead of cancelling` : undefined),
    // Payments, credits and closing set the status as they happen; a send that finishes later must not
    // put a paid (or part-paid, void...) invoice back to `sent`.
    acceptsStatus: (status) => status !== 'sent' || (settledAs === undefined && paidMinor === 0 && creditedMinor === 0),
    onStatus: async (status) => {
      // The order waits for its invoices to be issued (or voided before issue), not for them to be paid.
      if (!parent || !['issued', 'cancelled', 'void'].includes(status)) return;
      try {
        await getExternalWorkflowHandle(parent.workflowId).signal(invoiceProgress, { invoiceId: workflowId, status });
      } catch {
        // The order already ended (ABANDON): nobody is waiting.
      }
    },
  });
  const issued = () => engine.resultOf(issueInvoiceStep);
  const figures = (totalMinor: number): LedgerFigures => ({ totalMinor, paidMinor, discountTakenMinor, creditedMinor });
  const isEscalated = () => (engine.state.results['escalate-invoice'] as { isEscalated?: boolean } | undefined)?.isEscalated === true;
  const account = (duplicate?: boolean): InvoiceAccount => {
    const i = issued();
    const totalMinor = i?.totalMinor ?? 0;
    return {
      invoiceId: workflowId,
      invoiceNumber: i?.invoiceNumber,
      orderId: request.orderId,
      status: engine.state.status,
      currency: i?.currency ?? request.event.currency,
      issueDate: i?.issueDate,
      dueDate: i?.dueDate,
      discountDeadline: i?.discountDeadline,
      totalMinor,
      paidMinor,
      discountTakenMinor,
      balanceMinor: reportedBalanceMinor(figures(totalMinor), settledAs),
      payments: [...payments],
      ...(credits.length > 0 ? { creditedMinor, credits: [...credits] } : {}),
      isEscalated: isEscalated(),
      ...(duplicate !== undefined ? { duplicate } : {}),
    };
  };
  const settle = async (as: Settlement) => {
    settledAs = as;
    engine.state.results[INVOICE_SETTLED] = { as };
    engine.state.needsAttention = false;
    upsertSearchAttributes([{ key: NeedsAttention, value: false }]);
    await engine.setStatus(as);
  };

  // A refusal is an ApplicationFailure (the update fails, the run goes on); anything else thrown in a
  // handler would fail the workflow task on every retry.
  const refuse = ({ type }: InvoiceRefusal, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
  // A handler re-checks its rules after waiting for the ledger: another update may have closed or paid
  // the invoice meanwhile. Such a refusal used to be a plain Error that failed the workflow task forever,
  // so no recorded history completes this path; the marker tells the runs that refuse this way apart
  // (runs started since 'invoice-patches-at-start' carry it from their start).
  const recheck = <T>(decide: () => T): T => {
    try {
      return decide();
    } catch (error) {
      patched(INVOICE_PATCHES.refuseRacingUpdates);
      throw error;
    }
  };

  // One ledger change at a time: each is decided on the figures the previous one left.
  let isBusy = false;
  const exclusively = async <T>(fn: () => Promise<T>): Promise<T> => {
    await condition(() => !isBusy);
    isBusy = true;
    try {
      return await fn();
    } finally {
      isBusy = false;
    }
  };

  const decidePayment = (payment: PaymentRequest) => {
    const i = issued();
    if (!i) throw refuse(FAILURES.InvoiceNotIssued, `invoice ${workflowId} is ${engine.state.status}: it cannot take payments before it is issued`);
    if (settledAs === 'written_off') throw refuse(FAILURES.InvoiceClosed, `invoice ${i.invoiceNumber} was written off: apply the payment as unapplied cash`);
    if (settledAs === 'credited') throw refuse(FAILURES.InvoiceClosed, `invoice ${i.invoiceNumber} was credited in full: apply the payment as unapplied cash`);
    if (!Number.isSafeInteger(payment.amountMinor)) throw refuse(FAILURES.InvalidInvoiceRequest, `amountMinor must be a whole number of minor units (got ${payment.amountMinor})`);
    if (typeof payment.reference !== 'string') throw refuse(FAILURES.InvalidInvoiceRequest, 'reference is required');
    const status: PayableStatus = settledAs === 'void' ? 'void' : settledAs === 'paid' ? 'paid' : paidMinor > 0 ? 'partially_paid' : 'open';
    try {
      return applyPayment({
        invoice: { currency: i.currency, totalMinor: netTotalMinor(figures(i.totalMinor)), paidMinor, discountTakenMinor, invoiceDate: i.issueDate, terms: i.terms, status },
        payment,
        alreadyAppliedReferences: payments.map((p) => p.reference),
      });
    } catch (error) {
      // Malformed input (receivedDate not YYYY-MM-DD): refuse it with the domain's message.
      throw refuse(FAILURES.InvalidInvoiceRequest, error instanceof Error ? error.message : String(error));
    }
  };

  setHandler(getInvoice, () => account());
  setHandler(
    recordPayment,
    (payment: PaymentRequest) =>
      exclusively(async () => {
        const decision = recheck(() => decidePayment(payment)); // the figures may have changed while waiting
        if (!decision.ok) throw ApplicationFailure.create({ type: decision.code, message: decision.reason, nonRetryable: true });
        if (decision.duplicate) return account(true);
        const i = issued()!;
        const applied: AppliedPayment = { reference: payment.reference.trim(), amountMinor: payment.amountMinor, receivedDate: payment.receivedDate, discountAppliedMinor: decision.discountAppliedMinor };
        await ledger.applyInvoicePayment({
          invoiceId: workflowId,
          orderId: request.orderId,
          dealId: request.event.dealId,
          ...(request.orders || request.billed ? { deals: billedOrderRefsOf(request).map((o) => ({ orderId: o.orderId, dealId: o.dealId })) } : {}),
          customerId: request.event.customer.id,
          invoiceNumber: i.invoiceNumber,
          currency: i.currency,
          payment: applied,
          paidMinor: decision.paidMinor,
          discountTakenMinor: decision.discountTakenMinor,
          status: decision.status,
        });
        payments.push(applied);
        paidMinor = decision.paidMinor;
        discountTakenMinor = decision.discountTakenMinor;
        if (decision.status === 'paid') await settle('paid');
        else await engine.setStatus('partially_paid');
        return account(false);
      }),
    {
      validator: (payment: PaymentRequest) => {
        const decision = decidePayment(payment);
        if (!decision.ok) throw ApplicationFailure.create({ type: decision.code, message: decision.reason, nonRetryable: true });
      },
    },
  );

  const closeValidator = (as: 'void' | 'written_off') => (req: CloseRequest) => {
    if (!req.reason?.trim()) throw refuse(FAILURES.InvalidInvoiceRequest, `reason is required to ${as === 'void' ? 'void' : 'write off'} an invoice`);
    const i = issued();
    if (!i) throw refuse(FAILURES.InvoiceNotIssued, `invoice ${workflowId} is ${engine.state.status}: cancel the run (cancelRun) to void a draft`);
    if (settledAs) throw refuse(FAILURES.InvoiceClosed, `invoice ${i.invoiceNumber} is already ${settledAs}`);
    if (as === 'void' && paidMinor > 0) throw refuse(FAILURES.InvoiceHasPayments, `invoice ${i.invoiceNumber} has payments applied: issue a credit memo instead of voiding it`);
    if (as === 'void' && creditedMinor > 0) throw refuse(FAILURES.InvoiceHasCredits, `invoice ${i.invoiceNumber} has credit memos applied: write off the balance instead of voiding it`);
  };
  const close = (as: 'void' | 'written_off') => (req: CloseRequest) =>
    exclusively(async () => {
      recheck(() => closeValidator(as)(req)); // the figures may have changed while waiting for the ledger
      const i = issued()!;
      await ledger.closeInvoice({
        invoiceId: workflowId,
        customerId: request.event.customer.id,
        invoiceNumber: i.invoiceNumber,
        currency: i.currency,
        status: as,
        balanceMinor: openBalanceMinor(figures(i.totalMinor)),
        reason: req.reason,
        actor: req.actor,
      });
      await settle(as);
      return account();
    });
  setHandler(voidInvoice, close('void'), { validator: closeValidator('void') });
  setHandler(writeOffInvoice, close('written_off'), { validator: closeValidator('written_off') });

  const decideCredit = (credit: CreditRequest): { duplicate: boolean } => {
    const i = issued();
    if (!i) throw refuse(FAILURES.InvoiceNotIssued, `invoice ${workflowId} is ${engine.state.status}: credit can only be applied to an issued invoice`);
    if (typeof credit.creditMemoNumber !== 'string' || !credit.creditMemoNumber.trim()) throw refuse(FAILURES.InvalidInvoiceRequest, 'creditMemoNumber is required');
    if (credits.some((c) => c.creditMemoNumber === credit.creditMemoNumber)) return { duplicate: true };
    if (settledAs) throw refuse(FAILURES.InvoiceClosed, `invoice ${i.invoiceNumber} is ${settledAs}: no balance left to credit`);
    if (!Number.isSafeInteger(credit.amountMinor) || credit.amountMinor <= 0) {
      throw refuse(FAILURES.InvalidInvoiceRequest, `amountMinor must be a whole number of minor units > 0 (got ${credit.amountMinor})`);
    }
    const balanceMinor = openBalanceMinor(figures(i.totalMinor));
    if (credit.amountMinor > balanceMinor) {
      throw refuse(FAILURES.CreditExceedsBalance, `credit memo ${credit.creditMemoNumber}: ${credit.amountMinor} exceeds the open balance ${balanceMinor} of invoice ${i.invoiceNumber}`);
    }
    return { duplicate: false };
  };
  setHandler(
    applyCredit,
    (credit: CreditRequest) =>
      exclusively(async () => {
        // Added after invoices were running: the marker is written only when a credit arrives, so every
        // history recorded before (which has no applyCredit) replays unchanged, and old runs take credits too.
        if (!patched(INVOICE_PATCHES.applyCredit)) throw refuse(FAILURES.InvalidInvoiceRequest, 'applyCredit is not available on this run');
        if (recheck(() => decideCredit(credit)).duplicate) return account(true);
        const i = issued()!;
        const { creditedMinor: creditedAfter, settlesAs } = applyCreditToLedger(figures(i.totalMinor), credit.amountMinor);
        await ledger.applyInvoiceCredit({
          invoiceId: workflowId,
          customerId: request.event.customer.id,
          invoiceNumber: i.invoiceNumber,
          currency: i.currency,
          creditMemoNumber: credit.creditMemoNumber.trim(),
          amountMinor: credit.amountMinor,
          creditedMinor: creditedAfter,
          settledAs: settlesAs,
        });
        credits.push({ creditMemoNumber: credit.creditMemoNumber.trim(), amountMinor: credit.amountMinor });
        creditedMinor = creditedAfter;
        if (settlesAs) await settle(settlesAs);
        return account(false);
      }),
    { validator: (credit: CreditRequest) => void decideCredit(credit) },
  );

  // Wakes each dunning step at its time; once the invoice is settled it wakes the rest at once and they
  // stand down (not_required, or a no-op for the one already waiting). Runs recorded before
  // patched('dunning-from-send') counted every step from the moment of issue, so a send stuck for weeks
  // let the reminders fire all at once and escalate; now the clock starts when the invoice is actually
  // sent (or send-invoice is skipped) and timeDunning decides each step's moment or why it is stale.
  const isSendOver = () => ['completed', 'skipped', 'not_required', 'cancelled'].includes(engine.state.steps.find((s) => s.name === 'send-invoice')?.status ?? '');
  const driveDunning = async () => {
    await condition(() => issued() !== undefined || isRunOver);
    const i = issued();
    if (!i) return;
    const issuedAt = Date.now();
    const schedule = dunningSchedule(i.dueDate, policy);
    let timed: TimedDunningStep[] = schedule.map((step) => ({ step, at: issuedAt + daysBetween(i.issueDate, step.date) * dayMs }));
    if (patched(INVOICE_PATCHES.dunningFromSend)) {
      await condition(() => isSendOver() || settledAs !== undefined || isRunOver);
      timed = timeDunning(schedule, { issueDate: i.issueDate, dueDate: i.dueDate, issuedAt, sentAt: Date.now(), dayMs });
    }
    for (const { step, at, staleReason } of timed) {
      if (!staleReason) {
        if (!settledAs && at > Date.now()) await condition(() => settledAs !== undefined, at - Date.now());
        if (!settledAs && step.kind === 'overdue') await engine.setStatus('overdue');
      }
      const input: DunningInput = staleReason ? { ...step, staleReason } : step;
      engine.provideInput(dunningInputName(step), input);
    }
  };
  const dunning = driveDunning();

  const outcome = await engine.run(async () => {
    if (isEscalated() && !settledAs) {
      // Escalated: finance owns it now; flag it like a step that needs attention.
      engine.state.needsAttention = true;
      upsertSearchAttributes([{ key: NeedsAttention, value: true }]);
    }
    await engine.waitUntil(() => settledAs !== undefined);
  });
  isRunOver = true;
  if (outcome === 'cancelled') await engine.setStatus('void');
  await condition(() => !isBusy);
  // An update that waited for the ledger behind the one that settled the invoice still answers (refused)
  // before the run ends, instead of being dropped with the run.
  if (!allHandlersFinished() && patched(INVOICE_PATCHES.finishUpdatesBeforeClose)) await condition(allHandlersFinished);
  void dunning;
  return engine.state;
}
