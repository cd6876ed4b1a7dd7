/** The built-in ERP: customers, SLA profiles, SKUs, contract prices and sales orders in PostgreSQL. */
import { createHash } from 'node:crypto';
import type { Db } from '../../lib/db';
import type { CustomerAccount, ErpAdapter, SlaProfile } from '../types';

export function createBuiltinErp(db: Db): ErpAdapter {
  return {
    async getCustomer(customerId) {
      const c = await db.customer.findUnique({ where: { id: customerId } });
      if (!c) return undefined;
      return {
        ...c,
        creditLimitMinor: Number(c.creditLimitMinor),
        openReceivablesMinor: Number(c.openReceivablesMinor),
        billOn: c.billOn === 'ship' ? 'ship' : 'delivery',
      } satisfies CustomerAccount;
    },

    async getSlaProfile(profileId) {
      const p = await db.slaProfile.findUnique({ where: { id: profileId } });
      return p ? ({ ...p, stepDurations: p.stepDurations as Record<string, string> } satisfies SlaProfile) : undefined;
    },

    async getSkus(skus) {
      const rows = await db.sku.findMany({ where: { sku: { in: skus } } });
      return rows.map((s) => ({ ...s, listPriceMinor: Number(s.listPriceMinor) }));
    },

    async getContractPrices(customerId, skus) {
      const rows = await db.contractPrice.findMany({ where: { customerId, sku: { in: skus } } });
      return rows.map((p) => ({ sku: p.sku, unitPriceMinor: Number(p.unitPriceMinor), currency: p.currency }));
    },

    async createSalesOrder(order) {
      // The order number derives from a sequence; the unique order id makes a retry return the first one.
      const existing = await db.erpOrder.findUnique({ where: { orderId: order.orderId } });
      if (existing) return { erpOrderNumber: existing.erpOrderNumber };
      const [row] = await db.$queryRaw<{ next: bigint }[]>`SELECT nextval('erp_order_number_seq') AS next`;
      const erpOrderNumber = `SO-${String(row!.next).padStart(7, '0')}`;
      try {
        await db.erpOrder.create({
          data: {
            erpOrderNumber,
            orderId: order.orderId,
            customerId: order.customerId,
            status: 'open',
            lines: order.lines as object[],
          },
        });
        return { erpOrderNumber };
      } catch {
        const row = await db.erpOrder.findUniqueOrThrow({ where: { orderId: order.orderId } });
        return { erpOrderNumber: row.erpOrderNumber };
      }
    },

    async cancelSalesOrder(orderId) {
      await db.erpOrder.updateMany({
        where: { orderId, status: 'open' },
        data: { status: 'cancelled', cancelledAt: new Date() },
      });
    },

    async postReceivable(entry, idempotencyKey) {
      // Ledger row and open-receivables balance in one transaction; the key makes a retry a no-op.
      return db.$transaction(async (tx) => {
        const existing = await tx.erpReceivable.findUnique({ where: { idempotencyKey } });
        if (existing) return { erpDocumentNumber: existing.documentNumber };
        const erpDocumentNumber = `AR-${entry.invoiceNumber}-${entry.kind}-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 8)}`;
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
    },

    async issueRefund(refund, idempotencyKey) {
      // One refund row per key: a retried refund pays nothing twice and answers the first reference.
      const refundReference = `RF-${refund.creditMemoNumber}-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 8)}`;
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
    },
  };
}
