import { useHarness } from '../support/harness';
import { awaitingDelivery, deliverShipment, placeOrder, stepOf } from '../support/flows';
import { createFixture } from '../../fixtures/master-data';
import { orderViewSchema } from '../../api/views/order-view';
import type { RunState } from '../../workflows/engine/state';
import { realActivities } from '../support/real-activities';

const h = useHarness();

const failing = (message: string) => async (): Promise<never> => {
  throw new Error(message);
};

/** The fields a screen shows of each step; times to the second (the mirror's anchor may differ by ms). */
const shown = (s: RunState['steps'][number]) => ({
  name: s.name,
  status: s.status,
  rounds: s.rounds,
  lastError: s.lastError,
  slaBreached: s.slaBreached,
  startedAt: s.startedAt?.slice(0, 19),
  hasSlaDeadline: s.slaDeadline !== undefined,
});

describe('the order page reads PostgreSQL only', () => {
  it('shows a step stuck in needs_attention with its error and attempts while no worker runs, as the workflow holds them', async () => {
    await h.stopWorker();
    await h.startWorker({ createErpOrder: failing('ERP unavailable: 503') });
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    const live = await h.waitForState(
      orderId,
      (s) => stepOf(s, 'create-erp-order')?.status === 'needs_attention',
      90_000,
    );

    // No worker: a Temporal query would wait out its deadline and the page would show no steps.
    await h.stopWorker();
    try {
      // (A Temporal query here would time out and leave `workflow` null: the state below is the mirror's.)
      const response = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}` });
      expect(response.statusCode).toBe(200);
      const view = response.json();
      expect(view).toMatchObject({
        orderId,
        needsAttention: true,
        currentStep: 'create-erp-order',
        status: live.status,
      });
      expect(view.workflow).toMatchObject({
        id: orderId,
        status: live.status,
        currentStep: 'create-erp-order',
        needsAttention: true,
        slaBreached: false,
      });
      expect(stepOf(view.workflow, 'create-erp-order')).toMatchObject({
        status: 'needs_attention',
        rounds: 1,
        lastError: expect.stringContaining('ERP unavailable: 503'),
      });
      expect(view.workflow.steps.map(shown)).toEqual(live.steps.map(shown));
      // Deadlines not yet breached are computed as the engine does, from the step's anchor and duration.
      for (const step of live.steps.filter((s) => s.slaDeadline)) {
        const mirrored = stepOf(view.workflow, step.name)!;
        expect(Math.abs(Date.parse(mirrored.slaDeadline!) - Date.parse(step.slaDeadline!))).toBeLessThan(5000);
      }
      // The ops timeline reads the same mirror.
      const timeline = (await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/timeline` })).json();
      expect(timeline.runs[0]).toMatchObject({
        runId: orderId,
        state: { currentStep: 'create-erp-order', needsAttention: true },
      });
      expect(stepOf(timeline.runs[0].state, 'create-erp-order')).toMatchObject({
        status: 'needs_attention',
        lastError: expect.stringContaining('ERP unavailable: 503'),
      });
    } finally {
      await h.startWorker();
    }
  });

  it("shows each line's picked lots and the advance ship notice, and flags the order while only a shipment's step is stuck", async () => {
    const { real, close } = realActivities(h);
    let carrierDown = true;
    await h.stopWorker();
    await h.startWorker({
      bookCarrier: (async (...args: Parameters<typeof real.bookCarrier>) => {
        if (carrierDown) throw new Error('carrier API down: 503');
        return real.bookCarrier(...args);
      }) as (...args: never[]) => Promise<unknown>,
    });
    try {
      const f = await createFixture(h.db);
      const orderId = await placeOrder(h, f);
      const shipmentId = `${orderId}-S1`;
      await h.waitForState(shipmentId, (s) => stepOf(s, 'book-carrier')?.status === 'needs_attention', 90_000);
      const page = async () => {
        const response = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}` });
        expect(response.statusCode).toBe(200);
        expect(response.body).toBe(JSON.stringify(orderViewSchema.encode(response.json())));
        return orderViewSchema.parse(response.json());
      };

      // Picked and packed, no carrier: the lots are there, the notice is not; the order run itself is not stuck.
      const stuck = await page();
      expect((await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).needsAttention).toBe(false);
      expect(stuck.needsAttention).toBe(true);
      const shipment = stuck.shipments.find((s) => s.shipmentId === shipmentId)!;
      expect(shipment.asn).toBeNull();
      const solvent = shipment.lines.find((l) => l.sku === f.sku.solvent)!;
      // FEFO past the expired and short-dated lots: the 200-day lot first.
      expect(solvent.lots[0]).toEqual({
        lotId: `LOT-A-${f.tag}`,
        quantity: expect.any(Number),
        expiryDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      expect(solvent.lots.reduce((n, l) => n + l.quantity, 0)).toBe(solvent.quantity);
      expect(shipment.lines.find((l) => l.sku === f.sku.gasket)?.lots).toEqual([]);
      // The lists flag it too (the shipment row's mirrored flag), filter on it, and keep the lighter shape.
      const listed = async (query: string) =>
        (await h.app.inject({ method: 'GET', url: `/v1/orders?customerId=${f.customerId}${query}` })).json();
      const list = await listed('');
      expect(list.items[0]).toMatchObject({ orderId, needsAttention: true });
      expect(list.items[0].shipments[0]).not.toHaveProperty('asn');
      expect((await listed('&needsAttention=true')).items.map((o: { orderId: string }) => o.orderId)).toEqual([
        orderId,
      ]);
      expect((await listed('&needsAttention=false')).items).toEqual([]);

      carrierDown = false;
      const retry = await h.app.inject({
        method: 'POST',
        url: `/v1/orders/${shipmentId}/steps/book-carrier/retry`,
        payload: { reason: 'carrier is back' },
      });
      expect(retry.statusCode).toBeLessThan(300);
      await h.waitForState(shipmentId, (s) => stepOf(s, 'send-asn')?.status === 'completed', 90_000);
      const sent = await page();
      expect(sent.needsAttention).toBe(false);
      expect((await listed('')).items[0]).toMatchObject({ orderId, needsAttention: false });
      expect((await listed('&needsAttention=true')).items).toEqual([]);
      const mail = await h.db.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey: `${shipmentId}:send-asn` } });
      expect(sent.shipments.find((s) => s.shipmentId === shipmentId)?.asn).toEqual({
        reference: shipmentId,
        messageId: mail.messageId,
        sentAt: mail.sentAt?.toISOString(),
      });
      expect(sent.shipments.find((s) => s.shipmentId === shipmentId)?.proofOfDelivery).toBeNull();

      // Delivered with one damaged gasket: the proof of delivery and each line's OTIF show on the page.
      await awaitingDelivery(h, shipmentId);
      const gasket = shipment.lines.find((l) => l.sku === f.sku.gasket)!;
      await deliverShipment(h, shipmentId, {
        exceptions: [{ lineNo: gasket.lineNo, type: 'damaged', quantity: 1, note: 'forklift' }],
      });
      for (let wait = 0; (await h.db.lineOtif.count({ where: { shipmentId } })) < shipment.lines.length; wait += 1) {
        if (wait > 450) throw new Error(`no OTIF rows for ${shipmentId} after 90 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const delivered = (await page()).shipments.find((s) => s.shipmentId === shipmentId)!;
      expect(delivered.proofOfDelivery).toEqual({
        signer: 'Luis Ortega',
        deliveredAt: expect.any(String),
        exceptions: [{ lineNo: gasket.lineNo, type: 'damaged', quantity: 1, note: 'forklift' }],
      });
      const gasketLine = delivered.lines.find((l) => l.lineNo === gasket.lineNo)!;
      expect(gasketLine.otif).toMatchObject({ isInFull: false, goodQuantity: gasket.quantity - 1 });
      expect(delivered.lines.find((l) => l.lineNo !== gasket.lineNo)?.otif).toMatchObject({ isInFull: true });
    } finally {
      close();
      await h.stopWorker();
      await h.startWorker();
    }
  });
});
