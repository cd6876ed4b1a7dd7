/** GET /credit-memos: the credit memos returns produced, for finance and ops. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { createdBeforeCursor, decodeCursor, page, pageQuery, pageSchema } from '../../pagination';
import { orderIdFilterSchema, RUN_PROBLEMS } from '../../schemas';
import type { RouteApp } from '../route-app';

const creditMemoSchema = z.object({
  creditMemoNumber: z.string(),
  returnId: z.string(),
  orderId: z.string(),
  customerId: z.string(),
  currency: z.string(),
  status: z.string(),
  merchandiseMinor: z.number(),
  restockingFeeMinor: z.number(),
  taxMinor: z.number(),
  totalMinor: z.number(),
  refundMinor: z.number(),
  applications: z.unknown(),
  createdAt: z.string(),
});

export function registerCreditMemoList(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/credit-memos',
    {
      config: { auth: { roles: ['finance', 'ops'] as const } },
      schema: {
        tags: ['finance'],
        summary: 'Credit memos (from returns): totals, restocking fee, applications to invoices and refunds',
        querystring: z.object({
          customerId: z.string().max(64).optional(),
          orderId: orderIdFilterSchema.optional(),
          ...pageQuery,
        }),
        response: { 200: pageSchema(creditMemoSchema), ...RUN_PROBLEMS },
      },
    },
    async (req) => {
      const q = req.query;
      const cursor = decodeCursor(q.cursor);
      const rows = await deps.db.creditMemo.findMany({
        where: {
          ...(q.customerId ? { customerId: q.customerId } : {}),
          ...(q.orderId ? { orderId: q.orderId } : {}),
          ...createdBeforeCursor(cursor),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const { items, nextCursor } = page(rows, q.limit, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
      return {
        items: items.map((m) => ({
          creditMemoNumber: m.creditMemoNumber,
          returnId: m.returnId,
          orderId: m.orderId,
          customerId: m.customerId,
          currency: m.currency,
          status: m.status,
          merchandiseMinor: Number(m.merchandiseMinor),
          restockingFeeMinor: Number(m.restockingFeeMinor),
          taxMinor: Number(m.taxMinor),
          totalMinor: Number(m.totalMinor),
          refundMinor: Number(m.refundMinor),
          applications: m.applications,
          createdAt: m.createdAt.toISOString(),
        })),
        nextCursor,
      };
    },
  );
}
