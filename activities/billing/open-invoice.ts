/** The invoice a dunning step acts on, with its open balance: a settled invoice is not dunned. */
import { openBalanceMinor } from '../../domain/billing/invoice-ledger';
import type { ActivityDeps } from '../deps';
import { CLOSED_INVOICE_STATUSES, isOneOf } from '../../domain/statuses';

export async function openInvoice(deps: ActivityDeps, invoiceId: string) {
  const row = await deps.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  const balanceMinor = Number(openBalanceMinor(row));
  const isSettled = isOneOf(CLOSED_INVOICE_STATUSES, row.status) || balanceMinor <= 0;
  return { row, balanceMinor, isSettled };
}
