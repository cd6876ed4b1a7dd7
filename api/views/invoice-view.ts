/** Invoices as finance and integrators see them: figures, due date, open balance and the amount to pay. */
import { z } from 'zod';
import { Prisma, type Db } from '../../lib/db';
import { amountDue, type AmountDue } from '../../domain/billing/payments';
import { netTotalMinor, reportedBalanceMinor } from '../../domain/billing/invoice-ledger';
import { parsePaymentTerms } from '../../domain/billing/payment-terms';

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const todayUtc = () => new Date().toISOString().slice(0, 10);

export const invoiceSummarySchema = z.object({
  invoiceId: z.string(),
  invoiceNumber: z.string().nullable(),
  orderId: z.string().describe('The order billed; for a period invoice, the first of orderIds'),
  orderIds: z.array(z.string()).describe('Every order billed: one, unless the invoice is per period'),
  billingPeriod: z.string().nullable().describe('Period invoices: the period billed, e.g. 2026-11'),
  customerId: z.string(),
  status: z.string(),
  currency: z.string(),
  issueDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  totalMinor: z.number().int(),
  paidMinor: z.number().int(),
  discountTakenMinor: z.number().int(),
  creditedMinor: z.number().int(),
  balanceMinor: z.number().int(),
  amountDueMinor: z.number().int().describe('The payment that settles the invoice: its open balance once issued; 0 while draft and once paid, void, written off or credited'),
  amountDueWithDiscountMinor: z.number().int().optional()
    .describe('Only inside the early-payment window (terms such as "2/10 NET30"): the smaller payment that settles the invoice with the discount when received by discountDeadline'),
  discountDeadline: z.string().optional().describe('Only inside the early-payment window: the last day a payment of amountDueWithDiscountMinor takes the discount'),
  isEscalated: z.boolean(),
});

type InvoiceRow = Prisma.InvoiceGetPayload<object>;

/** Invoices that take payments; the others have nothing due. */
const PAYABLE_STATUSES = ['issued', 'sent', 'partially_paid', 'overdue'];

/**
 * The amount due on `asOf`, decided by the rules the invoice workflow applies to a payment received
 * that day (domain/billing/payments.ts): the same terms, issue date and total net of credit memos.
 */
export function amountDueOf(r: InvoiceRow, asOf: string): AmountDue {
  if (!PAYABLE_STATUSES.includes(r.status) || !r.issueDate) return { amountDueMinor: 0 };
  const terms = parsePaymentTerms(r.paymentTerms);
  const paidMinor = Number(r.paidMinor);
  const invoice = {
    currency: r.currency,
    totalMinor: Number(netTotalMinor(r)),
    paidMinor,
    discountTakenMinor: Number(r.discountTakenMinor),
    invoiceDate: day(r.issueDate)!,
    status: paidMinor > 0 ? ('partially_paid' as const) : ('open' as const),
  };
  // Issued invoices always carry parsed terms; an unreadable label only loses the discount offer.
  return amountDue({ ...invoice, terms: terms.ok ? terms.terms : { netDays: 1, label: r.paymentTerms } }, asOf);
}

/** The invoice as of `asOf` (today, UTC, by default: the discount offer depends on the day). */
export const invoiceSummary = (r: InvoiceRow, asOf: string = todayUtc()) => ({
  invoiceId: r.id,
  invoiceNumber: r.invoiceNumber,
  orderId: r.orderId,
  orderIds: r.orderIds.length > 0 ? r.orderIds : [r.orderId],
  billingPeriod: (r.billTo as { period?: { label?: string } } | null)?.period?.label ?? null,
  customerId: r.customerId,
  status: r.status,
  currency: r.currency,
  issueDate: day(r.issueDate),
  dueDate: day(r.dueDate),
  totalMinor: Number(r.totalMinor),
  paidMinor: Number(r.paidMinor),
  discountTakenMinor: Number(r.discountTakenMinor),
  balanceMinor: reportedBalanceMinor(r, r.status),
  creditedMinor: Number(r.creditedMinor),
  ...amountDueFields(amountDueOf(r, asOf)),
  isEscalated: r.isEscalated,
});

