/**
 * The built-in warehouse system: stock per warehouse and lot in PostgreSQL.
 *
 * Reservation locks the stock rows of the order's SKUs (SELECT ... FOR UPDATE, in a fixed order so two
 * orders cannot deadlock) and computes the allocation inside the same transaction: two concurrent
 * orders for a scarce SKU see each other's reservations and never oversell.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../../lib/db';
import { Prisma } from '../../lib/db';
import { FAILURES } from '../../domain/failures';
import { allocateOrder, availableToPromise, rankWarehouses, type AllocationResult } from '../../domain/fulfillment/atp';
import { pickLots, qualifyingQuantity } from '../../domain/fulfillment/lots';
import { packShipment } from '../../domain/fulfillment/packing';
import type { ReceivedReceipt, ShipmentPicks, WmsAdapter } from '../types';

type Tx = Prisma.TransactionClient;
const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const TX = { timeout: 30_000, maxWait: 30_000 };

async function holidays(db: Db | Tx): Promise<Set<string>> {
  return new Set((await db.holiday.findMany()).map((h) => isoDate(h.date)));
}

/**
 * For lot-tracked SKUs, the units of a stock row in lots this customer accepts today (as
 * `{ qualifyingOnHand }`, ready to spread into a WarehouseStock); `{}` for other SKUs, where every unit
 * qualifies. Callers hold the stock rows' locks, which pick() takes too, so these lots cannot move meanwhile.
 */
async function qualifyingOnHand(
  tx: Tx,
  skus: { sku: string; isLotTracked: boolean }[],
  today: string,
  minShelfLifeDays: number,
): Promise<(warehouseId: string, sku: string) => { qualifyingOnHand?: number }> {
  const lotTracked = new Set(skus.filter((s) => s.isLotTracked).map((s) => s.sku));
  const lots = lotTracked.size > 0 ? await tx.stockLot.findMany({ where: { sku: { in: [...lotTracked] } } }) : [];
  return (warehouseId, sku) => {
    if (!lotTracked.has(sku)) return {};
    const ofRow = lots.filter((l) => l.warehouseId === warehouseId && l.sku === sku);
    return {
      qualifyingOnHand: qualifyingQuantity({
        lots: ofRow.map((l) => ({
          lotId: l.lotId,
          quantity: l.quantity,
          expiryDate: l.expiryDate ? isoDate(l.expiryDate) : null,
        })),
        today,
        minRemainingShelfLifeDays: minShelfLifeDays,
      }),
    };
  };
}

const OPEN = ['waiting', 'received'];
const rowKey = (warehouseId: string, sku: string): string => `${warehouseId}\u0000${sku}`;

/**
 * An order's open backorders, read after locking the stock rows they wait on (one statement ordered as
 * reserve() orders its locks; receive() takes the same row first). A receipt arriving meanwhile has
 * either turned its backorders 'received' already or waits until this transaction ends, so no unit is
 * reserved twice or left reserved for a backorder that is gone.
 */
async function lockOpenBackorders(tx: Tx, orderId: string) {
  const rows = await tx.backorder.findMany({
    where: { orderId, status: { in: OPEN } },
    distinct: ['warehouseId', 'sku'],
    select: { warehouseId: true, sku: true },
  });
  const stock = new Map<string, { on_hand: number; reserved: number }>();
  if (rows.length > 0) {
    const locked = await tx.$queryRaw<{ warehouse_id: string; sku: string; on_hand: number; reserved: number }[]>`
      SELECT warehouse_id, sku, on_hand, reserved FROM stock
      WHERE (warehouse_id, sku) IN (${Prisma.join(rows.map((r) => Prisma.sql`(${r.warehouseId}, ${r.sku})`))})
      ORDER BY warehouse_id, sku FOR UPDATE`;
    for (const row of locked) stock.set(rowKey(row.warehouse_id, row.sku), row);
  }
  const open = await tx.backorder.findMany({
    where: { orderId, status: { in: OPEN } },
    orderBy: [{ lineNo: 'asc' }, { partNo: 'asc' }],
  });
  return { open, stock };
}

