/** ERP sales orders: created once per order id, cancelled while still open. */
import type { Db } from '../../lib/db';
import type { ErpAdapter } from '../types';

type SalesOrder = Parameters<ErpAdapter['createSalesOrder']>[0];

export async function createSalesOrder(db: Db, order: SalesOrder): Promise<{ erpOrderNumber: string }> {
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
}

export async function cancelSalesOrder(db: Db, orderId: string): Promise<void> {
  await db.erpOrder.updateMany({
    where: { orderId, status: 'open' },
    data: { status: 'cancelled', cancelledAt: new Date() },
  });
}
