import { useHarness } from '../support/harness';
import { createFixture, isoDay } from '../../fixtures/master-data';
import { orderIdForDeal } from '../../domain/closed-won';
import { createBuiltinWms } from '../../adapters/wms/builtin';

const h = useHarness();

const post = (payload: object) => h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload });
const awaitingDelivery = (id: string) =>
  h.waitForState(id, (s) => s.steps.some((st) => st.name === 'await-delivery' && st.status === 'waiting'));
const deliver = (orderId: string, shipmentId: string) =>
  h.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderId}/delivery`,
    payload: { shipmentId, signer: 'Dock 4', deliveredAt: new Date().toISOString() },
  });

describe('backorders and split shipments', () => {
  it('splits across two warehouses when the customer allows partial shipments', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 100 }, secondary: { valve: 200 } } });
    const event = f.event();
    const orderId = orderIdForDeal(event.dealId);
    expect((await post(event)).statusCode).toBe(202);
    await awaitingDelivery(`${orderId}-S1`);
    await awaitingDelivery(`${orderId}-S2`);
    const shipments = await h.db.shipment.findMany({ where: { orderId }, orderBy: { id: 'asc' } });
    expect(
      shipments.map((s) => [
        s.warehouseId,
        (s.lines as { sku: string; quantity: number }[]).map((l) => `${l.sku}:${l.quantity}`),
      ]),
    ).toEqual([
      [f.warehouses.primary, [`${f.sku.valve}:100`, `${f.sku.gasket}:1200`, `${f.sku.solvent}:12`]],
      [f.warehouses.secondary, [`${f.sku.valve}:140`]],
    ]);
    expect((await deliver(orderId, `${orderId}-S1`)).statusCode).toBe(200);
    await h.waitForState(orderId, (s) => s.status === 'partially_delivered');
    expect((await deliver(orderId, `${orderId}-S2`)).statusCode).toBe(200);
    await h.waitForState(orderId, (s) => s.status === 'fulfilled');
  });

  it('ships what it can, backorders the rest against a scheduled receipt, and ships it when the receipt arrives', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 100 } } });
    const receiptId = `RCPT-${f.tag}`;
    await h.db.scheduledReceipt.create({
      data: {
        id: receiptId,
        warehouseId: f.warehouses.primary,
        sku: f.sku.valve,
        kind: 'purchase',
        quantity: 500,
        dueDate: new Date(`${isoDay(6)}T00:00:00Z`),
      },
    });
    const event = f.event();
    const orderId = orderIdForDeal(event.dealId);
    expect((await post(event)).statusCode).toBe(202);
    await awaitingDelivery(`${orderId}-S1`);
    const order = await h.waitForState(orderId, (s) => s.status === 'partially_shipped');
    const plan = order.results['reserve-stock'] as {
      backorders: { lineNo: number; quantity: number; availableDate: string }[];
    };
    expect(plan.backorders).toEqual([expect.objectContaining({ lineNo: 1, quantity: 140, availableDate: isoDay(6) })]);
    expect(await h.db.backorder.findMany({ where: { orderId } })).toEqual([
      expect.objectContaining({ quantity: 140, status: 'waiting', receiptId }),
    ]);
    expect((await h.db.scheduledReceipt.findUniqueOrThrow({ where: { id: receiptId } })).promisedQuantity).toBe(140);
    const notice = await h.mail.waitFor(
      (m) => m.subject?.startsWith('Backorder notice') === true && m.text!.includes(f.sku.valve),
    );
    expect(notice[0]!.text).toContain('x 140');

    const arrived = await h.app.inject({ method: 'POST', url: '/v1/receipts', payload: { receiptId } });
    expect(arrived.statusCode).toBe(200);
    expect(arrived.json().notifiedOrders).toEqual([orderId]);
    await awaitingDelivery(`${orderId}-S2`);
    const second = await h.db.shipment.findUniqueOrThrow({ where: { id: `${orderId}-S2` } });
    expect(second.lines).toEqual([{ lineNo: 1, sku: f.sku.valve, quantity: 140 }]);
    expect((await h.db.backorder.findFirstOrThrow({ where: { orderId } })).status).toBe('released');

    await deliver(orderId, `${orderId}-S1`);
    await deliver(orderId, `${orderId}-S2`);
    await h.waitForState(orderId, (s) => s.status === 'fulfilled');
    const stock = await h.db.stock.findUniqueOrThrow({
      where: { warehouseId_sku: { warehouseId: f.warehouses.primary, sku: f.sku.valve } },
    });
    expect(stock).toMatchObject({ onHand: 100 + 500 - 240, reserved: 0 });
  });

  it('waits for everything when the customer does not accept partial shipments', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 100 } } });
    const event = f.event({ allowsPartialShipment: false });
    const orderId = orderIdForDeal(event.dealId);
    await post(event);
    const order = await h.waitForState(orderId, (s) => s.status === 'partially_released');
    const plan = order.results['reserve-stock'] as { shipments: unknown[]; backorders: unknown[] };
    expect(plan.shipments).toEqual([]);
    expect(plan.backorders).toHaveLength(3);
    expect(await h.db.shipment.count({ where: { orderId } })).toBe(0);
    expect(await h.db.reservation.count({ where: { orderId } })).toBe(0);
  });

  it('never oversells a scarce SKU under 50 concurrent orders', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 100 }, secondary: { valve: 20 } } });
    const wms = createBuiltinWms(h.db);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        wms.reserve({
          orderId: `scarce-${f.tag}-${i}`,
          lines: [{ lineNo: 1, sku: f.sku.valve, quantity: 3 }],
          allowsPartialShipment: true,
          today: isoDay(),
          minShelfLifeDays: 0,
        }),
      ),
    );
    const reserved = results.reduce((sum, r) => sum + r.allocations.reduce((s, a) => s + a.quantity, 0), 0);
    const backordered = results.reduce((sum, r) => sum + r.backorders.reduce((s, b) => s + b.quantity, 0), 0);
    expect(reserved).toBe(120);
    expect(backordered).toBe(150 - 120);
    const stock = await h.db.stock.findMany({ where: { sku: f.sku.valve } });
    for (const s of stock) expect(s.reserved).toBeLessThanOrEqual(s.onHand);
    expect(stock.reduce((sum, s) => sum + s.reserved, 0)).toBe(120);
    const rows = await h.db.reservation.aggregate({ where: { sku: f.sku.valve }, _sum: { quantity: true } });
    expect(rows._sum.quantity).toBe(120);
    // A retried reservation returns the first answer and reserves nothing more.
    const again = await wms.reserve({
      orderId: `scarce-${f.tag}-0`,
      lines: [{ lineNo: 1, sku: f.sku.valve, quantity: 3 }],
      allowsPartialShipment: true,
      today: isoDay(),
      minShelfLifeDays: 0,
    });
    expect(again).toEqual(results[0]);
    expect((await h.db.stock.findMany({ where: { sku: f.sku.valve } })).reduce((sum, s) => sum + s.reserved, 0)).toBe(
      120,
    );
  });
});
