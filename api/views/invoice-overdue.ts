/**
 * Whether an invoice is past due, as lists show it: an open (payable) invoice with a balance whose due
 * date is before `asOf` (UTC day), or one the invoice workflow already marked `overdue`. The SQL
 * filter `overdue=true` (api/routes/invoices.ts) applies the same rule.
 */
import { z } from 'zod';
import type { Prisma } from '../../lib/db';
import { invoiceJsonText, invoiceSummarySchema, type InvoiceTuple } from './invoice-view';
import { isOneOf, OPEN_INVOICE_STATUSES } from '../../domain/statuses';

/** Invoices that take payments: the ones that can be open, and so overdue. */
export { OPEN_INVOICE_STATUSES };

export const invoiceListItemSchema = invoiceSummarySchema.extend({
  overdue: z.boolean().describe('Open with a balance, and the due date has passed (UTC)'),
  daysOverdue: z.number().int().describe('Whole days since the due date while overdue; 0 otherwise'),
});

const DAY_MS = 86_400_000;

/** A date read as YYYY-MM-DD as the Date a row would hold: midnight UTC. */
const dateOf = (d: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null);

export function overdueOf(
  row: Pick<Prisma.InvoiceGetPayload<object>, 'status' | 'dueDate'>,
  balanceMinor: number,
  asOf: string,
): { overdue: boolean; daysOverdue: number } {
  if (!isOneOf(OPEN_INVOICE_STATUSES, row.status) || balanceMinor <= 0 || !row.dueDate)
    return { overdue: false, daysOverdue: 0 };
  const days = Math.floor(
    (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${row.dueDate.toISOString().slice(0, 10)}T00:00:00Z`)) / DAY_MS,
  );
  return days > 0 || row.status === 'overdue'
    ? { overdue: true, daysOverdue: Math.max(0, days) }
    : { overdue: false, daysOverdue: 0 };
}

export const invoiceListItem = <S extends { balanceMinor: number }>(
  summary: S,
  row: Pick<Prisma.InvoiceGetPayload<object>, 'status' | 'dueDate'>,
  asOf: string,
) => ({
  ...summary,
  ...overdueOf(row, summary.balanceMinor, asOf),
});

/** A list item's JSON text (invoiceListItemSchema) from an InvoiceTuple: the summary, then overdue and daysOverdue. */
export const invoiceListItemJsonText = (t: InvoiceTuple, asOf: string) =>
  invoiceJsonText(t, asOf, (balanceMinor) => {
    const { overdue, daysOverdue } = overdueOf({ status: t[6], dueDate: dateOf(t[9]) }, balanceMinor, asOf);
    return `,"overdue":${overdue},"daysOverdue":${daysOverdue}`;
  });
