/** A scheduled receipt arrives: stock goes up, units promised to backorders stay theirs; once per receipt. */
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../../lib/db';
import { FAILURES } from '../../domain/failures';
import type { ReceivedReceipt } from '../types';
import { OPEN, TX } from './shared';

export function receive(db: Db, receiptId: string): Promise<ReceivedReceipt> {
  return db.$transaction(async (tx): Promise<ReceivedReceipt> => {
    const known = await tx.scheduledReceipt.findUnique({
      where: { id: receiptId },
      select: { warehouseId: true, sku: true },
    });
    if (!known)
      throw ApplicationFailure.nonRetryable(`no scheduled receipt ${receiptId}`, FAILURES.UnknownReceipt.type);
    // The stock row before the receipt, as reserve() locks them: two transactions never wait in a cycle.
    await tx.$queryRaw`SELECT 1 FROM stock WHERE warehouse_id = ${known.warehouseId} AND sku = ${known.sku} FOR UPDATE`;
    const [receipt] = await tx.$queryRaw<
      {
        id: string;
        warehouse_id: string;
        sku: string;
        quantity: number;
        received_at: Date | null;
        lot_id: string | null;
        expiry_date: Date | null;
      }[]
    >`
          SELECT id, warehouse_id, sku, quantity, received_at, lot_id, expiry_date FROM scheduled_receipt WHERE id = ${receiptId} FOR UPDATE`;
    if (!receipt)
      throw ApplicationFailure.nonRetryable(`no scheduled receipt ${receiptId}`, FAILURES.UnknownReceipt.type);
    if (!receipt.received_at) {
      // Units promised to backorders stay theirs: reserved with the arrival, in one transaction, so
      // no order placed before the waiting ones release can take them.
      const promised = await tx.backorder.findMany({ where: { receiptId, status: 'waiting' } });
      const promisedUnits = promised.reduce((sum, b) => sum + b.quantity, 0);
      await tx.stock.upsert({
        where: { warehouseId_sku: { warehouseId: receipt.warehouse_id, sku: receipt.sku } },
        create: {
          warehouseId: receipt.warehouse_id,
          sku: receipt.sku,
          onHand: receipt.quantity,
          reserved: promisedUnits,
        },
        update: { onHand: { increment: receipt.quantity }, reserved: { increment: promisedUnits } },
      });
      await tx.backorder.updateMany({ where: { receiptId, status: 'waiting' }, data: { status: 'received' } });
      if (receipt.lot_id) {
        await tx.stockLot.upsert({
          where: {
            warehouseId_sku_lotId: { warehouseId: receipt.warehouse_id, sku: receipt.sku, lotId: receipt.lot_id },
          },
          create: {
            warehouseId: receipt.warehouse_id,
            sku: receipt.sku,
            lotId: receipt.lot_id,
            quantity: receipt.quantity,
            expiryDate: receipt.expiry_date,
          },
          update: { quantity: { increment: receipt.quantity } },
        });
      }
      await tx.scheduledReceipt.update({ where: { id: receiptId }, data: { receivedAt: new Date() } });
    }
    const waiting = await tx.backorder.findMany({
      where: { sku: receipt.sku, status: { in: OPEN } },
      distinct: ['orderId'],
      select: { orderId: true },
      orderBy: { orderId: 'asc' },
    });
    return {
      sku: receipt.sku,
      warehouseId: receipt.warehouse_id,
      quantity: receipt.quantity,
      waitingOrderIds: waiting.map((w) => w.orderId),
    };
  }, TX);
}
