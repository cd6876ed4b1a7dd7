/** The invoice a dunning step acts on, with its open balance: a settled invoice is not dunned. */
import { openBalanceMinor } from '../../domain/billing/invoice-ledger';
import type { ActivityDeps } from '../deps';
import { CLOSED_INVOICE_STATUSES, type InvoiceStatus } from './types';

export async function openInvoice(deps: ActivityDeps, invoiceId: string) {
  const row = await deps.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  const balanceMinor = Number(openBalanceMinor(row));
  const isSettled = CLOSED_INVOICE_STATUSES.includes(row.status as InvoiceStatus) || balanceMinor <= 0;
  return { row, balanceMinor, isSettled };
}
