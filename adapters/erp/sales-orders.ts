/**
 * ERP sales orders: created once per order id, cancelled while still open. Creation and cancellation
 * of an order take its fence first (adapters/fence.ts): a cancellation that ran first, even one that
 * found no order yet, refuses a creation still running for a timed-out attempt, so no order stays open.
 */
import type { Db } from '../../lib/db';
import { enterCommit, fenceKey, markCompensated } from '../fence';
import type { ErpAdapter } from '../types';

type SalesOrder = Parameters<ErpAdapter['createSalesOrder']>[0];

// As the warehouse's transactions (adapters/wms/shared.ts): under load a fenced write waits its turn.
const TX = { timeout: 30_000, maxWait: 30_000 };

export function createSalesOrder(db: Db, order: SalesOrder): Promise<{ erpOrderNumber: string }> {
  return db.$transaction(async (tx) => {
    // The fence row also serializes two attempts of one order: the second finds the first's number.
    await enterCommit(tx, fenceKey.erpOrder(order.orderId));
    const existing = await tx.erpOrder.findUnique({ where: { orderId: order.orderId } });
    if (existing) return { erpOrderNumber: existing.erpOrderNumber };
    const [row] = await tx.$queryRaw<{ next: bigint }[]>`SELECT nextval('erp_order_number_seq') AS next`;
    const erpOrderNumber = `SO-${String(row!.next).padStart(7, '0')}`;
    await tx.erpOrder.create({
      data: {
        erpOrderNumber,
        orderId: order.orderId,
        customerId: order.customerId,
        status: 'open',
        lines: order.lines as object[],
      },
    });
    return { erpOrderNumber };
  }, TX);
}

export function cancelSalesOrder(db: Db, orderId: string): Promise<void> {
  return db.$transaction(async (tx) => {
    await markCompensated(tx, fenceKey.erpOrder(orderId));
    await tx.erpOrder.updateMany({
      where: { orderId, status: 'open' },
      data: { status: 'cancelled', cancelledAt: new Date() },
    });
  }, TX);
}
