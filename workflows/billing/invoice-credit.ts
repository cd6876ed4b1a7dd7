/**
 * `applyCredit`: a return's credit memo takes its amount off an issued invoice's open balance (behind
 * `patched('apply-credit')`). Refused over the balance or once the invoice is settled; a credit memo
 * number already applied answers the figures unchanged (`duplicate: true`). Credited down to zero, the
 * invoice settles `credited` (or `paid` when payments covered part of it).
 */
import { patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities/contract';
import type { CreditRequest, InvoiceAccount } from '../../activities/billing/types';
import { applyCreditToLedger, openBalanceMinor } from '../../domain/billing/invoice-ledger';
import { FAILURES } from '../../domain/failures';
import { applyCredit } from './messages';
import { INVOICE_PATCHES, LEDGER_ACTIVITY_OPTIONS, refuse, type InvoiceRun } from './invoice-run';

const { applyInvoiceCredit } = proxyActivities<Pick<Activities, 'applyInvoiceCredit'>>(LEDGER_ACTIVITY_OPTIONS);

function decideCredit(run: InvoiceRun, credit: CreditRequest): { duplicate: boolean } {
  const i = run.issued();
  if (!i)
    throw refuse(
      FAILURES.InvoiceNotIssued,
      `invoice ${run.workflowId} is ${run.engine.state.status}: credit can only be applied to an issued invoice`,
    );
  if (typeof credit.creditMemoNumber !== 'string' || !credit.creditMemoNumber.trim())
    throw refuse(FAILURES.InvalidInvoiceRequest, 'creditMemoNumber is required');
  if (run.credits.some((c) => c.creditMemoNumber === credit.creditMemoNumber)) return { duplicate: true };
  if (run.settledAs)
    throw refuse(FAILURES.InvoiceClosed, `invoice ${i.invoiceNumber} is ${run.settledAs}: no balance left to credit`);
  if (!Number.isSafeInteger(credit.amountMinor) || credit.amountMinor <= 0) {
    throw refuse(
      FAILURES.InvalidInvoiceRequest,
      `amountMinor must be a whole number of minor units > 0 (got ${credit.amountMinor})`,
    );
  }
  const balanceMinor = openBalanceMinor(run.figures(i.totalMinor));
  if (credit.amountMinor > balanceMinor) {
    throw refuse(
      FAILURES.CreditExceedsBalance,
      `credit memo ${credit.creditMemoNumber}: ${credit.amountMinor} exceeds the open balance ${balanceMinor} of invoice ${i.invoiceNumber}`,
    );
  }
  return { duplicate: false };
}

/** Applies an accepted credit memo, once the ledger is free (run.exclusively). */
async function applyAcceptedCredit(run: InvoiceRun, credit: CreditRequest): Promise<InvoiceAccount> {
  // Added after invoices were running: the marker is written only when a credit arrives, so every
  // history recorded before (which has no applyCredit) replays unchanged, and old runs take credits too.
  if (!patched(INVOICE_PATCHES.applyCredit))
    throw refuse(FAILURES.InvalidInvoiceRequest, 'applyCredit is not available on this run');
  if (run.recheck(() => decideCredit(run, credit)).duplicate) return run.account(true);
  const i = run.issued()!;
  const { creditedMinor: creditedAfter, settlesAs } = applyCreditToLedger(
    run.figures(i.totalMinor),
    credit.amountMinor,
  );
  await applyInvoiceCredit({
    invoiceId: run.workflowId,
    customerId: run.request.event.customer.id,
    invoiceNumber: i.invoiceNumber,
    currency: i.currency,
    creditMemoNumber: credit.creditMemoNumber.trim(),
    amountMinor: credit.amountMinor,
    creditedMinor: creditedAfter,
    settledAs: settlesAs,
  });
  run.credits.push({ creditMemoNumber: credit.creditMemoNumber.trim(), amountMinor: credit.amountMinor });
  run.creditedMinor = creditedAfter;
  if (settlesAs) await run.settle(settlesAs);
  return run.account(false);
}

export function handleCredits(run: InvoiceRun): void {
  setHandler(applyCredit, (credit: CreditRequest) => run.exclusively(() => applyAcceptedCredit(run, credit)), {
    validator: (credit: CreditRequest) => void decideCredit(run, credit),
  });
}
