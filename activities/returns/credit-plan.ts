/**
 * How a credit memo is spent, decided once and then carried out step by step (apply-credit-memo).
 *
 * The plan is stored on the memo row by the first attempt; every retry reads it back instead of
 * planning again, because a retry cannot see the world the first attempt saw: a credit that settled an
 * invoice closes it, so "open invoices" no longer lists it and a fresh plan would spend that money a
 * second time (on another invoice, or as a refund). Each step records its outcome before the next one
 * starts, and the refund (what the applications did not take) is fixed, with its own idempotency key,
 * before the ERP is called.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { applyCreditToInvoices } from '../../domain/billing/credit-memo';
import { openBalanceMinor, type LedgerFigures } from '../../domain/billing/invoice-ledger';
import { sumMinor } from '../../domain/money';
import { applyCredit, getInvoice } from '../../workflows/billing/messages';
import type { InvoiceAccount } from '../billing/types';
import type { ActivityDeps } from '../deps';
import type { SpentCreditMemo } from './types';
import { OPEN_INVOICE_STATUSES } from '../../domain/statuses';

export type PlannedOutcome = { appliedMinor: number; balanceAfterMinor: number } | { skipped: string };

export interface PlannedApplication {
  invoiceId: string;
  invoiceNumber: string;
  amountMinor: number;
  /** Set once the invoice took the credit (or refused it for good); never changed afterwards. */
  outcome?: PlannedOutcome;
}

export interface CreditPlan {
  applications: PlannedApplication[];
  /** Fixed once every application has its outcome, before the ERP is asked to pay. */
  refund?: { amountMinor: number; idempotencyKey: string; refundReference?: string };
}

interface Memo {
  creditMemoNumber: string;
  customerId: string;
  currency: string;
  totalMinor: number;
}

/** The refund's key at the ERP: one refund per credit memo, whatever the attempt. */
export const refundKeyFor = (creditMemoNumber: string): string => `${creditMemoNumber}:refund`;

const isApplied = (o: PlannedOutcome | undefined): o is { appliedMinor: number; balanceAfterMinor: number } =>
  !!o && 'appliedMinor' in o;

/** What the plan has applied so far, in the shape the return workflow reports. */
export const applicationsOf = (plan: CreditPlan): SpentCreditMemo['applications'] =>
  plan.applications.flatMap((a) =>
    isApplied(a.outcome)
      ? [
          {
            invoiceId: a.invoiceId,
            invoiceNumber: a.invoiceNumber,
            appliedMinor: a.outcome.appliedMinor,
            balanceAfterMinor: a.outcome.balanceAfterMinor,
          },
        ]
      : [],
  );

const appliedMinorOf = (plan: CreditPlan): number => sumMinor(applicationsOf(plan).map((a) => a.appliedMinor));

const balanceOfRow = (row: LedgerFigures<bigint>) => Number(openBalanceMinor(row));

/**
 * The memo's plan: the stored one, or a new one stored now (first writer wins, so two attempts that
 * overlap carry out the same plan). Credits already on an invoice (an attempt from before plans were
 * stored) are part of the plan as applied, whatever that invoice's status is now; the rest goes to the
 * customer's open invoices in the memo's currency, oldest due date first.
 */
export async function planOnce(deps: ActivityDeps, client: Client, memo: Memo): Promise<CreditPlan> {
  const stored = await deps.db.creditMemo.findUniqueOrThrow({
    where: { creditMemoNumber: memo.creditMemoNumber },
    select: { plan: true },
  });
  if (stored.plan) return stored.plan as unknown as CreditPlan;

  const earlier = await deps.db.invoiceCredit.findMany({
    where: { creditMemoNumber: memo.creditMemoNumber },
    orderBy: { appliedAt: 'asc' },
  });
  const earlierInvoices = await deps.db.invoice.findMany({ where: { id: { in: earlier.map((c) => c.invoiceId) } } });
  const applications: PlannedApplication[] = earlier.map((c) => {
    const inv = earlierInvoices.find((i) => i.id === c.invoiceId)!;
    const appliedMinor = Number(c.amountMinor);
    return {
      invoiceId: c.invoiceId,
      invoiceNumber: inv.invoiceNumber ?? inv.id,
      amountMinor: appliedMinor,
      outcome: { appliedMinor, balanceAfterMinor: balanceOfRow(inv) },
    };
  });

  const openRows = await deps.db.invoice.findMany({
    where: {
      customerId: memo.customerId,
      currency: memo.currency,
      invoiceNumber: { not: null },
      status: { in: [...OPEN_INVOICE_STATUSES] },
      id: { notIn: earlier.map((c) => c.invoiceId) },
    },
    orderBy: { id: 'asc' },
  });
  const open: { invoiceId: string; invoiceNumber: string; dueDate: string; balanceMinor: number }[] = [];
  for (const inv of openRows) {
    let account: InvoiceAccount;
    try {
      account = await client.workflow.getHandle(inv.id).query(getInvoice);
    } catch {
      continue; // the run is gone (settled long ago): nothing to credit there
    }
    if (account.dueDate && account.balanceMinor > 0)
      open.push({
        invoiceId: inv.id,
        invoiceNumber: inv.invoiceNumber!,
        dueDate: account.dueDate,
        balanceMinor: account.balanceMinor,
      });
  }
  const remainingMinor = Math.max(0, memo.totalMinor - sumMinor(applications.map((a) => a.amountMinor)));
  for (const a of applyCreditToInvoices(remainingMinor, open).applications) {
    applications.push({
      invoiceId: a.invoiceId,
      invoiceNumber: open.find((o) => o.invoiceId === a.invoiceId)!.invoiceNumber,
      amountMinor: a.appliedMinor,
    });
  }

  const plan: CreditPlan = { applications };
  await deps.db
    .$executeRaw`UPDATE credit_memo SET plan = ${JSON.stringify(plan)}::jsonb, updated_at = now() WHERE credit_memo_number = ${memo.creditMemoNumber} AND plan IS NULL`;
  const winner = await deps.db.creditMemo.findUniqueOrThrow({
    where: { creditMemoNumber: memo.creditMemoNumber },
    select: { plan: true },
  });
  return winner.plan as unknown as CreditPlan;
}

