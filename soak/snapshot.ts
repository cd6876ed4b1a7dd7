/** What the soak knows about its orders at a moment, read from PostgreSQL (the API's own read model). */
import type { Db } from '../lib/db';

export interface StepView {
  workflowId: string;
  orderId: string;
  step: string;
  status: string;
  error: string | null;
}

export interface Snapshot {
  orders: { id: string; status: string; needsAttention: boolean; customerId: string }[];
  shipments: {
    id: string;
    orderId: string;
    status: string;
    deliveredAt: Date | null;
    lines: unknown;
    picks: unknown;
  }[];
  invoices: {
    id: string;
    status: string;
    totalMinor: bigint;
    paidMinor: bigint;
    discountTakenMinor: bigint;
    creditedMinor: bigint;
    orderId: string;
    customerId: string;
  }[];
  returns: { id: string; orderId: string; status: string; warehouseId: string | null }[];
  receipts: { id: string; receivedAt: Date | null }[];
  /** The latest event of every step of every run of the soak's orders. */
  steps: StepView[];
}

export const ORDER_ENDS = new Set(['fulfilled', 'partially_fulfilled', 'unfulfilled', 'cancelled', 'rejected']);

export async function readSnapshot(db: Db, tag: string): Promise<Snapshot> {
  const prefix = `order-SOAK-${tag}-`;
  const [orders, shipments, invoices, returns, receipts, steps] = await Promise.all([
    db.order.findMany({
      where: { id: { startsWith: prefix } },
      select: { id: true, status: true, needsAttention: true, customerId: true },
    }),
    db.shipment.findMany({
      where: { orderId: { startsWith: prefix } },
      select: { id: true, orderId: true, status: true, deliveredAt: true, lines: true, picks: true },
    }),
    db.invoice.findMany({
      where: { customerId: { startsWith: `SK-${tag}-` } },
      select: {
        id: true,
        status: true,
        totalMinor: true,
        paidMinor: true,
        discountTakenMinor: true,
        creditedMinor: true,
        orderId: true,
        customerId: true,
      },
    }),
    db.returnRequest.findMany({
      where: { orderId: { startsWith: prefix } },
      select: { id: true, orderId: true, status: true, warehouseId: true },
    }),
    db.scheduledReceipt.findMany({
      where: { id: { startsWith: `SK-${tag}-` } },
      select: { id: true, receivedAt: true },
    }),
    db.$queryRaw<{ workflow_id: string; order_id: string; step: string; to_status: string; error: string | null }[]>`
      SELECT DISTINCT ON (workflow_id, step) workflow_id, order_id, step, to_status, error
      FROM step_event WHERE order_id LIKE ${`${prefix}%`} ORDER BY workflow_id, step, id DESC`,
  ]);
  return {
    orders,
    shipments,
    invoices,
    returns,
    receipts,
    steps: steps.map((s) => ({
      workflowId: s.workflow_id,
      orderId: s.order_id,
      step: s.step,
      status: s.to_status,
      error: s.error,
    })),
  };
}
