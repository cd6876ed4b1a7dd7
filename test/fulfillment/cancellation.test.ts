import { useHarness } from '../support/harness';
import { awaitingDelivery, stepOf, placeOrder, refusal } from '../support/flows';
import { createFixture } from '../../fixtures/master-data';
import { cancelRun } from '../../workflows/engine/messages';

const h = useHarness();

const cancel = (orderId: string, reason: string, actor: string) =>
  h.temporal.workflow.getHandle(orderId).executeUpdate(cancelRun, { args: [{ reason, actor }] });

describe('order cancellation', () => {
  it('cancels an order before shipment: stock released, ERP order cancelled, customer and CRM told once', async () => {
    await h.stopWorker();
    await h.startWorker({
      pickShipment: async () => {
        throw new Error('picker scanner offline');
      },
    });
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    const shipmentId = `${orderId}-S1`;
    await h.waitForState(shipmentId, (s) => stepOf(s, 'pick-shipment')?.status === 'needs_attention', 60_000);
    expect(
      await h.db.stock.findUniqueOrThrow({
        where: { warehouseId_sku: { warehouseId: f.warehouses.primary, sku: f.sku.valve } },
      }),
    ).toMatchObject({ reserved: 240 });

    await h.stopWorker();
    await h.startWorker({});
    const after = await cancel(orderId, 'customer withdrew PO', 'ops:bob');
    expect(after.status).toBe('cancelled');
    await h.temporal.workflow.getHandle(orderId).result();
    // The child may end by returning its state or as a cancelled execution: its step events say so either way.
    const shipmentCancelled = () =>
      h.db.stepEvent.count({ where: { workflowId: shipmentId, step: '*', toStatus: 'cancelled' } });
    for (let i = 0; i < 100 && (await shipmentCancelled()) === 0; i += 1) await new Promise((r) => setTimeout(r, 200));
    expect(await shipmentCancelled()).toBe(1);

    const state = await h.waitForState(orderId, (s) => s.status === 'cancelled');
    expect(state.cancelReason).toBe('customer withdrew PO');
    expect(state.steps.map((s) => [s.name, s.status])).toEqual([
      ['record-order', 'completed'],
      ['send-order-received', 'completed'],
      ['validate-order', 'completed'],
      ['credit-check', 'completed'],
      ['credit-approval', 'not_required'],
      ['reserve-stock', 'compensated'],
      ['create-erp-order', 'compensated'],
      ['send-order-confirmation', 'compensated'],
    ]);
    expect((await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('cancelled');

    const stock = await h.db.stock.findMany({ where: { sku: { in: Object.values(f.sku) } } });
    expect(stock.map((s) => s.reserved)).toEqual(stock.map(() => 0));
    expect(await h.db.reservation.count({ where: { orderId, status: 'reserved' } })).toBe(0);
    expect((await h.db.erpOrder.findUniqueOrThrow({ where: { orderId } })).status).toBe('cancelled');

    expect(await h.db.outboundEmail.count({ where: { orderId, template: 'order-cancelled' } })).toBe(1);
    expect(h.mail.messages().filter((m) => m.subject?.endsWith(`cancelled (${orderId})`))).toHaveLength(1);
    expect(await h.db.crmMilestone.count({ where: { orderId, milestone: 'cancelled' } })).toBe(1);

    const compensated = await h.db.stepEvent.findMany({
      where: { workflowId: orderId, toStatus: 'compensated' },
      orderBy: { seq: 'asc' },
    });
    expect(compensated.map((e) => e.step)).toEqual(['send-order-confirmation', 'create-erp-order', 'reserve-stock']);
    expect(compensated.every((e) => e.actor === 'ops:bob' && e.reason === 'customer withdrew PO')).toBe(true);

    // A second cancellation is refused: the run is over.
    expect(await refusal(cancel(orderId, 'again', 'ops:bob'))).toMatch(/already|not found|completed/i);
  });

  it('refuses to cancel an order once its shipment has shipped: a return is needed instead', async () => {
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await awaitingDelivery(h, `${orderId}-S1`);
    await h.waitForState(orderId, (s) => s.status === 'shipped');

    expect(await refusal(cancel(orderId, 'customer withdrew PO', 'ops:bob'))).toContain('return');
    const state = await h.waitForState(orderId, (s) => s.status === 'shipped');
    expect(state.cancelReason).toBeUndefined();
    expect((await h.db.erpOrder.findUniqueOrThrow({ where: { orderId } })).status).toBe('open');
    expect(await h.db.outboundEmail.count({ where: { orderId, template: 'order-cancelled' } })).toBe(0);
  });
});
