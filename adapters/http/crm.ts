/**
 * The CRM over HTTP: milestones on the deal, for sales to see. The body is JSON and mirrors the
 * CrmAdapter milestone type field for field. Every request carries `User-Agent: closedloop`,
 * `Accept: application/json` and the configured `Authorization`, and the POST carries
 * `Idempotency-Key` (the CRM records one milestone per key, however often it is repeated).
 *
 *   POST /milestones   → 2xx, body ignored   body { orderId, dealId, milestone, detail }
 *                                            milestone: confirmed | backordered | shipped | delivered | cancelled |
 *                                                       rejected | credit_rejected | invoiced | paid | returned
 */
import type { CrmAdapter } from '../types';
import { createJsonClient, type HttpOptions } from './http-client';

export function createHttpCrm(options: HttpOptions): CrmAdapter {
  const http = createJsonClient('CRM', options);
  return {
    async sendMilestone(m, idempotencyKey) {
      await http.request({
        method: 'POST',
        path: '/milestones',
        body: { orderId: m.orderId, dealId: m.dealId, milestone: m.milestone, detail: m.detail },
        idempotencyKey,
      });
    },
  };
}
