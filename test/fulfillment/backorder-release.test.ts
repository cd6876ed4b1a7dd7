/**
 * Backorders that wait on receipts: stored per source, released once, kept from new orders, released
 * whole for orders that ship complete, held back while the order is on hold, and lot-tracked stock
 * promised only as far as the customer's shelf life allows.
 */
import { useHarness } from '../support/harness';
import { realActivityDeps } from '../support/real-activities';
import { createFixture, isoDay, type Fixture } from '../../fixtures/master-data';
import { awaitingDelivery, deliverShipment, placeOrder, stepOf } from '../support/flows';
import { createBuiltinWms } from '../../adapters/wms/builtin';
import { releaseBackorders } from '../../activities/fulfillment/reserve-stock';
import type { StepInput } from '../../activities/contract';
import { decideStep } from '../../workflows/engine/messages';

const h = useHarness();

const receiptFor = async (
  f: Fixture,
  suffix: string,
  sku: string,
  quantity: number,
  dueInDays: number,
  warehouseId = f.warehouses.primary,
) => {
  const id = `RCPT-${f.tag}-${suffix}`;
  await h.db.scheduledReceipt.create({
    data: { id, warehouseId, sku, kind: 'purchase', quantity, dueDate: new Date(`${isoDay(dueInDays)}T00:00:00Z`) },
  });
  return id;
};
const receive = (receiptId: string) => h.app.inject({ method: 'POST', url: '/v1/receipts', payload: { receiptId } });
const backordersOf = (orderId: string) =>
  h.db.backorder.findMany({ where: { orderId }, orderBy: [{ lineNo: 'asc' }, { partNo: 'asc' }] });
const shipmentLines = async (shipmentId: string) =>
  (await h.db.shipment.findUniqueOrThrow({ where: { id: shipmentId } })).lines;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Resolves once the order workflow has handled `count` completed releaseBackorders activities (a
 * workflow task completed after the last one), and says whether it started a shipment since.
 */
async function releaseHandled(orderId: string, count: number): Promise<{ startedShipmentAfter: boolean }> {
  return until(`release ${count} of ${orderId} to be handled`, async () => {
    const events = (await h.temporal.workflow.getHandle(orderId).fetchHistory()).events ?? [];
    const scheduled = new Map<string, string>();
    events.forEach((e) => {
      const type = e.activityTaskScheduledEventAttributes?.activityType?.name;
      if (type) scheduled.set(String(e.eventId), type);
    });
    const completions = events
      .map((e, i) => ({ e, i }))
      .filter(
        ({ e }) =>
          e.activityTaskCompletedEventAttributes &&
          scheduled.get(String(e.activityTaskCompletedEventAttributes.scheduledEventId)) === 'releaseBackorders',
      );
    const last = completions[count - 1];
    if (!last || completions.length > count) return undefined;
    const after = events.slice(last.i + 1);
    if (!after.some((e) => e.workflowTaskCompletedEventAttributes)) return undefined;
    return { startedShipmentAfter: after.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes) };
  });
}

