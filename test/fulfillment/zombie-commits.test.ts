/**
 * Issue 11, every effect once: an attempt the Temporal server timed out may still run on a slow worker
 * (a zombie) and commit after the workflow compensated its step. The built-in adapters fence each
 * effect: a compensation leaves a tombstone, even when it found nothing to undo, and a late commit is
 * refused (EffectCompensated), so stock does not stay reserved or picked and no ERP order stays open.
 */
import { createDb, type Db } from '../../lib/db';
import { createFixture, isoDay, type Fixture } from '../../fixtures/master-data';
import { createBuiltinWms } from '../../adapters/wms/builtin';
import { createBuiltinErp } from '../../adapters/erp/builtin';
import { createBuiltinTms } from '../../adapters/tms/builtin';
import { FAILURES } from '../../domain/failures';
import type { ReserveRequest } from '../../adapters/types';
import { env } from '../support/harness';

let db: Db;
beforeAll(() => {
  db = createDb(env('CLOSEDLOOP_TEST_DATABASE_URL'), 4);
});
afterAll(() => db.$disconnect());

let seq = 0;
const orderIdFor = (f: Fixture) => `order-zombie-${f.tag}-${(seq += 1)}`;
const reserveRequest = (f: Fixture, orderId: string, quantity = 3): ReserveRequest => ({
  orderId,
  lines: [{ lineNo: 1, sku: f.sku.valve, quantity }],
  allowsPartialShipment: true,
  today: isoDay(),
  minShelfLifeDays: 0,
});
const valveStock = (f: Fixture) =>
  db.stock.findUniqueOrThrow({ where: { warehouseId_sku: { warehouseId: f.warehouses.primary, sku: f.sku.valve } } });
const refusedAsCompensated = { type: FAILURES.EffectCompensated.type, nonRetryable: true };

