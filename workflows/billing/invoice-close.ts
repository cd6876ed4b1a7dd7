/**
 * `voidInvoice` and `writeOffInvoice`: finance closes an issued invoice. A void needs an invoice nobody
 * paid or credited anything on (a draft is voided by cancelling the run); a write-off takes the open
 * balance off the books. Either needs a reason, is posted to the ledger and ends the run.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities/contract';
import type { CloseRequest, InvoiceAccount } from '../../activities/billing/types';
import { openBalanceMinor } from '../../domain/billing/invoice-ledger';
import { FAILURES } from '../../domain/failures';
import { voidInvoice, writeOffInvoice } from './messages';
import { LEDGER_ACTIVITY_OPTIONS, refuse, type InvoiceRun } from './invoice-run';

const { closeInvoice } = proxyActivities<Pick<Activities, 'closeInvoice'>>(LEDGER_ACTIVITY_OPTIONS);

type Closing = 'void' | 'written_off';

const closeValidator = (run: InvoiceRun, as: Closing) => (req: CloseRequest) => {
  const { settledAs, paidMinor, creditedMinor } = run;
  if (!req.reason?.trim())
    throw refuse(
      FAILURES.InvalidInvoiceRequest,
      `reason is required to ${as === 'void' ? 'void' : 'write off'} an invoice`,
    );
  const i = run.issued();
  if (!i)
    throw refuse(
      FAILURES.InvoiceNotIssued,
      `invoice ${run.workflowId} is ${run.engine.state.status}: cancel the run (cancelRun) to void a draft`,
    );
  if (settledAs) throw refuse(FAILURES.InvoiceClosed, `invoice ${i.invoiceNumber} is already ${settledAs}`);
  if (as === 'void' && paidMinor > 0)
    throw refuse(
      FAILURES.InvoiceHasPayments,
      `invoice ${i.invoiceNumber} has payments applied: issue a credit memo instead of voiding it`,
    );
  if (as === 'void' && creditedMinor > 0)
    throw refuse(
      FAILURES.InvoiceHasCredits,
      `invoice ${i.invoiceNumber} has credit memos applied: write off the balance instead of voiding it`,
    );
};

/** Closes the invoice as `as`, once the ledger is free (run.exclusively). */
async function closeAccepted(run: InvoiceRun, as: Closing, req: CloseRequest): Promise<InvoiceAccount> {
  run.recheck(() => closeValidator(run, as)(req)); // the figures may have changed while waiting for the ledger
  const i = run.issued()!;
  await closeInvoice({
    invoiceId: run.workflowId,
    customerId: run.request.event.customer.id,
    invoiceNumber: i.invoiceNumber,
    currency: i.currency,
    status: as,
    balanceMinor: openBalanceMinor(run.figures(i.totalMinor)),
    reason: req.reason,
    actor: req.actor,
  });
  await run.settle(as);
  return run.account();
}

export function handleVoidAndWriteOff(run: InvoiceRun): void {
  const close = (as: Closing) => (req: CloseRequest) => run.exclusively(() => closeAccepted(run, as, req));
  setHandler(voidInvoice, close('void'), { validator: closeValidator(run, 'void') });
  setHandler(writeOffInvoice, close('written_off'), { validator: closeValidator(run, 'written_off') });
}
