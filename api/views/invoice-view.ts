/** Invoices as finance and integrators see them: figures, due date, open balance and the amount to pay. */
import { z } from 'zod';
import type { Db, Prisma } from '../../lib/db';
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


/** Invoices of these orders, grouped by order id (one query for a page of orders). */
export async function loadInvoices(db: Db, orderIds: string[]): Promise<Map<string, z.infer<typeof invoiceSummarySchema>[]>> {
  const rows = await db.invoice.findMany({ where: { orderIds: { hasSome: orderIds } }, orderBy: { id: 'asc' } });
  const byOrder = new Map<string, z.infer<typeof invoiceSummarySchema>[]>();
  const asOf = todayUtc();
  // A period invoice shows under every order it bills.
  for (const row of rows) {
    for (const id of row.orderIds.filter((o) => orderIds.includes(o))) byOrder.set(id, [...(byOrder.get(id) ?? []), invoiceSummary(row, asOf)]);
  }
  return byOrder;
}