describe('backorders waiting on receipts', () => {
  it('stores a line that waits on a receipt and on lead time as two backorders, and ships both when stock arrives', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 2 }, secondary: { valve: 1 } } });
    // The shared database holds other tests' warehouses, several at this fixture's priorities. Two more
    // that do not carry the valve make the case certain instead of a matter of which tests ran first:
    // one ranked before every warehouse, one tied with the primary at priority 1 and sorting before it.
    // The lead-time part must still wait at the primary, where the second receipt arrives.
    const decoys = [
      { id: `WH-0-FIRST-${f.tag}`, name: 'Unrelated, best priority', priority: 0, country: 'US' },
      { id: `WH-0-TIED-${f.tag}`, name: 'Unrelated, tied with the primary', priority: 1, country: 'US' },
    ];
    await h.db.warehouse.createMany({ data: decoys });
    await h.db.stock.createMany({ data: decoys.map((d) => ({ warehouseId: d.id, sku: f.sku.gasket, onHand: 500 })) });
    const production = await receiptFor(f, 'PROD', f.sku.valve, 4, 15);
    const orderId = await placeOrder(h, f, { lines: [{ sku: f.sku.valve, quantity: 8, unitPriceMinor: 'contract' }] });

    let state;
    try {
      state = await h.waitForState(orderId, (s) =>
        ['completed', 'needs_attention'].includes(stepOf(s, 'reserve-stock')?.status ?? ''),
      );
    } finally {
      // Only this reservation needs them: other test files share the database.
      await h.db.stock.deleteMany({ where: { warehouseId: { in: decoys.map((d) => d.id) } } });
      await h.db.warehouse.deleteMany({ where: { id: { in: decoys.map((d) => d.id) } } });
    }
    expect(stepOf(state, 'reserve-stock')?.status).toBe('completed');
    expect(
      (await backordersOf(orderId)).map((b) => ({
        lineNo: b.lineNo,
        partNo: b.partNo,
        quantity: b.quantity,
        receiptId: b.receiptId,
        warehouseId: b.warehouseId,
        status: b.status,
      })),
    ).toEqual([
      {
        lineNo: 1,
        partNo: 0,
        quantity: 4,
        receiptId: production,
        warehouseId: f.warehouses.primary,
        status: 'waiting',
      },
      { lineNo: 1, partNo: 1, quantity: 1, receiptId: null, warehouseId: f.warehouses.primary, status: 'waiting' },
    ]);
    await awaitingDelivery(h, `${orderId}-S1`);
    await awaitingDelivery(h, `${orderId}-S2`);

    // The production receipt serves its part; the lead-time part waits for more stock.
    expect((await receive(production)).json().notifiedOrders).toEqual([orderId]);
    await awaitingDelivery(h, `${orderId}-S3`);
    expect(await shipmentLines(`${orderId}-S3`)).toEqual([{ lineNo: 1, sku: f.sku.valve, quantity: 4 }]);
    expect((await backordersOf(orderId)).map((b) => b.status)).toEqual(['released', 'waiting']);

    const purchase = await receiptFor(f, 'PO', f.sku.valve, 5, 20);
    expect((await receive(purchase)).json().notifiedOrders).toEqual([orderId]);
    await awaitingDelivery(h, `${orderId}-S4`);
    expect(await shipmentLines(`${orderId}-S4`)).toEqual([{ lineNo: 1, sku: f.sku.valve, quantity: 1 }]);
    expect((await backordersOf(orderId)).map((b) => b.status)).toEqual(['released', 'released']);

    for (const n of [1, 2, 3, 4]) await deliverShipment(h, `${orderId}-S${n}`);
    await h.waitForState(orderId, (s) => s.status === 'fulfilled');
    const stock = await h.db.stock.findMany({ where: { sku: f.sku.valve }, orderBy: { warehouseId: 'asc' } });
    expect(stock.map((s) => [s.onHand, s.reserved])).toEqual([
      [2 + 4 + 5 - 7, 0],
      [0, 0],
    ]);
  });

  it('starts the released shipment once when the release is retried after its commit', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 0 } } });
    const receiptId = await receiptFor(f, 'R', f.sku.valve, 10, 5);
    const deps = realActivityDeps(h);
    const { mail } = deps;
    const lost: string[] = [];
    await h.stopWorker();
    // The real release commits, then its answer is lost (a worker crash or a timeout): Temporal retries it.
    await h.startWorker({
      releaseBackorders: async (input: StepInput) => {
        const released = await releaseBackorders(deps, input);
        if (!lost.includes(input.run.orderId)) {
          lost.push(input.run.orderId);
          throw new Error('answer lost after the WMS committed');
        }
        return released;
      },
    });
    try {
      const orderId = await placeOrder(h, f, {
        lines: [{ sku: f.sku.valve, quantity: 10, unitPriceMinor: 'contract' }],
      });
      await h.waitForState(orderId, (s) => s.status === 'partially_released');
      expect((await receive(receiptId)).statusCode).toBe(200);
      await awaitingDelivery(h, `${orderId}-S1`);
      expect(lost).toContain(orderId);
      expect(await shipmentLines(`${orderId}-S1`)).toEqual([{ lineNo: 1, sku: f.sku.valve, quantity: 10 }]);
      await deliverShipment(h, `${orderId}-S1`);
      await h.waitForState(orderId, (s) => s.status === 'fulfilled');
      expect(await h.db.shipment.count({ where: { orderId } })).toBe(1);
      expect(
        await h.db.stock.findUniqueOrThrow({
          where: { warehouseId_sku: { warehouseId: f.warehouses.primary, sku: f.sku.valve } },
        }),
      ).toMatchObject({ onHand: 0, reserved: 0 });
    } finally {
      await h.stopWorker();
      await h.startWorker({});
      mail.close();
    }
  });

  it('keeps units promised to a waiting order from a new order placed while the receipt arrives', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 0 } } });
    const receiptId = await receiptFor(f, 'R', f.sku.valve, 10, 5);
    const waiting = await placeOrder(h, f, { lines: [{ sku: f.sku.valve, quantity: 10, unitPriceMinor: 'contract' }] });
    await h.waitForState(waiting, (s) => s.status === 'partially_released');

    // No worker: the waiting order cannot release before the new order asks for stock.
    await h.stopWorker();
    try {
      expect((await receive(receiptId)).json().notifiedOrders).toEqual([waiting]);
      const wms = createBuiltinWms(h.db);
      const late = await wms.reserve({
        orderId: `late-${f.tag}`,
        lines: [{ lineNo: 1, sku: f.sku.valve, quantity: 10 }],
        allowsPartialShipment: true,
        today: isoDay(),
        minShelfLifeDays: 0,
      });
      expect(late.allocations).toEqual([]);
      expect(late.backorders).toEqual([expect.objectContaining({ quantity: 10, source: 'lead-time' })]);
      await wms.releaseOrder(`late-${f.tag}`);
    } finally {
      await h.startWorker({});
    }
    await awaitingDelivery(h, `${waiting}-S1`);
    expect(await shipmentLines(`${waiting}-S1`)).toEqual([{ lineNo: 1, sku: f.sku.valve, quantity: 10 }]);
  });

  it('tells every waiting order about a receipt even when telling one of them fails', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 0 } } });
    const receiptId = await receiptFor(f, 'R', f.sku.valve, 10, 5);
    // An order whose workflow is gone (sorts before the real one) still has a backorder of the SKU.
    const gone = `order-0-gone-${f.tag}`;
    await h.db.backorder.create({
      data: {
        orderId: gone,
        lineNo: 1,
        sku: f.sku.valve,
        warehouseId: f.warehouses.primary,
        quantity: 1,
        availableDate: new Date(`${isoDay(10)}T00:00:00Z`),
        status: 'waiting',
      },
    });
    const orderId = await placeOrder(h, f, { lines: [{ sku: f.sku.valve, quantity: 10, unitPriceMinor: 'contract' }] });
    await h.waitForState(orderId, (s) => s.status === 'partially_released');

    const arrived = await receive(receiptId);
    expect(arrived.statusCode).toBe(200);
    expect(arrived.json().notifiedOrders).toEqual([orderId]);
    expect(arrived.json().failedOrders).toEqual([{ orderId: gone, reason: expect.stringContaining(gone) }]);
    await awaitingDelivery(h, `${orderId}-S1`);
    await h.db.backorder.update({
      where: { orderId_lineNo_partNo: { orderId: gone, lineNo: 1, partNo: 0 } },
      data: { status: 'cancelled' },
    });
  });

  it('releases nothing of an order that ships complete until every line can ship, then ships it as one', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 0, gasket: 0 } } });
    const valves = await receiptFor(f, 'V', f.sku.valve, 10, 5);
    const gaskets = await receiptFor(f, 'G', f.sku.gasket, 20, 8);
    const orderId = await placeOrder(h, f, {
      allowsPartialShipment: false,
      lines: [
        { sku: f.sku.valve, quantity: 10, unitPriceMinor: 'contract' },
        { sku: f.sku.gasket, quantity: 20, unitPriceMinor: 85 },
      ],
    });
    await h.waitForState(orderId, (s) => s.status === 'partially_released');

    expect((await receive(valves)).json().notifiedOrders).toEqual([orderId]);
    expect(await releaseHandled(orderId, 1)).toEqual({ startedShipmentAfter: false });
    expect((await backordersOf(orderId)).map((b) => b.status)).toEqual(['received', 'waiting']);
    expect(await h.db.reservation.count({ where: { orderId } })).toBe(0);

    expect((await receive(gaskets)).json().notifiedOrders).toEqual([orderId]);
    await awaitingDelivery(h, `${orderId}-S1`);
    expect(await shipmentLines(`${orderId}-S1`)).toEqual([
      { lineNo: 1, sku: f.sku.valve, quantity: 10 },
      { lineNo: 2, sku: f.sku.gasket, quantity: 20 },
    ]);
    await deliverShipment(h, `${orderId}-S1`);
    await h.waitForState(orderId, (s) => s.status === 'fulfilled');
    expect(await h.db.shipment.count({ where: { orderId } })).toBe(1);
  });

  it("gives units held for a cancelled order's arrived backorder back to stock", async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 0, gasket: 0 } } });
    const valves = await receiptFor(f, 'V', f.sku.valve, 10, 5);
    await receiptFor(f, 'G', f.sku.gasket, 20, 8);
    const orderId = await placeOrder(h, f, {
      allowsPartialShipment: false,
      lines: [
        { sku: f.sku.valve, quantity: 6, unitPriceMinor: 'contract' },
        { sku: f.sku.gasket, quantity: 20, unitPriceMinor: 85 },
      ],
    });
    await h.waitForState(orderId, (s) => s.status === 'partially_released');
    await receive(valves);
    await releaseHandled(orderId, 1);
    const valveStock = () =>
      h.db.stock.findUniqueOrThrow({
        where: { warehouseId_sku: { warehouseId: f.warehouses.primary, sku: f.sku.valve } },
      });
    expect(await valveStock()).toMatchObject({ onHand: 10, reserved: 6 });

    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/v1/orders/${orderId}/cancel`,
          payload: { reason: 'customer withdrew' },
        })
      ).statusCode,
    ).toBe(200);
    await h.waitForState(orderId, (s) => s.status === 'cancelled');
    expect(await valveStock()).toMatchObject({ onHand: 10, reserved: 0 });
    expect((await backordersOf(orderId)).map((b) => b.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('starts no released shipment while the order is on hold, and starts it once released', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 0 } } });
    const receiptId = await receiptFor(f, 'R', f.sku.valve, 10, 5);
    const orderId = await placeOrder(h, f, { lines: [{ sku: f.sku.valve, quantity: 10, unitPriceMinor: 'contract' }] });
    await h.waitForState(orderId, (s) => s.status === 'partially_released');
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/v1/orders/${orderId}/hold`,
          payload: { reason: 'customer disputes the ship-to' },
        })
      ).statusCode,
    ).toBe(200);

    expect((await receive(receiptId)).json().notifiedOrders).toEqual([orderId]);
    expect(await releaseHandled(orderId, 1)).toEqual({ startedShipmentAfter: false });
    expect((await backordersOf(orderId)).map((b) => b.status)).toEqual(['released']);

    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/v1/orders/${orderId}/release`,
          payload: { reason: 'ship-to confirmed' },
        })
      ).statusCode,
    ).toBe(200);
    await awaitingDelivery(h, `${orderId}-S1`);
    await deliverShipment(h, `${orderId}-S1`);
    await h.waitForState(orderId, (s) => s.status === 'fulfilled');
  });
});

describe('a SKU that no warehouse carries', () => {
  it('parks the reservation for ops with the reason instead of backordering it at a random warehouse, and backorders it once a warehouse carries it', async () => {
    const f = await createFixture(h.db);
    await h.db.stock.deleteMany({ where: { sku: f.sku.gasket } });
    const orderId = await placeOrder(h, f, { lines: [{ sku: f.sku.gasket, quantity: 30, unitPriceMinor: 85 }] });

    // Through the default retry budget (about 15 s): ops can fix the data, so it is not a rejection.
    const stuck = await h.waitForState(
      orderId,
      (s) => stepOf(s, 'reserve-stock')?.status === 'needs_attention',
      90_000,
    );
    expect(stepOf(stuck, 'reserve-stock')?.lastError).toContain(`line 1: no warehouse carries SKU "${f.sku.gasket}"`);
    expect(await backordersOf(orderId)).toEqual([]);
    expect(await h.db.reservation.count({ where: { orderId } })).toBe(0);

    await h.db.stock.create({ data: { warehouseId: f.warehouses.secondary, sku: f.sku.gasket, onHand: 0 } });
    await h.temporal.workflow.getHandle(orderId).executeUpdate(decideStep, {
      args: [
        {
          step: 'reserve-stock',
          action: 'retry',
          reason: 'gaskets now stocked at the secondary',
          actor: 'ops:alice',
        },
      ],
    });
    await h.waitForState(orderId, (s) => s.status === 'partially_released');
    expect(
      (await backordersOf(orderId)).map((b) => ({
        quantity: b.quantity,
        receiptId: b.receiptId,
        warehouseId: b.warehouseId,
        status: b.status,
      })),
    ).toEqual([{ quantity: 30, receiptId: null, warehouseId: f.warehouses.secondary, status: 'waiting' }]);
  });
});

describe('lot-tracked stock', () => {
  it("promises only lots with the customer's shelf life, so the order splits instead of failing at pick", async () => {
    // Primary: 40 drums, 34 with 90 days left; secondary: 10 drums, 4 with 90 days left (fixture lots).
    const f = await createFixture(h.db, {
      stock: { primary: { solvent: 40 }, secondary: { solvent: 10 } },
      minShelfLifeDays: 90,
    });
    const orderId = await placeOrder(h, f, {
      lines: [{ sku: f.sku.solvent, quantity: 38, unitPriceMinor: 'contract' }],
    });
    await awaitingDelivery(h, `${orderId}-S1`);
    await awaitingDelivery(h, `${orderId}-S2`);
    expect(await shipmentLines(`${orderId}-S1`)).toEqual([{ lineNo: 1, sku: f.sku.solvent, quantity: 34 }]);
    expect(await shipmentLines(`${orderId}-S2`)).toEqual([{ lineNo: 1, sku: f.sku.solvent, quantity: 4 }]);
  });

  it('promises a backorder only receipts whose lot has the shelf life, and releases it only from such lots', async () => {
    const f = await createFixture(h.db, { stock: { primary: { solvent: 0 } }, minShelfLifeDays: 90 });
    const lotReceipt = async (suffix: string, dueInDays: number, expiresInDays: number) => {
      const id = `RCPT-${f.tag}-${suffix}`;
      await h.db.scheduledReceipt.create({
        data: {
          id,
          warehouseId: f.warehouses.primary,
          sku: f.sku.solvent,
          kind: 'purchase',
          quantity: 10,
          lotId: `LOT-${suffix}-${f.tag}`,
          dueDate: new Date(`${isoDay(dueInDays)}T00:00:00Z`),
          expiryDate: new Date(`${isoDay(expiresInDays)}T00:00:00Z`),
        },
      });
      return id;
    };
    const shortDated = await lotReceipt('SHORT', 3, 40);
    const longDated = await lotReceipt('LONG', 8, 400);
    const orderId = await placeOrder(h, f, {
      lines: [{ sku: f.sku.solvent, quantity: 10, unitPriceMinor: 'contract' }],
    });
    await h.waitForState(orderId, (s) => s.status === 'partially_released');
    expect((await backordersOf(orderId)).map((b) => b.receiptId)).toEqual([longDated]);

    // The short-dated lot arrives first: the order is told, but those drums are no use to it.
    expect((await receive(shortDated)).json().notifiedOrders).toEqual([orderId]);
    expect(await releaseHandled(orderId, 1)).toEqual({ startedShipmentAfter: false });
    expect((await backordersOf(orderId)).map((b) => b.status)).toEqual(['waiting']);

    expect((await receive(longDated)).json().notifiedOrders).toEqual([orderId]);
    await awaitingDelivery(h, `${orderId}-S1`);
    const picks = (await h.db.shipment.findUniqueOrThrow({ where: { id: `${orderId}-S1` } })).picks as {
      lines: { lots: { lotId: string; quantity: number }[] }[];
    };
    expect(picks.lines[0]!.lots).toEqual([expect.objectContaining({ lotId: `LOT-LONG-${f.tag}`, quantity: 10 })]);
  });
});
