/**
 * send-invoice: the e-mail to the billing contact with the invoice PDF, once; the PDF as sent is
 * stored on the invoice.
 */
import { formatMoney } from '../../domain/money';
import type { ComputedInvoice } from '../../domain/billing/invoice-calc';
import type { Db } from '../../lib/db';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { issueInvoiceStep } from '../../workflows/billing/steps/issue-invoice';
import { sendMailOnce } from '../mail/send-once';
import { html, type SafeHtml } from '../mail/html';
import { earlyPaymentDiscountMinor } from '../../domain/billing/payments';
import { requestOf } from './draft-invoice';
import { renderInvoicePdf, type InvoiceBillTo, type InvoicePdfData } from './invoice-pdf';
import type { PostalAddress } from '../documents/parts';
import type { SellerIdentity } from '../../lib/config';
import { billedReference, type IssuedInvoice } from './types';
import { isClosed } from './types';

/**
 * Renders the stored invoice as a PDF (also for GET /v1/invoices/:id/pdf when none was stored): the
 * invoice row as drafted and issued, its shipments' dispatch and tracking, the seller as configured.
 */
export async function invoicePdf(db: Db, invoiceId: string, seller: SellerIdentity): Promise<Buffer> {
  const row = await db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  if (row.pdf) return Buffer.from(row.pdf);
  const iso = (d: Date | null) => d?.toISOString().slice(0, 10);
  const billTo = row.billTo as unknown as InvoiceBillTo;
  const [shipments, customer] = await Promise.all([
    db.shipment.findMany({ where: { id: { in: row.shipmentIds } } }),
    // Invoices drafted before billing addresses were stored print the customer's current one.
    billTo.address ? null : db.customer.findUnique({ where: { id: row.customerId }, select: { billingAddress: true } }),
  ]);
  const carriers = await db.carrier.findMany({
    where: { id: { in: shipments.map((s) => s.carrierId).filter((id): id is string => !!id) } },
  });
  const data: InvoicePdfData = {
    seller,
    invoiceNumber: row.invoiceNumber ?? 'DRAFT',
    issueDate: iso(row.issueDate) ?? '(not issued)',
    dueDate: iso(row.dueDate) ?? '(not issued)',
    discountBp: row.discountBp ?? undefined,
    discountDeadline: iso(row.discountDeadline),
    paymentTerms: row.paymentTerms,
    orderId: row.orderId,
    billTo: { ...billTo, address: billTo.address ?? (customer?.billingAddress as PostalAddress | null) ?? undefined },
    shipments: row.shipmentIds.map((id) => {
      const s = shipments.find((candidate) => candidate.id === id);
      return {
        shipmentId: id,
        shipDate: iso(s?.shippedAt ?? s?.promisedShipDate ?? null),
        carrier: carriers.find((c) => c.id === s?.carrierId)?.name,
        trackingNumber: s?.trackingNumber ?? undefined,
      };
    }),
    invoice: row.lines as unknown as ComputedInvoice,
    taxRateBp: row.taxRateBp,
    isTaxExempt: row.isTaxExempt,
  };
  return renderInvoicePdf(data);
}

/** The invoice e-mail's HTML: the amounts a payer needs at a glance; every value escaped by `html`. */
function invoiceMailHtml(
  issued: IssuedInvoice,
  to: { contactName: string; billed: string; seller: SellerIdentity },
): SafeHtml {
  const money = (amountMinor: number) => formatMoney(amountMinor, issued.currency);
  const discountMinor = earlyPaymentDiscountMinor(issued.totalMinor, issued.terms);
  const row = (label: string, value: string) =>
    html`<tr><th align="left" style="padding: 2px 16px 2px 0;">${label}</th><td>${value}</td></tr>`;
  return html`<p>Dear ${to.contactName},</p>
<p>please find attached invoice ${issued.invoiceNumber} for ${to.billed}.</p>
<table cellspacing="0" cellpadding="0">
${row('Invoice', issued.invoiceNumber)}
${row('Amount due', money(issued.totalMinor))}
${row('Due date', `${issued.dueDate} (${issued.terms.label})`)}
${issued.discountDeadline && discountMinor > 0 ? row('Early payment', `${money(issued.totalMinor - discountMinor)} if received by ${issued.discountDeadline}`) : null}
${row('Payment reference', issued.invoiceNumber)}
${row('Bank', `${to.seller.remitTo.bankName}, ${to.seller.remitTo.account}, ${to.seller.remitTo.routing}`)}
</table>
<p>Questions about this invoice: ${to.seller.email}</p>`;
}

/** The invoice e-mail with its PDF to the billing contact, once; the invoice becomes `sent`. */
export async function sendInvoice(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const issued = resultOf(input, issueInvoiceStep);
  const request = requestOf(input);
  const { event, orderId } = input.run;
  const row = await deps.db.invoice.findUniqueOrThrow({ where: { id: input.run.id } });
  if (isClosed(row.status)) return { data: { isSent: false, reason: `invoice is ${row.status}` } };
  const pdf = await invoicePdf(deps.db, row.id, deps.settings.seller);
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
      ...(issued.discountDeadline
        ? [`Pay by ${issued.discountDeadline} to take the ${issued.terms.discountBp! / 100}% early-payment discount.`]
        : []),
      '',
      `Please quote ${issued.invoiceNumber} as the payment reference.`,
    ].join('\n'),
    html: invoiceMailHtml(issued, {
      contactName: event.customer.billingContact.name,
      billed: billedReference(request),
      seller: deps.settings.seller,
    }),
    attachments: [{ filename: `${issued.invoiceNumber}.pdf`, content: pdf, contentType: 'application/pdf' }],
  });
  // Only a still-issued invoice becomes sent: a payment recorded meanwhile keeps its own status.
  await deps.db.invoice.updateMany({
    where: { id: row.id },
    data: { pdf: new Uint8Array(pdf), sentAt: row.sentAt ?? new Date() },
  });
  await deps.db.invoice.updateMany({ where: { id: row.id, status: 'issued' }, data: { status: 'sent' } });
  return { data: { isSent: true, messageId: sent.messageId }, status: row.status === 'issued' ? 'sent' : undefined };
}
