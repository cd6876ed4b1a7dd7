/** Returns (RMA) as CRM, ops and finance read them: status, value, tracking, lines and the credit memo. */
import { z } from 'zod';
import type { Db, Prisma } from '../../lib/db';

export const returnSummarySchema = z.object({
  returnId: z.string(),
  orderId: z.string(),
  customerId: z.string(),
  status: z.string(),
  valueMinor: z.number(),
  currency: z.string(),
  trackingNumber: z.string().nullable(),
  requestedAt: z.string(),
  receivedAt: z.string().nullable(),
  creditMemo: z.object({ creditMemoNumber: z.string(), totalMinor: z.number(), refundMinor: z.number(), status: z.string() }).nullable(),
  lines: z.array(z.object({ sku: z.string(), lotId: z.string().nullable(), quantity: z.number(), reasonCode: z.string() })),
});

export type ReturnSummary = z.infer<typeof returnSummarySchema>;

type ReturnRow = Prisma.ReturnRequestGetPayload<{ include: { lines: true } }>;
type MemoRow = Prisma.CreditMemoGetPayload<object>;

const summary = (r: ReturnRow, memo: MemoRow | undefined): ReturnSummary => ({
  returnId: r.id, orderId: r.orderId, customerId: r.customerId, status: r.status, valueMinor: Number(r.valueMinor), currency: r.currency,
  trackingNumber: r.trackingNumber, requestedAt: r.requestedAt.toISOString(), receivedAt: r.receivedAt?.toISOString() ?? null,
  creditMemo: memo ? { creditMemoNumber: memo.creditMemoNumber, totalMinor: Number(memo.totalMinor), refundMinor: Number(memo.refundMinor), status: memo.status } : null,
  lines: r.lines.map((l) => ({ sku: l.sku, lotId: l.lotId, quantity: l.quantity, reasonCode: l.reasonCode })),
});

const withMemos = async (db: Db, rows: ReturnRow[]) => {
  const memos = await db.creditMemo.findMany({ where: { returnId: { in: rows.map((r) => r.id) } } });
  return rows.map((r) => summary(r, memos.find((m) => m.returnId === r.id)));
};

const withLines = { lines: { orderBy: { lineNo: 'asc' as const } } };

/** Summaries of these returns, in the order given (two queries for a page). */
export async function returnSummaries(db: Db, returnIds: string[]): Promise<ReturnSummary[]> {
  const rows = await db.returnRequest.findMany({ where: { id: { in: returnIds } }, include: withLines });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return withMemos(db, returnIds.flatMap((id) => byId.get(id) ?? []));
}

/** Returns of these orders, grouped by order id, oldest first (two queries for a page of orders). */
export async function loadReturns(db: Db, orderIds: string[]): Promise<Map<string, ReturnSummary[]>> {
  const rows = await db.returnRequest.findMany({ where: { orderId: { in: orderIds } }, include: withLines, orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }] });
  const byOrder = new Map<string, ReturnSummary[]>();
  for (const r of await withMemos(db, rows)) byOrder.set(r.orderId, [...(byOrder.get(r.orderId) ?? []), r]);
  return byOrder;
}
