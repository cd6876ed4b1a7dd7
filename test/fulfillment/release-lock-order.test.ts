/**
 * releaseOrder (the reservation's compensation) takes its stock row locks in the order reserve() takes
 * them, (warehouse, sku), in one statement: it locked the backorders' rows first and the reserved rows
 * one by one after, so an order with GASKET reserved and VALVE backordered deadlocked with another
 * order's reserve() of both (PostgreSQL 40P01, found by review).
 */
import { createDb, type Db } from '../../lib/db';
import { createFixture, isoDay } from '../../fixtures/master-data';
import { createBuiltinWms } from '../../adapters/wms/builtin';
import { env } from '../support/harness';

let db: Db;
beforeAll(() => {
  db = createDb(env('CLOSEDLOOP_TEST_DATABASE_URL'), 6);
});
afterAll(() => db.$disconnect());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('releases an order while another order locks the same stock rows, without a deadlock', async () => {
  const f = await createFixture(db, { stock: { primary: { gasket: 10, valve: 0 }, secondary: { valve: 0 } } });
  const wms = createBuiltinWms(db);
  const orderId = `order-lock-order-${f.tag}`;
  const reserved = await wms.reserve({
    orderId,
    lines: [
      { lineNo: 1, sku: f.sku.gasket, quantity: 2 },
      { lineNo: 2, sku: f.sku.valve, quantity: 2 },
    ],
    allowsPartialShipment: true,
    today: isoDay(),
    minShelfLifeDays: 0,
  });
  expect(reserved.backorders.length).toBeGreaterThan(0);

  // Hold releaseOrder between its first row lock and its next read, then let another order's
  // reserve() take both rows in sorted order: locks taken out of order meet head-on.
  let resume!: () => void;
  const pause = db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE reservation IN ACCESS EXCLUSIVE MODE');
      await new Promise<void>((r) => (resume = r));
    },
    { timeout: 60_000 },
  );
  await sleep(300);
  const release = wms.releaseOrder(orderId).then(
    () => 'released',
    (e: Error) => `release failed: ${e.message}`,
  );
  await sleep(1_000);
  const otherReserve = db
    .$transaction(
      (tx) =>
        tx.$queryRawUnsafe(
          `SELECT warehouse_id, sku FROM stock WHERE sku IN ('${f.sku.gasket}', '${f.sku.valve}') ORDER BY warehouse_id, sku FOR UPDATE`,
        ),
      { timeout: 60_000, maxWait: 60_000 },
    )
    .then(
      () => 'locked',
      (e: Error) => `lock failed: ${e.message}`,
    );
  await sleep(1_000);
  resume();
  await pause;
  expect(await Promise.all([release, otherReserve])).toEqual(['released', 'locked']);
  const stock = await db.stock.findMany({ where: { sku: { in: [f.sku.gasket, f.sku.valve] } } });
  expect(stock.every((s) => s.reserved === 0)).toBe(true);
});
