/**
 * What the parts of the invoice workflow share: the run (its request and step engine), the ledger as
 * the run holds it (payments, discounts taken, credit memos, how it settled), the invoice's own patches,
 * and the primitives its updates are written with: refuse, re-check after waiting, one ledger change at
 * a time, settle. The arithmetic is domain/billing/invoice-ledger's.
 */
import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  patched,
  upsertSearchAttributes,
  type ActivityOptions,
  type ParentWorkflowInfo,
} from '@temporalio/workflow';
import type {
  AppliedCredit,
  AppliedPayment,
  InvoiceAccount,
  InvoiceRequest,
  IssuedInvoice,
} from '../../activities/billing/types';
import { dunningSchedule, type DunningPolicy } from '../../domain/billing/dunning';
import { reportedBalanceMinor, type LedgerFigures } from '../../domain/billing/invoice-ledger';
import type { InvoiceRefusal } from '../../domain/failures';
import { StepEngine } from '../engine/run-steps';
import { NeedsAttention } from '../shared/search-attributes';
import { invoiceProgress } from './messages';
import { invoiceSteps } from './steps';
import { issueInvoiceStep } from './steps/issue-invoice';
import { ESCALATE_INVOICE } from './steps/escalate-invoice';
import { INVOICE_SETTLED } from './steps/dunning-inputs';

/** Asks INVOICE_PATCHES at the start of the run (see invoiceLifecycle). Never rename a patch: recorded histories carry them. */
export const INVOICE_PATCHES_AT_START = 'invoice-patches-at-start';
/** The invoice's own patches that are asked after its start, where a transition record may precede them. */
export const INVOICE_PATCHES = {
  refuseRacingUpdates: 'refuse-racing-updates',
  applyCredit: 'apply-credit',
  dunningFromSend: 'dunning-from-send',
  finishUpdatesBeforeClose: 'finish-updates-before-close',
} as const;

/** The ledger activities the updates call (applyInvoicePayment, closeInvoice, applyInvoiceCredit). */
export const LEDGER_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { maximumInterval: '30s' },
};

/** Any date: the schedule's steps and their order depend only on the policy, not on the due date. */
const ANY_DUE_DATE = '2000-01-01';

export type Settlement = 'paid' | 'void' | 'written_off' | 'credited';

/**
 * A refusal is an ApplicationFailure (the update fails, the run goes on); anything else thrown in a
 * handler would fail the workflow task on every retry.
 */
export const refuse = ({ type }: InvoiceRefusal, message: string): ApplicationFailure =>
  ApplicationFailure.create({ type, message, nonRetryable: true });

export class InvoiceRun {
  readonly engine: StepEngine;
  readonly payments: AppliedPayment[] = [];
  paidMinor = 0;
  discountTakenMinor = 0;
  // Credit memos applied (applyCredit): 0 on every run recorded before credits existed, so the
  // figures below compute exactly as they did then.
  readonly credits: AppliedCredit[] = [];
  creditedMinor = 0;
  settledAs?: Settlement;
  /** The engine's run ended: dunning stands down. */
  isRunOver = false;
  /** A ledger change is being made (see exclusively). */
  isBusy = false;

  constructor(
    readonly workflowId: string,
    readonly request: InvoiceRequest,
    policy: DunningPolicy,
    { startTime, parent }: { startTime: Date; parent?: ParentWorkflowInfo },
  ) {
    this.engine = new StepEngine({
      context: {
        kind: 'invoice',
        id: workflowId,
        orderId: request.orderId,
        event: request.event,
        createdAt: startTime.toISOString(),
      },
      steps: invoiceSteps(dunningSchedule(ANY_DUE_DATE, policy)),
      initialResults: { request },
      cancellationRefusal: () =>
        this.issued()
          ? `invoice ${this.issued()!.invoiceNumber} is issued: void it or write it off instead of cancelling`
          : undefined,
      // Payments, credits and closing set the status as they happen; a send that finishes later must not
      // put a paid (or part-paid, void...) invoice back to `sent`.
      acceptsStatus: (status) =>
        status !== 'sent' || (this.settledAs === undefined && this.paidMinor === 0 && this.creditedMinor === 0),
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
  }

  issued(): IssuedInvoice | undefined {
    return this.engine.resultOf(issueInvoiceStep);
  }

  figures(totalMinor: number): LedgerFigures {
    return {
      totalMinor,
      paidMinor: this.paidMinor,
      discountTakenMinor: this.discountTakenMinor,
      creditedMinor: this.creditedMinor,
    };
  }

  isEscalated(): boolean {
    return this.engine.resultOf(ESCALATE_INVOICE)?.isEscalated === true;
  }

  /** The invoice's figures as `getInvoice` and every update answer them. */
  account(duplicate?: boolean): InvoiceAccount {
    const i = this.issued();
    const totalMinor = i?.totalMinor ?? 0;
    return {
      invoiceId: this.workflowId,
      invoiceNumber: i?.invoiceNumber,
      orderId: this.request.orderId,
      status: this.engine.state.status,
      currency: i?.currency ?? this.request.event.currency,
      issueDate: i?.issueDate,
      dueDate: i?.dueDate,
      discountDeadline: i?.discountDeadline,
      totalMinor,
      paidMinor: this.paidMinor,
      discountTakenMinor: this.discountTakenMinor,
      balanceMinor: reportedBalanceMinor(this.figures(totalMinor), this.settledAs),
      payments: [...this.payments],
      ...(this.credits.length > 0 ? { creditedMinor: this.creditedMinor, credits: [...this.credits] } : {}),
      isEscalated: this.isEscalated(),
      ...(duplicate !== undefined ? { duplicate } : {}),
    };
  }

  async settle(as: Settlement): Promise<void> {
    this.settledAs = as;
    this.engine.state.results[INVOICE_SETTLED] = { as };
    this.engine.state.needsAttention = false;
    upsertSearchAttributes([{ key: NeedsAttention, value: false }]);
    await this.engine.setStatus(as);
  }

  /**
   * A handler re-checks its rules after waiting for the ledger: another update may have closed or paid
   * the invoice meanwhile. Such a refusal used to be a plain Error that failed the workflow task forever,
   * so no recorded history completes this path; the marker tells the runs that refuse this way apart
   * (runs started since 'invoice-patches-at-start' carry it from their start).
   */
  recheck<T>(decide: () => T): T {
    try {
      return decide();
    } catch (error) {
      patched(INVOICE_PATCHES.refuseRacingUpdates);
      throw error;
    }
  }

  /** One ledger change at a time: each is decided on the figures the previous one left. */
  async exclusively<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !this.isBusy);
    this.isBusy = true;
    try {
      return await fn();
    } finally {
      this.isBusy = false;
    }
  }
}