const amountDueFields = ({ amountDueMinor, withDiscount }: AmountDue) => ({
  amountDueMinor,
  ...(withDiscount ? { amountDueWithDiscountMinor: withDiscount.amountMinor, discountDeadline: withDiscount.deadline } : {}),
});


/** The columns the summary reads, as the JSON of invoicesJson (amounts as JSON numbers). */
export interface InvoiceJson {
  id: string; invoice_number: string | null; order_id: string; order_ids: string[]; period_label: string | null; customer_id: string; status: string;
  currency: string; payment_terms: string; issue_date: string | null; due_date: string | null; total_minor: number; paid_minor: number;
  discount_taken_minor: number; credited_minor: number; is_escalated: boolean;
}

/**
 * A subquery: the JSON array (or null) of the invoices matching `where`, by id, with only the columns a
 * summary shows (not the PDF, not the computed lines).
 */
export const INVOICE_JSON_COLUMNS = Prisma.sql`id, invoice_number, order_id, order_ids, bill_to->'period'->>'label' AS period_label, customer_id, status,
  currency, payment_terms, issue_date, due_date, total_minor, paid_minor, discount_taken_minor, credited_minor, is_escalated`;

export const invoicesJson = (where: Prisma.Sql) => Prisma.sql`(SELECT json_agg(i ORDER BY i.id) FROM (SELECT ${INVOICE_JSON_COLUMNS} FROM invoice WHERE ${where}) i)`;

/** A date column read as JSON (YYYY-MM-DD) as the Date a row would hold: midnight UTC. */
export const dateOf = (d: string | null) => (d ? new Date(`${d.slice(0, 10)}T00:00:00Z`) : null);

/** The summary of an invoice read as JSON: the row fields invoiceSummary reads (it takes numbers or bigints). */
export const invoiceFromJson = (i: InvoiceJson, asOf: string = todayUtc()) =>
  invoiceSummary({
    id: i.id, invoiceNumber: i.invoice_number, orderId: i.order_id, orderIds: i.order_ids, billTo: i.period_label ? { period: { label: i.period_label } } : {},
    customerId: i.customer_id, status: i.status, currency: i.currency, paymentTerms: i.payment_terms, issueDate: dateOf(i.issue_date), dueDate: dateOf(i.due_date),
    totalMinor: i.total_minor, paidMinor: i.paid_minor, discountTakenMinor: i.discount_taken_minor, creditedMinor: i.credited_minor, isEscalated: i.is_escalated,
  } as unknown as InvoiceRow, asOf);

/**
 * Invoices of these orders, grouped by order id: one statement for a page of orders, one GIN lookup
 * per order (an overlap test of the whole page against every row's order_ids would scan the table).
 */
export async function loadInvoices(db: Db, orderIds: string[]): Promise<Map<string, z.infer<typeof invoiceSummarySchema>[]>> {
  const [found] = await db.$queryRaw<{ rows: (InvoiceJson & { for_order: string })[] | null }[]>`
    SELECT (SELECT json_agg(i ORDER BY i.for_order, i.id) FROM (
      SELECT x.id AS for_order, v.* FROM unnest(${orderIds}::text[]) AS x(id)
      CROSS JOIN LATERAL (SELECT ${INVOICE_JSON_COLUMNS} FROM invoice WHERE order_ids @> ARRAY[x.id]) v) i) AS rows`;
  const byOrder = new Map<string, z.infer<typeof invoiceSummarySchema>[]>();
  const asOf = todayUtc();
  // A period invoice shows under every order it bills.
  for (const row of found?.rows ?? []) byOrder.set(row.for_order, [...(byOrder.get(row.for_order) ?? []), invoiceFromJson(row, asOf)]);
  return byOrder;
}
