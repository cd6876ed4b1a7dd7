/**
 * Persisting what the invoice workflow decided with domain/billing/payments applyPayment: the payment
 * row (unique per invoice and reference) and the invoice's figures in one transaction, the ERP
 * receivables entries, CRM `paid`; and closing an invoice by void or write-off. A settled invoice
 * that had been escalated lifts the credit hold dunning set when no other escalated invoice is open
 * (never a hold finance set by hand).
 */
import type { ActivityDeps } from '../deps';
import type { AppliedPayment, InvoiceStatus } from './types';
import { CLOSED_INVOICE_STATUSES } from './types';

export interface PaymentRecord {
  invoiceId: string;
  orderId: string;
  dealId: string;
  /** Period invoices: every order billed, each told `paid` (absent: just orderId/dealId). */
  deals?: { orderId: string; dealId: string }[];
  customerId: string;
  invoiceNumber: string;
  currency: string;
  payment: AppliedPayment;
  paidMinor: number;
  discountTakenMinor: number;
  status: 'partially_paid' | 'paid';
}

const date = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Who put a customer on credit hold when dunning escalated (customer.creditHoldSource). */
export const DUNNING_CREDIT_HOLD = 'dunning';

/**
 * Lifts the hold dunning set once no escalated invoice of the customer is open. A hold finance set by
 * hand (any other source) stays: paying an invoice does not answer why finance held the account.
 */
export async function liftCreditHoldIfClear(deps: ActivityDeps, customerId: string): Promise<void> {
  const stillEscalated = await deps.db.invoice.count({
    where: { customerId, isEscalated: true, status: { notIn: [...CLOSED_INVOICE_STATUSES] } },
  });
  if (stillEscalated > 0) return;
  await deps.db.customer.updateMany({
    where: { id: customerId, creditHoldSource: DUNNING_CREDIT_HOLD },
    data: { isOnCreditHold: false, creditHoldSource: null },
  });
}

export async function applyInvoicePayment(deps: ActivityDeps, record: PaymentRecord): Promise<void> {
  const { payment } = record;
  await deps.db.$transaction(async (tx) => {
    const inserted = await tx.payment.createMany({
      data: [
        {
          invoiceId: record.invoiceId,
          reference: payment.reference,
          amountMinor: BigInt(payment.amountMinor),
          discountAppliedMinor: BigInt(payment.discountAppliedMinor),
          receivedDate: date(payment.receivedDate),
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 1) {
      await tx.invoice.update({
        where: { id: record.invoiceId },
        data: {
          paidMinor: BigInt(record.paidMinor),
          discountTakenMinor: BigInt(record.discountTakenMinor),
          status: record.status,
        },
      });
    }
  });
  const { erp, crm } = deps.adapters;
  const key = `${record.invoiceId}:payment:${payment.reference}`;
  const entry = { customerId: record.customerId, invoiceNumber: record.invoiceNumber, currency: record.currency };
  await erp.postReceivable?.({ ...entry, kind: 'payment', amountMinor: -payment.amountMinor }, key);
  if (payment.discountAppliedMinor > 0)
    await erp.postReceivable?.(
      { ...entry, kind: 'discount', amountMinor: -payment.discountAppliedMinor },
      `${key}:discount`,
    );
  if (record.status === 'paid') {
    const deals = record.deals ?? [{ orderId: record.orderId, dealId: record.dealId }];
    for (const deal of deals) {
      await crm.sendMilestone(
        { ...deal, milestone: 'paid', detail: { invoiceId: record.invoiceId, invoiceNumber: record.invoiceNumber } },
        deals.length > 1 ? `${record.invoiceId}:crm-paid:${deal.dealId}` : `${record.invoiceId}:crm-paid`,
      );
    }
    await liftCreditHoldIfClear(deps, record.customerId);
  }
}

export interface CloseRecord {
  invoiceId: string;
  customerId: string;
  invoiceNumber: string;
  currency: string;
  status: Extract<InvoiceStatus, 'void' | 'written_off'>;
  /** What the customer no longer owes: taken off receivables when the invoice was posted. */
  balanceMinor: number;
  reason: string;
  actor: string;
}

export async function closeInvoice(deps: ActivityDeps, record: CloseRecord): Promise<void> {
  await deps.db.invoice.update({
    where: { id: record.invoiceId },
    data: { status: record.status, closedReason: `${record.actor}: ${record.reason}` },
  });
  // Read after the status is written: a post-to-erp in flight either sees this status (and reverses
  // itself, see postInvoiceToErp) or has stamped erpPostedAt, which this read sees.
  const row = await deps.db.invoice.findUniqueOrThrow({
    where: { id: record.invoiceId },
    select: { erpPostedAt: true },
  });
  if (row.erpPostedAt) await reverseClosedInvoice(deps, record);
  await liftCreditHoldIfClear(deps, record.customerId);
}

/**
 * Takes a void or written-off invoice's balance back off the ERP's receivables, once (keyed by invoice
 * and status): both closeInvoice and a post-to-erp that raced it may call it.
 */
export async function reverseClosedInvoice(
  deps: ActivityDeps,
  closed: Pick<CloseRecord, 'invoiceId' | 'customerId' | 'invoiceNumber' | 'currency' | 'status' | 'balanceMinor'>,
): Promise<void> {
  if (closed.balanceMinor <= 0) return;
  await deps.adapters.erp.postReceivable?.(
    {
      customerId: closed.customerId,
      invoiceNumber: closed.invoiceNumber,
      currency: closed.currency,
      kind: closed.status === 'void' ? 'void' : 'write_off',
      amountMinor: -closed.balanceMinor,
    },
    `${closed.invoiceId}:${closed.status}`,
  );
}