function resultFrom(
  reservations: { lineNo: number; sku: string; warehouseId: string; quantity: number }[],
  backorders: {
    lineNo: number;
    sku: string;
    warehouseId: string;
    quantity: number;
    availableDate: Date;
    receiptId: string | null;
  }[],
): AllocationResult {
  return {
    allocations: reservations.map((r) => ({
      lineNo: r.lineNo,
      sku: r.sku,
      warehouseId: r.warehouseId,
      quantity: r.quantity,
    })),
    backorders: backorders.map((b) => ({
      lineNo: b.lineNo,
      sku: b.sku,
      warehouseId: b.warehouseId,
      quantity: b.quantity,
      availableDate: isoDate(b.availableDate),
      source: b.receiptId ? 'receipt' : 'lead-time',
      ...(b.receiptId ? { receiptId: b.receiptId } : {}),
    })),
  };
}

export function createBuiltinWms(db: Db): WmsAdapter {
  return {
    listHolidays: async () => [...(await holidays(db))].sort(),
    listWarehousePriority: async () =>
      rankWarehouses(await db.warehouse.findMany({ select: { id: true, priority: true } })),

    reserve(request) {
      return db.$transaction(async (tx) => {
        const [done, waiting] = await Promise.all([
          tx.reservation.findMany({
            where: { orderId: request.orderId },
            orderBy: [{ lineNo: 'asc' }, { warehouseId: 'asc' }],
          }),
          tx.backorder.findMany({
            where: { orderId: request.orderId },
            orderBy: [{ lineNo: 'asc' }, { partNo: 'asc' }],
          }),
        ]);
        if (done.length > 0 || waiting.length > 0) return resultFrom(done, waiting); // a retry: same answer

        const skus = [...new Set(request.lines.map((l) => l.sku))].sort();
        const stock = await tx.$queryRaw<{ warehouse_id: string; sku: string; on_hand: number; reserved: number }[]>`
          SELECT warehouse_id, sku, on_hand, reserved FROM stock
          WHERE sku IN (${Prisma.join(skus)}) ORDER BY warehouse_id, sku FOR UPDATE`;
        const receipts = await tx.$queryRaw<
          {
            id: string;
            warehouse_id: string;
            sku: string;
            quantity: number;
            promised_quantity: number;
            due_date: Date;
            expiry_date: Date | null;
          }[]
        >`
          SELECT id, warehouse_id, sku, quantity, promised_quantity, due_date, expiry_date FROM scheduled_receipt
          WHERE sku IN (${Prisma.join(skus)}) AND received_at IS NULL ORDER BY id FOR UPDATE`;
        const [skuRows, warehouses, days] = await Promise.all([
          tx.sku.findMany({ where: { sku: { in: skus } } }),
          tx.warehouse.findMany({ select: { id: true, priority: true } }),
          holidays(tx),
        ]);

        const qualifying = await qualifyingOnHand(tx, skuRows, request.today, request.minShelfLifeDays);
        const result = allocateOrder({
          lines: request.lines,
          stock: stock.map((s) => ({
            warehouseId: s.warehouse_id,
            sku: s.sku,
            onHand: s.on_hand,
            reserved: s.reserved,
            ...qualifying(s.warehouse_id, s.sku),
          })),
          receipts: receipts.map((r) => ({
            id: r.id,
            warehouseId: r.warehouse_id,
            sku: r.sku,
            quantity: r.quantity,
            promisedQuantity: r.promised_quantity,
            dueDate: isoDate(r.due_date),
            expiryDate: r.expiry_date ? isoDate(r.expiry_date) : null,
          })),
          // Warehouses may share a priority: ranked by id among them, never by the order rows come back in.
          warehousePriority: rankWarehouses(warehouses),
          allowsPartialShipment: request.allowsPartialShipment,
          today: request.today,
          leadTimeDaysBySku: Object.fromEntries(skuRows.map((s) => [s.sku, s.leadTimeDays])),
          holidays: days,
          minShelfLifeDays: request.minShelfLifeDays,
        });

        for (const a of result.allocations) {
          await tx.stock.update({
            where: { warehouseId_sku: { warehouseId: a.warehouseId, sku: a.sku } },
            data: { reserved: { increment: a.quantity } },
          });
          await tx.reservation.create({
            data: {
              orderId: request.orderId,
              lineNo: a.lineNo,
              warehouseId: a.warehouseId,
              sku: a.sku,
              quantity: a.quantity,
              status: 'reserved',
            },
          });
        }
        // A line can wait on several sources (part of a receipt, the rest on lead time): one part each.
        const partsOfLine = new Map<number, number>();
        for (const b of result.backorders) {
          const partNo = partsOfLine.get(b.lineNo) ?? 0;
          partsOfLine.set(b.lineNo, partNo + 1);
          if (b.receiptId)
            await tx.scheduledReceipt.update({
              where: { id: b.receiptId },
              data: { promisedQuantity: { increment: b.quantity } },
            });
          await tx.backorder.create({
            data: {
              orderId: request.orderId,
              lineNo: b.lineNo,
              partNo,
              sku: b.sku,
              warehouseId: b.warehouseId,
              quantity: b.quantity,
              availableDate: new Date(`${b.availableDate}T00:00:00Z`),
              receiptId: b.receiptId ?? null,
              status: 'waiting',
            },
          });
        }
        return result;
      }, TX);
    },

    releaseOrder(orderId) {
      return db.$transaction(async (tx) => {
        const reservations = await tx.reservation.findMany({ where: { orderId, status: 'reserved' } });
        for (const r of reservations) {
          if (r.quantity > 0) {
            await tx.stock.update({
              where: { warehouseId_sku: { warehouseId: r.warehouseId, sku: r.sku } },
              data: { reserved: { decrement: r.quantity } },
            });
          }
          await tx.reservation.update({
            where: { orderId_lineNo_warehouseId: { orderId, lineNo: r.lineNo, warehouseId: r.warehouseId } },
            data: { status: 'released' },
          });
        }
        const { open } = await lockOpenBackorders(tx, orderId);
        for (const b of open) {
          if (b.status === 'received') {
            // Its receipt arrived and receive() reserved the units for it: they go back to stock.
            await tx.stock.update({
              where: { warehouseId_sku: { warehouseId: b.warehouseId, sku: b.sku } },
              data: { reserved: { decrement: b.quantity } },
            });
          } else if (b.receiptId) {
            await tx.scheduledReceipt.update({
              where: { id: b.receiptId },
              data: { promisedQuantity: { decrement: b.quantity } },
            });
          }
          await tx.backorder.update({
            where: { orderId_lineNo_partNo: { orderId, lineNo: b.lineNo, partNo: b.partNo } },
            data: { status: 'cancelled' },
          });
        }
      }, TX);
    },

    releaseBackorders({ orderId, allowsPartialShipment, today, minShelfLifeDays, idempotencyKey }) {
      return db.$transaction(async (tx) => {
        // A retry of a release that committed (a crash or timeout after it) answers what it released.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${idempotencyKey}))`;
        const first = await tx.backorderRelease.findUnique({ where: { idempotencyKey } });
        if (first) return first.result as unknown as AllocationResult;

        const { open, stock } = await lockOpenBackorders(tx, orderId);
        // Lot-tracked stock serves only from lots this customer accepts, as in reserve().
        const qualifying = await qualifyingOnHand(
          tx,
          await tx.sku.findMany({ where: { sku: { in: [...new Set(open.map((b) => b.sku))] } } }),
          today,
          minShelfLifeDays,
        );
        const atp = new Map<string, number>();
        for (const b of open) {
          const key = rowKey(b.warehouseId, b.sku);
          const row = stock.get(key);
          if (!atp.has(key))
            atp.set(
              key,
              row
                ? availableToPromise({
                    warehouseId: b.warehouseId,
                    sku: b.sku,
                    onHand: row.on_hand,
                    reserved: row.reserved,
                    ...qualifying(b.warehouseId, b.sku),
                  })
                : 0,
            );
        }
        // 'received': receive() reserved the units already. 'waiting': only if unreserved stock covers it.
        const canRelease = open.map((b) => {
          if (b.status === 'received') return true;
          const key = rowKey(b.warehouseId, b.sku);
          const available = atp.get(key) ?? 0;
          if (available < b.quantity) return false;
          atp.set(key, available - b.quantity);
          return true;
        });
        // An order that must ship complete releases all of its backorders at once or none.
        const isReleasing = allowsPartialShipment || canRelease.every(Boolean);

        const released: AllocationResult = { allocations: [], backorders: [] };
        for (const [i, b] of open.entries()) {
          if (!isReleasing || !canRelease[i]) {
            released.backorders.push(...resultFrom([], [b]).backorders);
            continue;
          }
          if (b.status === 'waiting') {
            await tx.stock.update({
              where: { warehouseId_sku: { warehouseId: b.warehouseId, sku: b.sku } },
              data: { reserved: { increment: b.quantity } },
            });
            if (b.receiptId)
              await tx.scheduledReceipt.update({
                where: { id: b.receiptId },
                data: { promisedQuantity: { decrement: b.quantity } },
              });
          }
          await tx.reservation.upsert({
            where: { orderId_lineNo_warehouseId: { orderId, lineNo: b.lineNo, warehouseId: b.warehouseId } },
            create: {
              orderId,
              lineNo: b.lineNo,
              warehouseId: b.warehouseId,
              sku: b.sku,
              quantity: b.quantity,
              status: 'reserved',
            },
            update: { quantity: { increment: b.quantity }, status: 'reserved' },
          });
          await tx.backorder.update({
            where: { orderId_lineNo_partNo: { orderId, lineNo: b.lineNo, partNo: b.partNo } },
            data: { status: 'released' },
          });
          released.allocations.push({ lineNo: b.lineNo, sku: b.sku, warehouseId: b.warehouseId, quantity: b.quantity });
        }
        await tx.backorderRelease.create({ data: { idempotencyKey, orderId, result: released as object } });
        return released;
      }, TX);
    },

    pick(request) {
      return db.$transaction(async (tx) => {
        const shipment = await tx.shipment.findUniqueOrThrow({ where: { id: request.shipmentId } });
        if (shipment.picks) return shipment.picks as unknown as ShipmentPicks; // picked already (retry)
        const skuRows = await tx.sku.findMany({ where: { sku: { in: request.lines.map((l) => l.sku) } } });
        const picks: ShipmentPicks = { lines: [] };
        // Rows are locked in SKU order, as reserve() does: two transactions never wait on each other in a cycle.
        const bySku = [...request.lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.lineNo - b.lineNo));
        for (const line of bySku) {
          const sku = skuRows.find((s) => s.sku === line.sku);
          let lots: ShipmentPicks['lines'][number]['lots'] = [];
          if (sku?.isLotTracked) {
            const available = await tx.$queryRaw<{ lot_id: string; quantity: number; expiry_date: Date | null }[]>`
              SELECT lot_id, quantity, expiry_date FROM stock_lot
              WHERE warehouse_id = ${request.warehouseId} AND sku = ${line.sku} AND quantity > 0 ORDER BY lot_id FOR UPDATE`;
            const picked = pickLots({
              lots: available.map((l) => ({
                lotId: l.lot_id,
                quantity: l.quantity,
                expiryDate: l.expiry_date ? isoDate(l.expiry_date) : null,
              })),
              quantity: line.quantity,
              today: request.today,
              minRemainingShelfLifeDays: request.minShelfLifeDays,
            });
            if (picked.shortfall > 0) {
              const excluded = picked.excluded.map((e) => `${e.lotId} ${e.reason}`).join(', ');
              throw ApplicationFailure.nonRetryable(
                `line ${line.lineNo}: ${line.sku} needs ${line.quantity}, only ${line.quantity - picked.shortfall} in lots with at least ${request.minShelfLifeDays} days of shelf life at ${request.warehouseId}${excluded ? ` (excluded: ${excluded})` : ''}`,
                FAILURES.PickShortfall.type,
              );
            }
            for (const p of picked.picks) {
              await tx.stockLot.update({
                where: { warehouseId_sku_lotId: { warehouseId: request.warehouseId, sku: line.sku, lotId: p.lotId } },
                data: { quantity: { decrement: p.quantity } },
              });
            }
            lots = picked.picks;
          }
          await tx.stock.update({
            where: { warehouseId_sku: { warehouseId: request.warehouseId, sku: line.sku } },
            data: { onHand: { decrement: line.quantity }, reserved: { decrement: line.quantity } },
          });
          await tx.reservation.update({
            where: {
              orderId_lineNo_warehouseId: {
                orderId: request.orderId,
                lineNo: line.lineNo,
                warehouseId: request.warehouseId,
              },
            },
            data: { quantity: { decrement: line.quantity } },
          });
          picks.lines.push({ ...line, lots });
        }
        picks.lines.sort((a, b) => a.lineNo - b.lineNo);
        await tx.shipment.update({
          where: { id: request.shipmentId },
          data: { picks: picks as object, status: 'picked' },
        });
        return picks;
      }, TX);
    },

    unpick(shipmentId) {
      return db.$transaction(async (tx) => {
        const shipment = await tx.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
        if (!shipment.picks || !['picked', 'packed', 'booked'].includes(shipment.status)) return;
        const picks = shipment.picks as unknown as ShipmentPicks;
        for (const line of picks.lines) {
          for (const lot of line.lots) {
            await tx.stockLot.update({
              where: { warehouseId_sku_lotId: { warehouseId: shipment.warehouseId, sku: line.sku, lotId: lot.lotId } },
              data: { quantity: { increment: lot.quantity } },
            });
          }
          await tx.stock.update({
            where: { warehouseId_sku: { warehouseId: shipment.warehouseId, sku: line.sku } },
            data: { onHand: { increment: line.quantity } },
          });
        }
        await tx.shipment.update({ where: { id: shipmentId }, data: { status: 'cancelled' } });
      }, TX);
    },

    releaseShipment(request) {
      return db.$transaction(async (tx) => {
        // The shipment row is the once-marker: a repeat (activity retry) finds it released already.
        const [row] = await tx.$queryRaw<{ picks: unknown; lines_released_at: Date | null }[]>`
          SELECT picks, lines_released_at FROM shipment WHERE id = ${request.shipmentId} FOR UPDATE`;
        if (row?.lines_released_at) return;
        // Picked units left the reservation at pick (and went back on hand at unpick): only unpicked lines hold stock.
        if (!row?.picks) {
          for (const line of [...request.lines].sort((a, b) =>
            a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.lineNo - b.lineNo,
          )) {
            const key = {
              orderId_lineNo_warehouseId: {
                orderId: request.orderId,
                lineNo: line.lineNo,
                warehouseId: request.warehouseId,
              },
            };
            const reservation = await tx.reservation.findUnique({ where: key });
            const quantity = Math.min(line.quantity, reservation?.status === 'reserved' ? reservation.quantity : 0);
            if (quantity <= 0) continue;
            await tx.stock.update({
              where: { warehouseId_sku: { warehouseId: request.warehouseId, sku: line.sku } },
              data: { reserved: { decrement: quantity } },
            });
            await tx.reservation.update({
              where: key,
              data:
                reservation!.quantity === quantity
                  ? { quantity: 0, status: 'released' }
                  : { quantity: { decrement: quantity } },
            });
          }
        }
        await tx.shipment.upsert({
          where: { id: request.shipmentId },
          create: {
            id: request.shipmentId,
            orderId: request.orderId,
            warehouseId: request.warehouseId,
            status: 'cancelled',
            lines: request.lines,
            linesReleasedAt: new Date(),
          },
          update: { status: 'cancelled', linesReleasedAt: new Date() },
        });
      }, TX);
    },

    async pack(shipmentId) {
      const shipment = await db.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
      const picks = shipment.picks as unknown as ShipmentPicks;
      const skuRows = await db.sku.findMany({ where: { sku: { in: picks.lines.map((l) => l.sku) } } });
      const packed = packShipment(
        picks.lines.map((l) => {
          const sku = skuRows.find((s) => s.sku === l.sku)!;
          return {
            sku: l.sku,
            quantity: l.quantity,
            unitWeightGrams: sku.unitWeightGrams,
            isHazardous: sku.hazardClass !== null,
          };
        }),
      );
      await db.shipment.update({ where: { id: shipmentId }, data: { packages: packed as object, status: 'packed' } });
      return packed;
    },

    receive(receiptId) {
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
    },
  };
}
