/**
 * The built-in ERP: customers, SLA profiles, SKUs, contract prices and sales orders in PostgreSQL.
 * Master data is read here; sales orders and the ledger live in their own modules.
 */
import type { Db } from '../../lib/db';
import type { CustomerAccount, ErpAdapter, SlaProfile } from '../types';
import { cancelSalesOrder, createSalesOrder } from './sales-orders';
import { issueRefund, postReceivable } from './ledger';

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

    createSalesOrder: (order) => createSalesOrder(db, order),
    cancelSalesOrder: (orderId) => cancelSalesOrder(db, orderId),
    postReceivable: (entry, idempotencyKey) => postReceivable(db, entry, idempotencyKey),
    issueRefund: (refund, idempotencyKey) => issueRefund(db, refund, idempotencyKey),
  };
}
