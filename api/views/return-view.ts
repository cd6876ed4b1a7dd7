/** Returns (RMA) as CRM, ops and finance read them: status, value, tracking, lines and the credit memo. */
import { z } from 'zod';
import { Prisma, type Db } from '../../lib/db';
import { isoSql, jsonArraySql, jsonArraysByKeySql } from './sql-json';

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
  creditMemo: z
    .object({ creditMemoNumber: z.string(), totalMinor: z.number(), refundMinor: z.number(), status: z.string() })
    .nullable(),
  lines: z.array(
    z.object({ sku: z.string(), lotId: z.string().nullable(), quantity: z.number(), reasonCode: z.string() }),
  ),
});

export type ReturnSummary = z.infer<typeof returnSummarySchema>;

type ReturnRow = Prisma.ReturnRequestGetPayload<{ include: { lines: true } }>;
type MemoRow = Prisma.CreditMemoGetPayload<object>;

const summary = (r: ReturnRow, memo: MemoRow | undefined): ReturnSummary => ({
  returnId: r.id,
  orderId: r.orderId,
  customerId: r.customerId,
  status: r.status,
  valueMinor: Number(r.valueMinor),
  currency: r.currency,
  trackingNumber: r.trackingNumber,
  requestedAt: r.requestedAt.toISOString(),
  receivedAt: r.receivedAt?.toISOString() ?? null,
  creditMemo: memo
    ? {
        creditMemoNumber: memo.creditMemoNumber,
        totalMinor: Number(memo.totalMinor),
        refundMinor: Number(memo.refundMinor),
        status: memo.status,
      }
    : null,
  lines: r.lines.map((l) => ({ sku: l.sku, lotId: l.lotId, quantity: l.quantity, reasonCode: l.reasonCode })),
});

const withMemos = async (db: Db, rows: ReturnRow[]) => {
  const memos = await db.creditMemo.findMany({ where: { returnId: { in: rows.map((r) => r.id) } } });
  return rows.map((r) =>
    summary(
      r,
      memos.find((m) => m.returnId === r.id),
    ),
  );
};

const withLines = { lines: { orderBy: { lineNo: 'asc' as const } } };

/** Summaries of these returns, in the order given (two queries for a page). */
export async function returnSummaries(db: Db, returnIds: string[]): Promise<ReturnSummary[]> {
  const rows = await db.returnRequest.findMany({ where: { id: { in: returnIds } }, include: withLines });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return withMemos(
    db,
    returnIds.flatMap((id) => byId.get(id) ?? []),
  );
}

/** The return row `rr` in the shape of returnSummarySchema. */
const RETURN_FIELDS = Prisma.sql`rr.id AS "returnId", rr.order_id AS "orderId", rr.customer_id AS "customerId", rr.status, rr.value_minor AS "valueMinor",
    rr.currency, rr.tracking_number AS "trackingNumber", ${isoSql(Prisma.sql`rr.requested_at`)} AS "requestedAt", ${isoSql(Prisma.sql`rr.received_at`)} AS "receivedAt",
    (SELECT row_to_json(c) FROM (SELECT m.credit_memo_number AS "creditMemoNumber", m.total_minor AS "totalMinor", m.refund_minor AS "refundMinor", m.status
       FROM credit_memo m WHERE m.return_id = rr.id) c) AS "creditMemo",
    ${jsonArraySql({
      from: Prisma.sql`return_line l`,
      fields: Prisma.sql`l.sku, l.lot_id AS "lotId", l.quantity, l.reason_code AS "reasonCode"`,
      where: Prisma.sql`l.return_id = rr.id`,
      orderBy: Prisma.sql`l.line_no`,
    })} AS lines`;

/** A json value (see sql-json.ts): the returns of the `rr` rows matching `where`, oldest first, each in the shape of returnSummarySchema. */
export const returnsJsonSql = (where: Prisma.Sql) =>
  jsonArraySql({
    from: Prisma.sql`return_request rr`,
    fields: RETURN_FIELDS,
    where,
    orderBy: Prisma.sql`rr.requested_at, rr.id`,
  });

/** As returnsJsonSql, grouped by order (see jsonArraysByKeySql): the returns of every order `where` selects. */
export const returnsByOrderSql = (where: Prisma.Sql) =>
  jsonArraysByKeySql({
    key: Prisma.sql`rr.order_id`,
    from: Prisma.sql`return_request rr`,
    fields: RETURN_FIELDS,
    where,
    orderBy: Prisma.sql`rr.requested_at, rr.id`,
  });
