/** Invoices as finance and integrators see them: figures, due date and open balance. */
import { z } from 'zod';
import type { Db, Prisma } from '../../lib/db';

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

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
  isEscalated: z.boolean(),
});

type InvoiceRow = Prisma.InvoiceGetPayload<object>;

export const invoiceSummary = (r: InvoiceRow) => ({
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
  balanceMinor: ['void', 'written_off'].includes(r.status) ? 0 : Number(r.totalMinor - r.paidMinor - r.discountTakenMinor - r.creditedMinor),
  creditedMinor: Number(r.creditedMinor),
  isEscalated: r.isEscalated,
});


/** Invoices of these orders, grouped by order id (one query for a page of orders). */
export async function loadInvoices(db: Db, orderIds: string[]): Promise<Map<string, z.infer<typeof invoiceSummarySchema>[]>> {
  const rows = await db.invoice.findMany({ where: { orderIds: { hasSome: orderIds } }, orderBy: { id: 'asc' } });
  const byOrder = new Map<string, z.infer<typeof invoiceSummarySchema>[]>();
  // A period invoice shows under every order it bills.
  for (const row of rows) {
    for (const id of row.orderIds.filter((o) => orderIds.includes(o))) byOrder.set(id, [...(byOrder.get(id) ?? []), invoiceSummary(row)]);
  }
  return byOrder;
}
