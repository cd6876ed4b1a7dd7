import { makeEvent, useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { orderIdForDeal } from '../../domain/closed-won';

const h = useHarness();

const post = (body: unknown) => h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: body as object });

describe('closed-won event to order', () => {
  it('runs the workflow, stores the order, e-mails the customer once and reports status through the API', async () => {
    const event = (await createFixture(h.db)).event();
    const orderId = orderIdForDeal(event.dealId);

    const accepted = await post(event);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      orderId,
      workflowId: orderId,
      isDuplicate: false,
      startedAt: null,
      links: { order: `/v1/orders/${orderId}` },
    });
    expect(accepted.headers.location).toBe(`/v1/orders/${orderId}`);

    await h.waitForState(orderId, (s) => s.status === 'shipped');

    const row = await h.db.order.findUniqueOrThrow({ where: { id: orderId } });
    expect(row).toMatchObject({
      dealId: event.dealId,
      customerId: event.customer.id,
      poNumber: 'PO-778341',
      currency: 'USD',
      status: 'shipped',
    });
    expect(Number(row.totalMinor)).toBe(240 * 2150 + 1200 * 85 + 12 * 9200);

    const mails = await h.mail.waitFor(
      (m) => m.subject?.startsWith('We received your order') === true && m.subject.includes(orderId),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['ap@acme-industrial.example']);
    expect(mails[0]!.text).toContain(`${event.lines[1]!.sku} x 1200`);

    const status = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}` });
    expect(status.statusCode).toBe(200);
    const view = status.json();
    expect(view).toMatchObject({
      orderId,
      dealId: event.dealId,
      status: 'shipped',
      totalMinor: 240 * 2150 + 1200 * 85 + 12 * 9200,
      needsAttention: false,
    });
    expect(view.workflow.steps.slice(0, 2).map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['record-order', 'completed'],
      ['send-order-received', 'completed'],
    ]);

    const events = await h.db.stepEvent.findMany({ where: { workflowId: orderId }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => `${e.step}:${e.toStatus}`).slice(0, 6)).toEqual([
      'record-order:running',
      'record-order:completed',
      'send-order-received:running',
      'send-order-received:completed',
      'validate-order:running',
      '*:validated',
    ]);
    expect(events.every((e, i) => e.seq === i + 1)).toBe(true);
  });

  it('returns the same order and run for a repeated event and refuses a different payload for the same deal', async () => {
    const event = (await createFixture(h.db)).event();
    const orderId = orderIdForDeal(event.dealId);
    const first = await post(event);
    expect(first.statusCode).toBe(202);

    // Same content, keys in another order: still the same event.
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    const second = await post(reordered);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({
      status: 'accepted',
      orderId,
      isDuplicate: true,
      receivedAt: first.json().receivedAt,
    });

    const changed = await post({ ...event, poNumber: 'PO-OTHER' });
    expect(changed.statusCode).toBe(409);
    expect(changed.headers['content-type']).toContain('application/problem+json');
    expect(changed.json().detail).toContain(event.dealId);

    await h.waitForState(orderId, (s) => s.status === 'shipped');
    const { runId } = await h.temporal.workflow.getHandle(orderId).describe();
    const third = await post(event); // later on, still the same order, now known to be started
    expect(third.statusCode).toBe(200);
    expect(third.json()).toMatchObject({ orderId, isDuplicate: true });
    expect(third.json().startedAt).not.toBeNull();
    await h.rawApp.startDispatcher.idle();
    expect((await h.temporal.workflow.getHandle(orderId).describe()).runId).toBe(runId);
    expect(await h.temporal.workflow.count(`WorkflowId = '${orderId}'`)).toMatchObject({ count: 1 });

    expect(await h.db.order.count({ where: { dealId: event.dealId } })).toBe(1);
    expect(await h.db.inboundEvent.count({ where: { dealId: event.dealId } })).toBe(1);
    const receivedMail = (m: { subject?: string }) =>
      m.subject?.startsWith('We received your order') === true && m.subject.includes(orderId);
    await h.mail.waitFor(receivedMail);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.mail.messages().filter(receivedMail)).toHaveLength(1);
  });

  it('answers 400 naming each bad field, and stores nothing', async () => {
    const event = makeEvent();
    const bad = {
      ...event,
      currency: 'usd',
      lines: [
        event.lines[0],
        { sku: 'GASKET-NBR-050', quantity: -2, unitPriceMinor: 85 },
        { sku: 'X', quantity: 1.5, unitPriceMinor: 12.5 },
      ],
      shipTo: { ...event.shipTo, country: undefined },
    };
    const res = await post(bad);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.type).toBe('https://closedloop.dev/problems/validation');
    const fields = body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'currency',
        'lines[1].quantity',
        'lines[2].quantity',
        'lines[2].unitPriceMinor',
        'shipTo.country',
      ]),
    );
    expect(body.errors.find((e: { field: string }) => e.field === 'lines[1].quantity').message).toBe(
      'must be > 0 (got -2)',
    );
    expect(body.errors.find((e: { field: string }) => e.field === 'shipTo.country').message).toBe('is required');
    expect(await h.db.inboundEvent.count({ where: { dealId: event.dealId } })).toBe(0);
  });

  it('answers 400 for a body that is not JSON, and 404 as problem+json for an unknown order', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/events/closed-won',
      payload: '{"dealId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().status).toBe(400);
    const missing = await h.app.inject({ method: 'GET', url: '/v1/orders/order-does-not-exist' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toBe('no order order-does-not-exist');
  });

  it('answers /healthz', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});
