/** The ERP's receivables ledger and refunds, each written once per idempotency key. */
import { createHash } from 'node:crypto';
import type { Db } from '../../lib/db';
import type { ReceivableEntry, RefundRequest } from '../types';

/** A short, stable suffix that makes a document number unique to the key that wrote it. */
const keyDigest = (idempotencyKey: string): string =>
  createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 8);

export async function postReceivable(
  db: Db,
  entry: ReceivableEntry,
  idempotencyKey: string,
): Promise<{ erpDocumentNumber: string }> {
  // Ledger row and open-receivables balance in one transaction; the key makes a retry a no-op.
  return db.$transaction(async (tx) => {
    const existing = await tx.erpReceivable.findUnique({ where: { idempotencyKey } });
    if (existing) return { erpDocumentNumber: existing.documentNumber };
    const erpDocumentNumber = `AR-${entry.invoiceNumber}-${entry.kind}-${keyDigest(idempotencyKey)}`;
    const inserted = await tx.erpReceivable.createMany({
      data: [
        {
          idempotencyKey,
          documentNumber: erpDocumentNumber,
          customerId: entry.customerId,
          invoiceNumber: entry.invoiceNumber,
          kind: entry.kind,
          amountMinor: BigInt(entry.amountMinor),
          currency: entry.currency,
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 1) {
      await tx.customer.updateMany({
        where: { id: entry.customerId },
        data: { openReceivablesMinor: { increment: BigInt(entry.amountMinor) } },
      });
    }
    return { erpDocumentNumber };
  });
}

export async function issueRefund(
  db: Db,
  refund: RefundRequest,
  idempotencyKey: string,
): Promise<{ refundReference: string }> {
  // One refund row per key: a retried refund pays nothing twice and answers the first reference.
  const refundReference = `RF-${refund.creditMemoNumber}-${keyDigest(idempotencyKey)}`;
  await db.erpRefund.createMany({
    data: [
      {
        idempotencyKey,
        refundReference,
        customerId: refund.customerId,
        creditMemoNumber: refund.creditMemoNumber,
        amountMinor: BigInt(refund.amountMinor),
        currency: refund.currency,
      },
    ],
    skipDuplicates: true,
  });
  const row = await db.erpRefund.findUniqueOrThrow({ where: { idempotencyKey } });
  return { refundReference: row.refundReference };
}
