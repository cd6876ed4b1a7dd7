/**
 * `recordPayment`: a payment arrives for an issued invoice. The validator refuses what domain/billing
 * payments' applyPayment refuses (over the balance, void, written off, credited, not issued); accepted,
 * the payment is decided again on the figures the previous ledger change left, posted to the ledger,
 * and settles the invoice `paid` or leaves it `partially_paid`. A reference already applied answers the
 * figures unchanged (`duplicate: true`).
 */
import { ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities/contract';
import type { AppliedPayment, InvoiceAccount, PaymentRequest } from '../../activities/billing/types';
import { billedOrderRefsOf } from '../../activities/billing/types';
import { netTotalMinor } from '../../domain/billing/invoice-ledger';
import { applyPayment, type PayableStanding } from '../../domain/billing/payments';
import { FAILURES } from '../../domain/failures';
import { recordPayment } from './messages';
import { LEDGER_ACTIVITY_OPTIONS, refuse, type InvoiceRun } from './invoice-run';

const { applyInvoicePayment } = proxyActivities<Pick<Activities, 'applyInvoicePayment'>>(LEDGER_ACTIVITY_OPTIONS);

function decidePayment(run: InvoiceRun, payment: PaymentRequest) {
  const i = run.issued();
  const { settledAs, paidMinor } = run;
  if (!i)
    throw refuse(
      FAILURES.InvoiceNotIssued,
      `invoice ${run.workflowId} is ${run.engine.state.status}: it cannot take payments before it is issued`,
    );
  if (settledAs === 'written_off')
    throw refuse(
      FAILURES.InvoiceClosed,
      `invoice ${i.invoiceNumber} was written off: apply the payment as unapplied cash`,
    );
  if (settledAs === 'credited')
    throw refuse(
      FAILURES.InvoiceClosed,
      `invoice ${i.invoiceNumber} was credited in full: apply the payment as unapplied cash`,
    );
  if (!Number.isSafeInteger(payment.amountMinor))
    throw refuse(
      FAILURES.InvalidInvoiceRequest,
      `amountMinor must be a whole number of minor units (got ${payment.amountMinor})`,
    );
  if (typeof payment.reference !== 'string') throw refuse(FAILURES.InvalidInvoiceRequest, 'reference is required');
  const status: PayableStanding =
    settledAs === 'void' ? 'void' : settledAs === 'paid' ? 'paid' : paidMinor > 0 ? 'partially_paid' : 'open';
  try {
    return applyPayment({
      invoice: {
        currency: i.currency,
        totalMinor: netTotalMinor(run.figures(i.totalMinor)),
        paidMinor,
        discountTakenMinor: run.discountTakenMinor,
        invoiceDate: i.issueDate,
        terms: i.terms,
        status,
      },
      payment,
      alreadyAppliedReferences: run.payments.map((p) => p.reference),
    });
  } catch (error) {
    // Malformed input (receivedDate not YYYY-MM-DD): refuse it with the domain's message.
    throw refuse(FAILURES.InvalidInvoiceRequest, error instanceof Error ? error.message : String(error));
  }
}

/** Applies an accepted payment, once the ledger is free (run.exclusively). */
async function applyAcceptedPayment(run: InvoiceRun, payment: PaymentRequest): Promise<InvoiceAccount> {
  const { request, engine } = run;
  const decision = run.recheck(() => decidePayment(run, payment)); // the figures may have changed while waiting
  if (!decision.ok)
    throw ApplicationFailure.create({ type: decision.code, message: decision.reason, nonRetryable: true });
  if (decision.duplicate) return run.account(true);
  const i = run.issued()!;
  const applied: AppliedPayment = {
    reference: payment.reference.trim(),
    amountMinor: payment.amountMinor,
    receivedDate: payment.receivedDate,
    discountAppliedMinor: decision.discountAppliedMinor,
  };
  await applyInvoicePayment({
    invoiceId: run.workflowId,
    orderId: request.orderId,
    dealId: request.event.dealId,
    ...(request.orders || request.billed
      ? { deals: billedOrderRefsOf(request).map((o) => ({ orderId: o.orderId, dealId: o.dealId })) }
      : {}),
    customerId: request.event.customer.id,
    invoiceNumber: i.invoiceNumber,
    currency: i.currency,
    payment: applied,
    paidMinor: decision.paidMinor,
    discountTakenMinor: decision.discountTakenMinor,
    status: decision.status,
  });
  run.payments.push(applied);
  run.paidMinor = decision.paidMinor;
  run.discountTakenMinor = decision.discountTakenMinor;
  if (decision.status === 'paid') await run.settle('paid');
  else await engine.setStatus('partially_paid');
  return run.account(false);
}

export function handlePayments(run: InvoiceRun): void {
  setHandler(recordPayment, (payment: PaymentRequest) => run.exclusively(() => applyAcceptedPayment(run, payment)), {
    validator: (payment: PaymentRequest) => {
      const decision = decidePayment(run, payment);
      if (!decision.ok)
        throw ApplicationFailure.create({ type: decision.code, message: decision.reason, nonRetryable: true });
    },
  });
}
