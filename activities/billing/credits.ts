/**
 * Persisting a credit memo application the invoice workflow decided (applyCredit): the invoice_credit
 * row (unique per invoice and credit memo) and the invoice's credited amount in one transaction, then
 * the ERP receivables entry. A credit that settles the invoice closes it and, like a payment, lifts the
 * customer's credit hold when no other escalated invoice is open.
 */
import type { ActivityDeps } from '../deps';
import { liftCreditHoldIfClear } from './payments';

export interface CreditRecord {
  invoiceId: string;
  customerId: string;
  invoiceNumber: string;
  currency: string;
  creditMemoNumber: string;
  amountMinor: number;
  /** The invoice's credited total after this credit. */
  creditedMinor: number;
  /** Set when this credit settles the invoice. */
  settledAs?: 'credited' | 'paid';
}

export async function applyInvoiceCredit(deps: ActivityDeps, record: CreditRecord): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const inserted = await tx.invoiceCredit.createMany({
      data: [
        {
          invoiceId: record.invoiceId,
          creditMemoNumber: record.creditMemoNumber,
          amountMinor: BigInt(record.amountMinor),
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 1) {
      await tx.invoice.update({
        where: { id: record.invoiceId },
        data: {
          creditedMinor: BigInt(record.creditedMinor),
          ...(record.settledAs ? { status: record.settledAs } : {}),
        },
      });
    }
  });
  await deps.adapters.erp.postReceivable?.(
    {
      customerId: record.customerId,
      invoiceNumber: record.invoiceNumber,
      currency: record.currency,
      kind: 'credit',
      amountMinor: -record.amountMinor,
    },
    `${record.invoiceId}:credit:${record.creditMemoNumber}`,
  );
  if (record.settledAs) await liftCreditHoldIfClear(deps, record.customerId);
}
