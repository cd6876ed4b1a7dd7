/**
 * Issuing: the invoice number, issue and due dates, the discount deadline; CRM `invoiced`.
 *
 * Invoice numbers are sequential without gaps (tax law in many countries). A PostgreSQL sequence
 * cannot promise that (nextval is never rolled back), so the number comes from the `invoice_counter`
 * row, incremented in the same transaction that writes it onto the invoice: a transaction that fails
 * gives its number back, and the row lock hands numbers out one at a time.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { discountDeadline, dueDate, parsePaymentTerms } from '../../domain/billing/payment-terms';
import type { Db } from '../../lib/db';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { today } from '../fulfillment/reserve-stock';
import { requestOf } from './draft-invoice';
import { FAILURES } from '../../domain/failures';
import { billedOrderRefsOf, type IssuedInvoice } from './types';

export const INVOICE_SERIES = 'invoice';
export const formatInvoiceNumber = (n: bigint | number): string => `INV-${String(n).padStart(7, '0')}`;

export interface IssueFields {
  issueDate: string;
  dueDate: string;
  discountBp?: number;
  discountDeadline?: string;
}

const date = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * Gives the draft invoice `invoiceId` the next number and marks it issued with `fields`, in one
 * transaction. Idempotent: an invoice that already has a number keeps it (`isNew: false`). Throws,
 * consuming no number, when the invoice does not exist or is no longer a draft.
 */
export async function allocateInvoiceNumber(
  db: Db,
  invoiceId: string,
  fields: IssueFields,
): Promise<{ invoiceNumber: string; isNew: boolean }> {
  return db.$transaction(
    async (tx) => {
      // Lock the invoice first: two attempts to issue the same invoice serialise here.
      const [invoice] = await tx.$queryRaw<{ invoice_number: string | null; status: string }[]>`
        SELECT invoice_number, status FROM invoice WHERE id = ${invoiceId} FOR UPDATE`;
      if (!invoice) throw new Error(`invoice ${invoiceId} does not exist`);
      if (invoice.invoice_number) return { invoiceNumber: invoice.invoice_number, isNew: false };
      if (invoice.status !== 'draft')
        throw new Error(`invoice ${invoiceId} is ${invoice.status}, not draft: it cannot be issued`);
      const [counter] = await tx.$queryRaw<{ last_number: bigint }[]>`
        UPDATE invoice_counter SET last_number = last_number + 1 WHERE id = ${INVOICE_SERIES} RETURNING last_number`;
      if (!counter) throw new Error(`invoice number series "${INVOICE_SERIES}" is missing from invoice_counter`);
      const invoiceNumber = formatInvoiceNumber(counter.last_number);
      await tx.invoice.update({
        where: { id: invoiceId },
        data: {
          invoiceNumber,
          status: 'issued',
          issueDate: date(fields.issueDate),
          dueDate: date(fields.dueDate),
          discountBp: fields.discountBp ?? null,
          discountDeadline: fields.discountDeadline ? date(fields.discountDeadline) : null,
        },
      });
      return { invoiceNumber, isNew: true };
    },
    { maxWait: 20_000, timeout: 20_000 },
  );
}

/** Number, dates from the payment terms; CRM `invoiced` once. */
export async function issueInvoice(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const request = requestOf(input);
  const parsed = parsePaymentTerms(request.paymentTerms);
  if (!parsed.ok)
    throw ApplicationFailure.create({ type: FAILURES.InvoiceInvalid.type, message: parsed.reason, nonRetryable: true });
  const terms = parsed.terms;
  const issueDate = today();
  await allocateInvoiceNumber(deps.db, input.run.id, {
    issueDate,
    dueDate: dueDate(issueDate, terms),
    discountBp: terms.discountBp,
    discountDeadline: discountDeadline(issueDate, terms),
  });
  // Read back: a retry after a crash must report the dates stored the first time.
  const row = await deps.db.invoice.findUniqueOrThrow({ where: { id: input.run.id } });
  const iso = (d: Date | null) => d?.toISOString().slice(0, 10);
  const issued: IssuedInvoice = {
    invoiceNumber: row.invoiceNumber!,
    issueDate: iso(row.issueDate)!,
    dueDate: iso(row.dueDate)!,
    discountDeadline: iso(row.discountDeadline),
    terms,
    totalMinor: Number(row.totalMinor),
    currency: row.currency,
  };
  // Every deal billed hears `invoiced` (a period invoice bills several).
  const orders = billedOrderRefsOf(request);
  for (const order of orders) {
    await deps.adapters.crm.sendMilestone(
      {
        orderId: order.orderId,
        dealId: order.dealId,
        milestone: 'invoiced',
        detail: {
          invoiceId: row.id,
          invoiceNumber: issued.invoiceNumber,
          totalMinor: issued.totalMinor,
          currency: issued.currency,
          dueDate: issued.dueDate,
        },
      },
      orders.length > 1 ? `${input.idempotencyKey}:crm:${order.dealId}` : `${input.idempotencyKey}:crm`,
    );
  }
  return { data: issued, status: 'issued' };
}