/**
 * Applies one planned credit through the invoice workflow's `applyCredit` (deduplicated there by the
 * memo number). The invoice_credit row is the invoice's receipt: when it exists the credit is applied,
 * even if the invoice has closed since. An invoice that refuses (its balance fell under the planned
 * amount, or it was settled or closed meanwhile) keeps nothing, and the amount is refunded instead.
 */
async function applyPlanned(
  deps: ActivityDeps,
  client: Client,
  creditMemoNumber: string,
  planned: PlannedApplication,
): Promise<PlannedOutcome> {
  const receipt = async (): Promise<PlannedOutcome | undefined> => {
    const row = await deps.db.invoiceCredit.findUnique({
      where: { invoiceId_creditMemoNumber: { invoiceId: planned.invoiceId, creditMemoNumber } },
    });
    if (!row) return undefined;
    const inv = await deps.db.invoice.findUniqueOrThrow({ where: { id: planned.invoiceId } });
    return { appliedMinor: Number(row.amountMinor), balanceAfterMinor: balanceOfRow(inv) };
  };
  const earlier = await receipt();
  if (earlier) return earlier;
  try {
    const account = await client.workflow
      .getHandle(planned.invoiceId)
      .executeUpdate(applyCredit, { args: [{ creditMemoNumber, amountMinor: planned.amountMinor }] });
    const appliedMinor =
      account.credits?.find((c) => c.creditMemoNumber === creditMemoNumber)?.amountMinor ?? planned.amountMinor;
    return { appliedMinor, balanceAfterMinor: account.balanceMinor };
  } catch (error) {
    // Anything else (a timeout, the server away) is transient: the activity retries this step.
    if (!(error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError)) throw error;
    const raced = await receipt();
    if (raced) return raced;
    const why =
      error instanceof WorkflowUpdateFailedError
        ? (error.cause?.message ?? error.message)
        : 'the invoice run has ended';
    return { skipped: `invoice ${planned.invoiceNumber} refused ${planned.amountMinor}: ${why}` };
  }
}

/**
 * Carries out the plan: every application not yet decided, each outcome saved before the next, then
 * fixes the refund (the memo total less what the invoices took). Returns the plan with every outcome
 * and the refund set; paying the refund is the caller's (keyed by `refund.idempotencyKey`).
 */
export async function carryOutPlan(
  deps: ActivityDeps,
  client: Client,
  memo: Memo,
  plan: CreditPlan,
): Promise<CreditPlan & { refund: NonNullable<CreditPlan['refund']> }> {
  const save = () =>
    deps.db.creditMemo.update({
      where: { creditMemoNumber: memo.creditMemoNumber },
      data: { plan: plan as unknown as object, applications: applicationsOf(plan) as unknown as object[] },
    });
  for (const planned of plan.applications) {
    if (planned.outcome) continue;
    planned.outcome = await applyPlanned(deps, client, memo.creditMemoNumber, planned);
    await save();
  }
  if (!plan.refund) {
    plan.refund = {
      amountMinor: memo.totalMinor - appliedMinorOf(plan),
      idempotencyKey: refundKeyFor(memo.creditMemoNumber),
    };
    await save();
  }
  return plan as CreditPlan & { refund: NonNullable<CreditPlan['refund']> };
}
