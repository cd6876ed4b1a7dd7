/** Invoices as finance and integrators see them: figures, due date, open balance and the amount to pay. */
import { z } from 'zod';
import { Prisma } from '../../lib/db';
import { daySql } from './sql-json';
import { amountDue, type AmountDue } from '../../domain/billing/payments';
import { reportedBalanceMinor } from '../../domain/billing/invoice-ledger';
import { parsePaymentTerms } from '../../domain/billing/payment-terms';
import { isOneOf, OPEN_INVOICE_STATUSES } from '../../domain/statuses';

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
  amountDueMinor: z
    .number()
    .int()
    .describe(
      'The payment that settles the invoice: its open balance once issued; 0 while draft and once paid, void, written off or credited',
    ),
  amountDueWithDiscountMinor: z
    .number()
    .int()
    .optional()
    .describe(
      'Only inside the early-payment window (terms such as "2/10 NET30"): the smaller payment that settles the invoice with the discount when received by discountDeadline',
    ),
  discountDeadline: z
    .string()
    .optional()
    .describe(
      'Only inside the early-payment window: the last day a payment of amountDueWithDiscountMinor takes the discount',
    ),
  isEscalated: z.boolean(),
});

type InvoiceRow = Prisma.InvoiceGetPayload<object>;

/** What the amount due is computed from: the invoice row's fields, the issue date as YYYY-MM-DD. */
export interface AmountDueFigures {
  status: string;
  paymentTerms: string;
  currency: string;
  issueDay: string | null;
  totalMinor: number | bigint;
  paidMinor: number | bigint;
  discountTakenMinor: number | bigint;
  creditedMinor: number | bigint;
}

/**
 * The amount due on `asOf`, decided by the rules the invoice workflow applies to a payment received
 * that day (domain/billing/payments.ts): the same terms, issue date and total net of credit memos.
 */
export function amountDueOn(f: AmountDueFigures, asOf: string): AmountDue {
  // Only open invoices take payments; the others have nothing due.
  if (!isOneOf(OPEN_INVOICE_STATUSES, f.status) || !f.issueDay) return { amountDueMinor: 0 };
  const terms = parsePaymentTerms(f.paymentTerms);
  const paidMinor = Number(f.paidMinor);
  const invoice = {
    currency: f.currency,
    totalMinor: Number(f.totalMinor) - Number(f.creditedMinor),
    paidMinor,
    discountTakenMinor: Number(f.discountTakenMinor),
    invoiceDate: f.issueDay,
    status: paidMinor > 0 ? ('partially_paid' as const) : ('open' as const),
  };
  // Issued invoices always carry parsed terms; an unreadable label only loses the discount offer.
  return amountDue({ ...invoice, terms: terms.ok ? terms.terms : { netDays: 1, label: f.paymentTerms } }, asOf);
}

export const amountDueOf = (r: InvoiceRow, asOf: string): AmountDue =>
  amountDueOn({ ...r, issueDay: day(r.issueDate) }, asOf);

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
  ...(withDiscount
    ? { amountDueWithDiscountMinor: withDiscount.amountMinor, discountDeadline: withDiscount.deadline }
    : {}),
});

/**
 * One invoice as the SQL of invoiceTupleSql reads it: the summary's stored fields in the order of
 * invoiceSummarySchema, then what only the computed fields need. Plain values, not JSON text: json_build_array
 * of columns costs PostgreSQL less than row_to_json, and JSON.stringify writes each as the schema would.
 */
export type InvoiceTuple = [
  invoiceId: string,
  invoiceNumber: string | null,
  orderId: string,
  orderIds: string[],
  billingPeriod: string | null,
  customerId: string,
  status: string,
  currency: string,
  issueDay: string | null,
  dueDay: string | null,
  totalMinor: number,
  paidMinor: number,
  discountTakenMinor: number,
  creditedMinor: number,
  paymentTerms: string,
  isEscalated: boolean,
];

/** A json value (see sql-json.ts) for the invoice row `i`: its InvoiceTuple. */
export const invoiceTupleSql = (i: Prisma.Sql) => Prisma.sql`json_build_array(
  ${i}.id, ${i}.invoice_number, ${i}.order_id, CASE WHEN cardinality(${i}.order_ids) > 0 THEN ${i}.order_ids ELSE ARRAY[${i}.order_id] END,
  nullif(${i}.bill_to->'period'->>'label', ''), ${i}.customer_id, ${i}.status, ${i}.currency,
  ${daySql(Prisma.sql`${i}.issue_date`)}, ${daySql(Prisma.sql`${i}.due_date`)},
  ${i}.total_minor, ${i}.paid_minor, ${i}.discount_taken_minor, ${i}.credited_minor, ${i}.payment_terms, ${i}.is_escalated)`;

/** A json value: the InvoiceTuples of the invoices (alias `i`) matching `where`, by id. */
export const invoiceTuplesSql = (where: Prisma.Sql) =>
  Prisma.sql`(SELECT coalesce(array_to_json(array_agg(${invoiceTupleSql(Prisma.sql`i`)} ORDER BY i.id)), '[]'::json) FROM invoice i WHERE ${where})`;

/**
 * The summary's JSON text (as the zod schema serializes invoiceSummary) from an InvoiceTuple, with the
 * computed fields after the stored ones; `extra` adds members before the closing brace.
 */
export function invoiceJsonText(t: InvoiceTuple, asOf: string, extra?: (balanceMinor: number) => string): string {
  const [
    invoiceId,
    invoiceNumber,
    orderId,
    orderIds,
    billingPeriod,
    customerId,
    status,
    currency,
    issueDay,
    dueDay,
    totalMinor,
    paidMinor,
    discountTakenMinor,
    creditedMinor,
    paymentTerms,
    isEscalated,
  ] = t;
  const balanceMinor = reportedBalanceMinor({ totalMinor, paidMinor, discountTakenMinor, creditedMinor }, status);
  const { amountDueMinor, withDiscount } = amountDueOn(
    { status, paymentTerms, currency, issueDay, totalMinor, paidMinor, discountTakenMinor, creditedMinor },
    asOf,
  );
  const discount = withDiscount
    ? `,"amountDueWithDiscountMinor":${withDiscount.amountMinor},"discountDeadline":${JSON.stringify(withDiscount.deadline)}`
    : '';
  const text = JSON.stringify;
  return `{"invoiceId":${text(invoiceId)},"invoiceNumber":${text(invoiceNumber)},"orderId":${text(orderId)},"orderIds":${text(orderIds)},"billingPeriod":${text(billingPeriod)},"customerId":${text(customerId)},"status":${text(status)},"currency":${text(currency)},"issueDate":${text(issueDay)},"dueDate":${text(dueDay)},"totalMinor":${totalMinor},"paidMinor":${paidMinor},"discountTakenMinor":${discountTakenMinor},"creditedMinor":${creditedMinor},"balanceMinor":${balanceMinor},"amountDueMinor":${amountDueMinor}${discount},"isEscalated":${isEscalated}${extra ? extra(balanceMinor) : ''}}`;
}

/** The summaries of a json array of InvoiceTuples (as invoiceTuplesSql reads it) as a JSON array text. */
export const invoicesJsonText = (tuples: InvoiceTuple[], asOf: string) =>
  `[${tuples.map((t) => invoiceJsonText(t, asOf)).join(',')}]`;