/** Resolves once `count` statements of this database wait for a row lock (or after 5 s). */
async function someoneWaitsForALock(count = 1): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const [row] = await db.$queryRaw<{ waiting: bigint }[]>`
      SELECT count(*) AS waiting FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (Number(row!.waiting) >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a late commit after its compensation', () => {
  it('refuses a reservation whose release ran first, leaving no stock reserved', async () => {
    const f = await createFixture(db, { stock: { primary: { valve: 10 } } });
    const wms = createBuiltinWms(db);
    const orderId = orderIdFor(f);
    await wms.releaseOrder(orderId); // the cancel's compensation: nothing reserved yet
    await expect(wms.reserve(reserveRequest(f, orderId))).rejects.toMatchObject(refusedAsCompensated);
    expect((await valveStock(f)).reserved).toBe(0);
    expect(await db.reservation.count({ where: { orderId, status: 'reserved' } })).toBe(0);
  });

  it('serializes a reservation and its release that run at once: the release undoes it', async () => {
    const f = await createFixture(db, { stock: { primary: { valve: 10 } } });
    const wms = createBuiltinWms(db);
    const orderId = orderIdFor(f);
    // Another order holds the valve's stock row: the reservation starts and waits for it.
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const blocker = db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT on_hand FROM stock WHERE sku = ${f.sku.valve} FOR UPDATE`;
        await gate;
      },
      { timeout: 30_000 },
    );
    await new Promise((r) => setTimeout(r, 100));
    const reserving = wms.reserve(reserveRequest(f, orderId));
    await someoneWaitsForALock();
    // The compensation runs while the reservation's transaction is open, then the reservation commits.
    const releasing = wms.releaseOrder(orderId);
    await new Promise((r) => setTimeout(r, 300));
    letGo();
    await blocker;
    const [reserved, released] = await Promise.allSettled([reserving, releasing]);
    // The reservation held the order's fence first: the release waited for it and undid it.
    expect([reserved.status, released.status]).toEqual(['fulfilled', 'fulfilled']);
    expect((await valveStock(f)).reserved).toBe(0);
    expect(await db.reservation.findMany({ where: { orderId } })).toMatchObject([{ status: 'released' }]);
  });

  it('leaves nothing reserved when many reservations race their releases', async () => {
    const f = await createFixture(db, { stock: { primary: { valve: 100 } } });
    const wms = createBuiltinWms(db);
    const orderIds = Array.from({ length: 12 }, () => orderIdFor(f));
    const outcomes = await Promise.allSettled(
      orderIds.flatMap((orderId, i) => {
        const reserve = () => wms.reserve(reserveRequest(f, orderId, 2));
        const release = () => wms.releaseOrder(orderId);
        return i % 2 === 0 ? [reserve(), release()] : [release(), reserve()];
      }),
    );
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject(refusedAsCompensated);
    expect((await valveStock(f)).reserved).toBe(0);
    expect(await db.reservation.count({ where: { orderId: { in: orderIds }, status: 'reserved' } })).toBe(0);
  });

  it('releases what a backorder release running at the same time reserved', async () => {
    const f = await createFixture(db, { stock: { primary: { valve: 0 } } });
    const wms = createBuiltinWms(db);
    const orderId = orderIdFor(f);
    const first = await wms.reserve(reserveRequest(f, orderId));
    expect(first.allocations).toEqual([]);
    const [backorder] = first.backorders;
    // The stock arrives; another transaction holds its row while a release of the backorder starts.
    await db.stock.update({
      where: { warehouseId_sku: { warehouseId: backorder!.warehouseId, sku: f.sku.valve } },
      data: { onHand: 10 },
    });
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const blocker = db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT on_hand FROM stock WHERE sku = ${f.sku.valve} FOR UPDATE`;
        await gate;
      },
      { timeout: 30_000 },
    );
    await new Promise((r) => setTimeout(r, 100));
    const releasingBackorders = wms.releaseBackorders({
      orderId,
      allowsPartialShipment: true,
      today: isoDay(),
      minShelfLifeDays: 0,
      idempotencyKey: `${orderId}:release-backorders:1`,
    });
    await someoneWaitsForALock();
    const releasingOrder = wms.releaseOrder(orderId); // the cancel's compensation
    await someoneWaitsForALock(2);
    letGo();
    await blocker;
    await Promise.all([releasingBackorders, releasingOrder]);
    expect((await valveStock(f)).reserved).toBe(0);
    expect(await db.reservation.count({ where: { orderId, status: 'reserved' } })).toBe(0);
    expect(await db.backorder.count({ where: { orderId, status: { in: ['waiting', 'received'] } } })).toBe(0);
  });

  it('still lets a release undo a reservation that committed first, and refuses a retry after it', async () => {
    const f = await createFixture(db, { stock: { primary: { valve: 10 } } });
    const wms = createBuiltinWms(db);
    const orderId = orderIdFor(f);
    const first = await wms.reserve(reserveRequest(f, orderId));
    expect(await wms.reserve(reserveRequest(f, orderId))).toEqual(first); // a retry: same answer
    expect((await valveStock(f)).reserved).toBe(3);
    await wms.releaseOrder(orderId);
    await wms.releaseOrder(orderId); // a compensation's retry
    await expect(wms.reserve(reserveRequest(f, orderId))).rejects.toMatchObject(refusedAsCompensated);
    expect((await valveStock(f)).reserved).toBe(0);
  });

  it('refuses a pick whose unpick ran first: nothing leaves the shelf', async () => {
    const f = await createFixture(db, { stock: { primary: { valve: 10 } } });
    const wms = createBuiltinWms(db);
    const orderId = orderIdFor(f);
    await wms.reserve(reserveRequest(f, orderId));
    const shipmentId = `${orderId}-S1`;
    const lines = [{ lineNo: 1, sku: f.sku.valve, quantity: 3 }];
    await db.shipment.create({
      data: { id: shipmentId, orderId, warehouseId: f.warehouses.primary, status: 'planned', lines },
    });
    await wms.unpick(shipmentId); // cancelled before the pick committed
    await expect(
      wms.pick({ shipmentId, orderId, warehouseId: f.warehouses.primary, lines, minShelfLifeDays: 0, today: isoDay() }),
    ).rejects.toMatchObject(refusedAsCompensated);
    expect(await valveStock(f)).toMatchObject({ onHand: 10, reserved: 3 });
    expect(await db.shipment.findUniqueOrThrow({ where: { id: shipmentId } })).toMatchObject({ picks: null });
    await wms.releaseOrder(orderId);
    expect((await valveStock(f)).reserved).toBe(0);
  });

  it('refuses a pack after the unpick: the cancelled shipment does not count as gone', async () => {
    const f = await createFixture(db, { stock: { primary: { valve: 10 } } });
    const wms = createBuiltinWms(db);
    const orderId = orderIdFor(f);
    await wms.reserve(reserveRequest(f, orderId));
    const shipmentId = `${orderId}-S1`;
    const lines = [{ lineNo: 1, sku: f.sku.valve, quantity: 3 }];
    await db.shipment.create({
      data: { id: shipmentId, orderId, warehouseId: f.warehouses.primary, status: 'planned', lines },
    });
    await wms.pick({
      shipmentId,
      orderId,
      warehouseId: f.warehouses.primary,
      lines,
      minShelfLifeDays: 0,
      today: isoDay(),
    });
    await wms.unpick(shipmentId);
    await expect(wms.pack(shipmentId)).rejects.toMatchObject(refusedAsCompensated);
    expect(await db.shipment.findUniqueOrThrow({ where: { id: shipmentId } })).toMatchObject({ status: 'cancelled' });
    expect(await valveStock(f)).toMatchObject({ onHand: 10, reserved: 0 });
  });

  it('leaves the tombstone when the shipment to unpick was never stored', async () => {
    const f = await createFixture(db);
    const wms = createBuiltinWms(db);
    const orderId = orderIdFor(f);
    await wms.unpick(`${orderId}-S9`);
    expect(await db.effectFence.findUnique({ where: { effectKey: `pick:${orderId}-S9` } })).toMatchObject({
      compensatedAt: expect.any(Date),
    });
  });

  it('refuses an ERP sales order whose cancellation ran first: no order stays open', async () => {
    const f = await createFixture(db);
    const erp = createBuiltinErp(db);
    const orderId = orderIdFor(f);
    const key = `${orderId}:create-erp-order`;
    await erp.cancelSalesOrder(orderId, `${key}:cancel`);
    await expect(
      erp.createSalesOrder({ orderId, customerId: f.customerId, poNumber: 'PO-Z', currency: 'EUR', lines: [] }, key),
    ).rejects.toMatchObject(refusedAsCompensated);
    expect(await db.erpOrder.count({ where: { orderId, status: 'open' } })).toBe(0);
  });

  it('refuses a carrier booking whose cancellation ran first, though no tracking number was known', async () => {
    const f = await createFixture(db);
    const tms = createBuiltinTms(db);
    const orderId = orderIdFor(f);
    const shipmentId = `${orderId}-S1`;
    await db.shipment.create({
      data: { id: shipmentId, orderId, warehouseId: f.warehouses.primary, status: 'packed', lines: [] },
    });
    const key = `shipment-${shipmentId}:book-carrier`;
    await tms.cancelBooking({ shipmentId, trackingNumber: null }, `${key}:cancel`);
    const booking = { shipmentId, carrierId: 'DHL', mode: 'parcel', weightGrams: 1000, packageCount: 1, shipTo: {} };
    await expect(tms.book(booking, key)).rejects.toMatchObject(refusedAsCompensated);
    expect(await db.shipment.findUniqueOrThrow({ where: { id: shipmentId } })).toMatchObject({ trackingNumber: null });
  });
});
