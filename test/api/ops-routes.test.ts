import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { placeOrder, stepOf } from '../support/flows';

const h = useHarness();

describe('hold and release', () => {
  it('holds an order (no further step starts) until ops release it', async () => {
    const f = await createFixture(h.db, { creditLimitMinor: 1000 });
    const orderId = await placeOrder(h, f);
    await h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
    const ops = await h.apiKey('ops');
    const finance = await h.apiKey('finance');
    const as = (key: string) => ({ authorization: `Bearer ${key}` });

    expect(
      (await h.rawApp.inject({ method: 'POST', url: `/v1/orders/${orderId}/hold`, payload: {}, headers: as(ops) }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await h.rawApp.inject({
          method: 'POST',
          url: `/v1/orders/${orderId}/hold`,
          payload: { reason: 'x' },
          headers: as(finance),
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await h.rawApp.inject({ method: 'POST', url: `/v1/orders/${orderId}/release`, payload: {}, headers: as(ops) }))
        .statusCode,
    ).toBe(409);

    const held = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/hold`,
      payload: { reason: 'customer disputes address' },
      headers: as(ops),
    });
    expect(held.statusCode).toBe(200);
    const again = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/hold`,
      payload: { reason: 'twice' },
      headers: as(ops),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('order is already on hold');

    const approved = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/credit-decision`,
      payload: { decision: 'approve', reason: 'paid deposit' },
      headers: as(finance),
    });
    expect(approved.statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const waiting = await h.waitForState(orderId, () => true);
    expect(stepOf(waiting, 'reserve-stock')?.status).toBe('pending'); // held: the next step has not started
    expect(await h.db.reservation.count({ where: { orderId } })).toBe(0);

    const released = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/release`,
      payload: { reason: 'address confirmed' },
      headers: as(ops),
    });
    expect(released.statusCode).toBe(200);
    await h.waitForState(orderId, (s) => s.status === 'shipped');
    const events = await h.db.stepEvent.findMany({
      where: { workflowId: orderId, step: '*' },
      orderBy: { seq: 'asc' },
    });
    expect(events.filter((e) => e.toStatus === 'on_hold').map((e) => e.reason)).toEqual(['customer disputes address']);
  });

  it('answers 404 for an unknown order and 409 for a step that is not stuck', async () => {
    const ops = await h.apiKey('ops');
    const as = { authorization: `Bearer ${ops}` };
    expect(
      (
        await h.rawApp.inject({
          method: 'POST',
          url: '/v1/orders/order-nope/cancel',
          payload: { reason: 'x' },
          headers: as,
        })
      ).statusCode,
    ).toBe(404);
    const orderId = await placeOrder(h, await createFixture(h.db));
    await h.waitForState(orderId, (s) => s.status === 'shipped');
    const retry = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/steps/reserve-stock/retry`,
      payload: {},
      headers: as,
    });
    expect(retry.statusCode).toBe(409);
    expect(retry.json().detail).toBe('step "reserve-stock" is completed, not needs_attention');
    const list = await h.rawApp.inject({
      method: 'GET',
      url: `/v1/orders?customerId=${encodeURIComponent((await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).customerId)}&limit=1`,
      headers: as,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((o: { orderId: string }) => o.orderId)).toEqual([orderId]);
    expect(list.json().items[0].shipments[0].trackingNumber).toBeTruthy();
    const timeline = await h.rawApp.inject({ method: 'GET', url: `/v1/orders/${orderId}/timeline`, headers: as });
    expect(timeline.json().runs.map((r: { runId: string }) => r.runId)).toEqual([orderId, `${orderId}-S1`]);
    expect(timeline.json().events.length).toBeGreaterThan(20);
  });
});
