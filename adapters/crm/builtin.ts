/** The built-in CRM sink: milestones stored once per key, for sales to read on the account. */
import type { Db } from '../../lib/db';
import type { CrmAdapter } from '../types';

export function createBuiltinCrm(db: Db): CrmAdapter {
  return {
    async sendMilestone(m, idempotencyKey) {
      await db.crmMilestone.createMany({
        data: [
          { idempotencyKey, orderId: m.orderId, dealId: m.dealId, milestone: m.milestone, payload: m.detail as object },
        ],
        skipDuplicates: true,
      });
    },
  };
}
