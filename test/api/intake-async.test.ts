/**
 * Intake answers without waiting for Temporal: the event is in the inbox when the 202 goes out, the
 * start dispatcher starts the order within moments (not at the relay's next poll), and an event
 * accepted while Temporal is down becomes an order once it is back.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { useHarness, TEST_CRM_SECRET } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { buildApp, type App } from '../../api/app';
import { sign } from '../../api/auth/signature';
import { startInboxRelay } from '../../api/intake/relay';
import { intakeResponse } from '../../api/routes/events';
import { createLogger } from '../../lib/logger';
import { freePort } from '../../runtime/ports';
import { startTemporalDevServer } from '../../runtime/temporal-server';
import { orderIdForDeal, type ClosedWonEvent } from '../../domain/closed-won';

const h = useHarness();
const log = createLogger('silent');

/** Posts `event` signed, as the CRM does (no API key: the route takes the signature). */
function postSigned(app: App, event: ClosedWonEvent) {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return app.inject({
    method: 'POST',
    url: '/v1/events/closed-won',
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-closedloop-timestamp': timestamp,
      'x-closedloop-signature': sign(TEST_CRM_SECRET, timestamp, body),
    },
  });
}

const inboxRow = (dealId: string) => h.db.inboundEvent.findFirstOrThrow({ where: { dealId } });

describe('start dispatcher', () => {
  it('starts the order right after the 202, long before the relay would poll', async () => {
    const relay = startInboxRelay(
      { db: h.db, temporal: h.temporal, taskQueue: h.taskQueue, log },
      { intervalMs: 3_600_000, dispatcher: h.rawApp.startDispatcher },
    );
    try {
      const event = (await createFixture(h.db)).event();
      const orderId = orderIdForDeal(event.dealId);
      const sentAt = Date.now();
      const accepted = await postSigned(h.rawApp, event);
      expect(accepted.statusCode).toBe(202);
      expect(accepted.json()).toMatchObject({
        status: 'accepted',
        orderId,
        workflowId: orderId,
        isDuplicate: false,
        startedAt: null,
        links: { order: `/v1/orders/${orderId}` },
      });
      expect(accepted.json()).not.toHaveProperty('runId');
      expect(intakeResponse.strict().parse(accepted.json())).toEqual(accepted.json()); // written without the serializer's check

      await h.waitForState(orderId, () => true, 10_000);
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      await h.rawApp.startDispatcher.idle();
      const row = await inboxRow(event.dealId);
      expect(row.startedAt).not.toBeNull();
      expect(row.attempts).toBe(0);

      // A repeat now reports the start it can read from the inbox, still without asking Temporal.
      const again = await postSigned(h.rawApp, event);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({
        status: 'accepted',
        orderId,
        isDuplicate: true,
        startedAt: row.startedAt!.toISOString(),
      });
      expect(intakeResponse.strict().parse(again.json())).toEqual(again.json());
    } finally {
      await relay.stop();
    }
  });
});

describe('inbox while Temporal is down', () => {
  it('answers 202 at once, and the relay starts the order once Temporal is back', async () => {
    const port = await freePort();
    const dbFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'cl-temporal-')), 'temporal.sqlite');
    let server = await startTemporalDevServer({ port, namespace: 'default', dbFile, log });
    const connection = Connection.lazy({ address: server.address });
    const temporal = new Client({ connection });
    const deps = { db: h.db, temporal, taskQueue: 'inbox-test', log };
    const app = await buildApp({
      ...deps,
      crmWebhookSecret: TEST_CRM_SECRET,
      startDispatcher: { startTimeoutMs: 2_000 },
    });
    try {
      await server.stop();
      const event = (await createFixture(h.db)).event();
      const sentAt = Date.now();
      const accepted = await postSigned(app, event);
      expect(accepted.statusCode).toBe(202);
      expect(Date.now() - sentAt).toBeLessThan(1_500); // the start gives up only after 2 s: the answer did not wait for it
      expect(accepted.json()).toMatchObject({
        status: 'accepted',
        orderId: orderIdForDeal(event.dealId),
        isDuplicate: false,
        startedAt: null,
      });

      await app.startDispatcher.idle(); // the start failed and was recorded for the relay
      const failed = await inboxRow(event.dealId);
      expect(failed.startedAt).toBeNull();
      expect(failed.attempts).toBe(1);
      expect(failed.lastError).toBeTruthy();

      // Read-back while the order has not started answers from the inbox.
      const view = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderIdForDeal(event.dealId)}` });
      expect(view.statusCode).toBe(200);
      expect(view.json().status).toBe('accepted');

      server = await startTemporalDevServer({ port, namespace: 'default', dbFile, log });
      const relay = startInboxRelay(deps, { intervalMs: 60_000, dispatcher: app.startDispatcher });
      let started = 0;
      for (let i = 0; i < 20 && started === 0; i += 1) {
        await relay.drain().catch(() => 0);
        started = (await inboxRow(event.dealId)).startedAt ? 1 : 0;
        if (started === 0) await new Promise((r) => setTimeout(r, 500));
      }
      await relay.stop();
      expect((await inboxRow(event.dealId)).startedAt).not.toBeNull();
      const description = await temporal.workflow.getHandle(orderIdForDeal(event.dealId)).describe();
      expect(description.type).toBe('orderFulfillment');
    } finally {
      await app.close();
      await connection.close().catch(() => undefined);
      await server.stop();
    }
  });

  it('closes the app once its starts in flight gave up, leaving queued events to the relay', async () => {
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` }); // nothing listens there
    const temporal = new Client({ connection });
    const app = await buildApp({
      db: h.db,
      temporal,
      taskQueue: 'inbox-test',
      log,
      crmWebhookSecret: TEST_CRM_SECRET,
      startDispatcher: { concurrency: 1, startTimeoutMs: 1_000 },
    });
    try {
      const fixture = await createFixture(h.db);
      const [starting, waiting] = [fixture.event(), fixture.event()];
      expect((await postSigned(app, starting)).statusCode).toBe(202);
      expect((await postSigned(app, waiting)).statusCode).toBe(202);
      expect(app.startDispatcher.isHolding(waiting.dealId)).toBe(true);
      const closingAt = Date.now();
      await app.close();
      expect(Date.now() - closingAt).toBeLessThan(8_000); // the 1 s deadline plus at most one gRPC retry backoff
      expect(await inboxRow(starting.dealId)).toMatchObject({ startedAt: null, attempts: 1 });
      expect(await inboxRow(waiting.dealId)).toMatchObject({ startedAt: null, attempts: 0 }); // never tried: the relay will
    } finally {
      await connection.close();
    }
  });
});
