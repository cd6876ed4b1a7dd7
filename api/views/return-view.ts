/** Returns (RMA) as CRM, ops and finance read them: status, value, tracking, lines and the credit memo. */
import { z } from 'zod';
import { Prisma, type Db } from '../../lib/db';

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

/** The columns a summary shows, as the JSON of returnsJson. */
export interface ReturnJson {
  id: string; order_id: string; customer_id: string; status: string; value_minor: number; currency: string; tracking_number: string | null;
  requested_at: string; received_at: string | null;
  memo: { credit_memo_number: string; total_minor: number; refund_minor: number; status: string } | null;
  lines: { sku: string; lot_id: string | null; quantity: number; reason_code: string }[] | null;
}

/** A subquery: the JSON array (or null) of the returns matching `where`, oldest first, with lines and credit memo. */
export const returnsJson = (where: Prisma.Sql) => Prisma.sql`(SELECT json_agg(r ORDER BY r.requested_at, r.id) FROM (
  SELECT rr.id, rr.order_id, rr.customer_id, rr.status, rr.value_minor, rr.currency, rr.tracking_number, rr.requested_at, rr.received_at,
    (SELECT json_build_object('credit_memo_number', m.credit_memo_number, 'total_minor', m.total_minor, 'refund_minor', m.refund_minor, 'status', m.status)
       FROM credit_memo m WHERE m.return_id = rr.id) AS memo,
    (SELECT json_agg(json_build_object('sku', l.sku, 'lot_id', l.lot_id, 'quantity', l.quantity, 'reason_code', l.reason_code) ORDER BY l.line_no)
       FROM return_line l WHERE l.return_id = rr.id) AS lines
  FROM return_request rr WHERE ${where}) r)`;

export const returnFromJson = (r: ReturnJson): ReturnSummary => ({
  returnId: r.id, orderId: r.order_id, customerId: r.customer_id, status: r.status, valueMinor: Number(r.value_minor), currency: r.currency,
  trackingNumber: r.tracking_number, requestedAt: new Date(r.requested_at).toISOString(), receivedAt: r.received_at ? new Date(r.received_at).toISOString() : null,
  creditMemo: r.memo ? { creditMemoNumber: r.memo.credit_memo_number, totalMinor: Number(r.memo.total_minor), refundMinor: Number(r.memo.refund_minor), status: r.memo.status } : null,
  lines: (r.lines ?? []).map((l) => ({ sku: l.sku, lotId: l.lot_id, quantity: l.quantity, reasonCode: l.reason_code })),
});

/** Returns of these orders, grouped by order id, oldest first (one statement for a page of orders). */
export async function loadReturns(db: Db, orderIds: string[]): Promise<Map<string, ReturnSummary[]>> {
  const [found] = await db.$queryRaw<{ rows: ReturnJson[] | null }[]>`SELECT ${returnsJson(Prisma.sql`rr.order_id = ANY (${orderIds}::text[])`)} AS rows`;
  const byOrder = new Map<string, ReturnSummary[]>();
  for (const r of found?.rows ?? []) byOrder.set(r.order_id, [...(byOrder.get(r.order_id) ?? []), returnFromJson(r)]);
  return byOrder;
}
