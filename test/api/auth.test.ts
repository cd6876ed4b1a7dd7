import { buildApp } from '../../api/app';
import { hashKey } from '../../api/auth/api-keys';
import { createLogger } from '../../lib/logger';
import type { ClosedWonEvent } from '../../domain/closed-won';
import { useHarness, TEST_CRM_SECRET } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { sign } from '../../api/auth/signature';
import { orderIdForDeal } from '../../domain/closed-won';

const h = useHarness();

const signedPost = (body: string, timestamp: number, signature?: string) =>
  h.rawApp.inject({
    method: 'POST',
    url: '/v1/events/closed-won',
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-closedloop-timestamp': String(timestamp),
      'x-closedloop-signature': signature ?? sign(TEST_CRM_SECRET, timestamp, body),
    },
  });
const now = () => Math.floor(Date.now() / 1000);

describe('authentication and roles', () => {
  it('refuses requests without a key, with an unknown key, and with a revoked key (401)', async () => {
    const none = await h.rawApp.inject({ method: 'GET', url: '/v1/orders/order-x' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ type: 'https://closedloop.dev/problems/unauthorized', status: 401 });
    const unknown = await h.rawApp.inject({
      method: 'GET',
      url: '/v1/orders/order-x',
      headers: { authorization: 'Bearer cl_nope' },
    });
    expect(unknown.statusCode).toBe(401);
    const key = await h.apiKey('ops');
    await h.db.apiKey.updateMany({ where: { keyHash: hashKey(key) }, data: { revokedAt: new Date() } });
    const revoked = await h.rawApp.inject({
      method: 'GET',
      url: '/v1/orders/order-x',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(revoked.statusCode).toBe(401);
  });

  it('answers 403 naming the allowed roles when the role may not act', async () => {
    const crm = await h.apiKey('crm');
    const res = await h.rawApp.inject({
      method: 'POST',
      url: '/v1/orders/order-x/cancel',
      payload: { reason: 'x' },
      headers: { authorization: `Bearer ${crm}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toContain('allowed: admin, ops');
    const finance = await h.apiKey('finance');
    const read = await h.rawApp.inject({
      method: 'GET',
      url: '/v1/orders/order-missing',
      headers: { authorization: `Bearer ${finance}` },
    });
    expect(read.statusCode).toBe(404); // finance may read orders
  });

  it('keeps health, readiness and docs public', async () => {
    expect((await h.rawApp.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await h.rawApp.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'up', temporal: 'up' } });
    expect((await h.rawApp.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    expect((await h.rawApp.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('sends security headers', async () => {
    const res = await h.rawApp.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('signed closed-won webhook', () => {
  it('accepts a correctly signed event and refuses missing, bad and stale signatures with 401', async () => {
    const event = (await createFixture(h.db)).event();
    const body = JSON.stringify(event);

    const missing = await h.rawApp.inject({
      method: 'POST',
      url: '/v1/events/closed-won',
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().detail).toContain('missing X-Closedloop-Timestamp');

    const bad = await signedPost(body, now(), sign('another-secret-of-16+', now(), body));
    expect(bad.statusCode).toBe(401);
    expect(bad.json().detail).toContain('does not match');

    const tampered = await signedPost(body.replace('PO-778341', 'PO-666'), now(), sign(TEST_CRM_SECRET, now(), body));
    expect(tampered.statusCode).toBe(401);

    const stale = await signedPost(body, now() - 301);
    expect(stale.statusCode).toBe(401);
    expect(stale.json().detail).toContain('valid for 300 s');

    expect(await h.db.inboundEvent.count({ where: { dealId: event.dealId } })).toBe(0);
    const ok = await signedPost(body, now());
    expect(ok.statusCode).toBe(202);
  });

  it('treats a replayed signed request as the same event: the existing order, nothing new', async () => {
    const event = (await createFixture(h.db)).event();
    const body = JSON.stringify(event);
    const ts = now();
    const first = await signedPost(body, ts);
    const replay = await signedPost(body, ts);
    expect(first.statusCode).toBe(202);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ orderId: orderIdForDeal(event.dealId), isDuplicate: true });
    expect(await h.db.inboundEvent.count({ where: { dealId: event.dealId } })).toBe(1);
  });
});

describe('audit log', () => {
  it('records who did what, why, before and after, also when the workflow refused', async () => {
    const f = await createFixture(h.db);
    const event = f.event();
    const orderId = orderIdForDeal(event.dealId);
    await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event });
    await h.waitForState(orderId, (s) => s.status === 'shipped');
    const ops = await h.apiKey('ops');
    const refused = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/cancel`,
      payload: { reason: 'customer changed mind' },
      headers: { authorization: `Bearer ${ops}` },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain('return');
    const held = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/hold`,
      payload: { reason: 'address check' },
      headers: { authorization: `Bearer ${ops}` },
    });
    expect(held.statusCode).toBe(200);
    expect(held.json().hold).toMatchObject({ reason: 'address check' });
    const entries = await h.db.auditLog.findMany({ where: { targetId: orderId }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => [e.action, e.role, e.reason, e.outcome.split(':')[0]])).toEqual([
      ['cancel', 'ops', 'customer changed mind', 'refused'],
      ['hold', 'ops', 'address check', 'done'],
    ]);
    expect(entries[0]!.actor).toMatch(/^ops:test-ops-/);
    expect((entries[1]!.before as { status: string }).status).toBe('shipped');
    expect((entries[1]!.after as { hold: { actor: string } }).hold.actor).toBe(entries[1]!.actor);
  });
});

describe('what the intake parser and schema refuse', () => {
  it('refuses prototype-poisoning keys with 400 before anything is stored', async () => {
    for (const poison of ['{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}']) {
      const event = (await createFixture(h.db)).event();
      const body = JSON.stringify(event).replace(/^\{/, `{"extra":${poison},`);
      const res = await signedPost(body, now());
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toContain('"__proto__" or "constructor.prototype"');
      expect(await h.db.inboundEvent.count({ where: { dealId: event.dealId } })).toBe(0);
    }
  });

  it.each([
    [
      'customer.name',
      (e: ClosedWonEvent) => {
        e.customer.name = 'ACME\r\nAmount due: 0.00';
      },
    ],
    [
      'poNumber',
      (e: ClosedWonEvent) => {
        e.poNumber = 'PO-1\nPay to: IBAN XX00';
      },
    ],
    [
      'shipTo.line1',
      (e: ClosedWonEvent) => {
        e.shipTo.line1 = '1 Main St\rBcc: x@evil.example';
      },
    ],
  ])('refuses CR/LF in %s with 400 naming the field', async (field, forge) => {
    const event = (await createFixture(h.db)).event();
    forge(event);
    const res = await signedPost(JSON.stringify(event), now());
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field, message: expect.stringContaining('must be a single line') }]);
    expect(await h.db.inboundEvent.count({ where: { dealId: event.dealId } })).toBe(0);
  });
});

describe('rotating the inbound webhook secret', () => {
  it('accepts the current and the previous secret, and refuses any other', async () => {
    const current = 'rotated-secret-current-0123456789';
    const previous = 'rotated-secret-previous-012345678';
    const app = await buildApp({
      db: h.db,
      temporal: h.temporal,
      taskQueue: h.taskQueue,
      log: createLogger('silent'),
      crmWebhookSecret: current,
      crmWebhookPreviousSecret: previous,
    });
    try {
      const post = async (secret: string) => {
        const event = (await createFixture(h.db)).event();
        const body = JSON.stringify(event);
        const ts = now();
        const headers = {
          'content-type': 'application/json',
          'x-closedloop-timestamp': String(ts),
          'x-closedloop-signature': sign(secret, ts, body),
        };
        return app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: body, headers });
      };
      expect((await post(current)).statusCode).toBe(202);
      expect((await post(previous)).statusCode).toBe(202);
      const other = await post(TEST_CRM_SECRET);
      expect(other.statusCode).toBe(401);
      expect(other.json().detail).toContain('does not match');
    } finally {
      await app.close();
    }
  });
});
