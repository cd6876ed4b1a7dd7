/**
 * Posting to the ERP's receivables and sending the invoice: each once. The e-mail to the billing
 * contact carries the PDF; the PDF as sent is stored on the invoice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { formatMoney } from '../../domain/money';
import type { ComputedInvoice } from '../../domain/billing/invoice-calc';
import type { Db } from '../../lib/db';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { sendMailOnce } from '../mail/send-once';
import { BILLING_FAILURES, requestOf } from './draft-invoice';
import { renderInvoicePdf, type InvoicePdfData } from './invoice-pdf';
import { billedReference, type IssuedInvoice } from './types';
import { reverseClosedInvoice } from './payments';

const isClosed = (status: string) => ['void', 'written_off', 'credited'].includes(status);

/** Posts the issued invoice's total to receivables once (the ERP answers a repeat with the same document). */
export async function postInvoiceToErp(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const issued = input.results['issue-invoice'] as IssuedInvoice;
  const { erp } = deps.adapters;
  const row = await deps.db.invoice.findUniqueOrThrow({ where: { id: input.run.id } });
  if (isClosed(row.status)) return { data: { isPosted: false, reason: `invoice is ${row.status}` } };
  if (!erp.postReceivable) {
    throw ApplicationFailure.create({ type: BILLING_FAILURES.ErpUnsupported, message: 'the configured ERP adapter cannot post receivables', nonRetryable: true });
  }
  const { erpDocumentNumber } = await erp.postReceivable(
    { customerId: input.run.event.customer.id, invoiceNumber: issued.invoiceNumber, kind: 'invoice', amountMinor: issued.totalMinor, currency: issued.currency },
    input.idempotencyKey,
  );
  await deps.db.invoice.updateMany({ where: { id: input.run.id, erpPostedAt: null }, data: { erpPostedAt: new Date() } });
  // Voided or written off while this post was in flight: closeInvoice read erpPostedAt before it was
  // set, so the reversal is ours (keyed like closeInvoice's, so it lands once either way).
  const after = await deps.db.invoice.findUniqueOrThrow({ where: { id: input.run.id } });
  if (after.status === 'void' || after.status === 'written_off') {
    await reverseClosedInvoice(deps, {
      invoiceId: after.id,
      customerId: after.customerId,
      invoiceNumber: issued.invoiceNumber,
      currency: issued.currency,
      status: after.status,
      balanceMinor: Number(after.totalMinor - after.paidMinor - after.discountTakenMinor - after.creditedMinor),
    });
  }
  return { data: { erpDocumentNumber } };
}

/** Renders the stored invoice as a PDF (also for GET /v1/invoices/:id/pdf when none was stored). */
export async function invoicePdf(db: Db, invoiceId: string): Promise<Buffer> {
  const row = await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  if (row.pdf) return Buffer.from(row.pdf);
  const iso = (d: Date | null) => d?.toISOString().slice(0, 10) ?? '(not issued)';
  const data: InvoicePdfData = {
    invoiceNumber: row.invoiceNumber ?? 'DRAFT',
    issueDate: iso(row.issueDate),
    dueDate: iso(row.dueDate),
    discountDeadline: row.discountDeadline ? iso(row.discountDeadline) : undefined,
    paymentTerms: row.paymentTerms,
    orderId: row.orderId,
    billTo: row.billTo as InvoicePdfData['billTo'],
    invoice: row.lines as unknown as ComputedInvoice,
    taxRateBp: row.taxRateBp,
    isTaxExempt: row.isTaxExempt,
  };
  return renderInvoicePdf(data);
}

/** The invoice e-mail with its PDF to the billing contact, once; the invoice becomes `sent`. */
export async function sendInvoice(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const issued = input.results['issue-invoice'] as IssuedInvoice;
  const request = requestOf(input);
  const { event, orderId } = input.run;
  const row = await deps.db.invoice.findUniqueOrThrow({ where: { id: input.run.id } });
  if (isClosed(row.status)) return { data: { isSent: false, reason: `invoice is ${row.status}` } };
  const pdf = await invoicePdf(deps.db, row.id);
  const sent = await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId,
    template: 'invoice',
    to: [event.customer.billingContact.email],
    subject: `Invoice ${issued.invoiceNumber} for ${request.period ? `${request.period.label}` : `PO ${event.poNumber}`}: ${formatMoney(issued.totalMinor, issued.currency)} due ${issued.dueDate}`,
    text: [
      `Dear ${event.customer.billingContact.name},`,
      '',
      `please find attached invoice ${issued.invoiceNumber} for ${billedReference(request)}${request.period ? '' : ` (${orderId})`}.`,
      `Amount due: ${formatMoney(issued.totalMinor, issued.currency)}, due ${issued.dueDate} (${issued.terms.label}).`,
      ...(issued.discountDeadline ? [`Pay by ${issued.discountDeadline} to take the ${issued.terms.discountBp! / 100}% early-payment discount.`] : []),
      '',
      `Please quote ${issued.invoiceNumber} as the payment reference.`,
    ].join('\n'),
    attachments: [{ filename: `${issued.invoiceNumber}.pdf`, content: pdf, contentType: 'application/pdf' }],
  });
  // Only a still-issued invoice becomes sent: a payment recorded meanwhile keeps its own status.
  await deps.db.invoice.updateMany({ where: { id: row.id }, data: { pdf: new Uint8Array(pdf), sentAt: row.sentAt ?? new Date() } });
  await deps.db.invoice.updateMany({ where: { id: row.id, status: 'issued' }, data: { status: 'sent' } });
  return { data: { isSent: true, messageId: sent.messageId }, status: row.status === 'issued' ? 'sent' : undefined };
}
