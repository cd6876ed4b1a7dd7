/**
 * CRM integration guarantees: milestones reach the CRM webhook signed, with retries, visible per
 * order; ops can retry every run stuck on one step at once. (An event accepted while Temporal is down
 * becoming an order once it is back: intake-async.test.ts.)
 */
import http from 'node:http';
import { useHarness, TEST_CRM_SECRET } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { placeOrder, stepOf } from '../support/flows';
import { checkSignature } from '../../api/auth/signature';
import { startCrmWebhookRelay } from '../../api/crm-webhook-relay';
import { createLogger } from '../../lib/logger';
import { freePort } from '../../runtime/ports';

const h = useHarness();
const log = createLogger('silent');

describe('CRM milestone webhook', () => {
  it('posts each milestone signed, retries after a CRM error with backoff, and shows every attempt per order', async () => {
    const received: { orderId: string; milestone: string; valid: boolean; key: string }[] = [];
    let failNext = 1;
    let orderId = '';
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const sent = JSON.parse(body) as { milestone: string; orderId: string };
        // The first delivery of this test's order fails: other orders' milestones may come first.
        if (sent.orderId === orderId && failNext > 0) {
          failNext -= 1;
          res.writeHead(503).end('CRM maintenance');
          return;
        }
        const problem = checkSignature(
          TEST_CRM_SECRET,
          {
            timestamp: req.headers['x-closedloop-timestamp'] as string,
            signature: req.headers['x-closedloop-signature'] as string,
          },
          body,
        );
        received.push({
          orderId: sent.orderId,
          milestone: sent.milestone,
          valid: problem === undefined,
          key: req.headers['idempotency-key'] as string,
        });
        res.writeHead(204).end();
      });
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const f = await createFixture(h.db);
    orderId = await placeOrder(h, f);
    await h.waitForState(orderId, (s) => s.status === 'shipped');
    // Only this order's milestones: others in the shared database are marked delivered.
    await h.db.crmMilestone.updateMany({
      where: { orderId: { not: orderId }, deliveredAt: null },
      data: { deliveredAt: new Date() },
    });
    const relay = startCrmWebhookRelay({
      db: h.db,
      url: `http://127.0.0.1:${port}/hooks`,
      secret: TEST_CRM_SECRET,
      log,
      intervalMs: 60_000,
    });
    try {
      await relay.drain(); // first attempt of the first milestone fails (503), the rest go through
      await h.db.crmMilestone.updateMany({ where: { orderId }, data: { nextAttemptAt: new Date() } }); // skip the backoff wait
      await relay.drain();
    } finally {
      await relay.stop();
      server.close();
    }
    // Other tests' orders keep moving in the shared database and can add milestones during the drain.
    const ours = received.filter((r) => r.orderId === orderId);
    expect(ours.map((r) => r.milestone).sort()).toEqual(['confirmed', 'shipped']);
    expect(ours.every((r) => r.valid && r.key)).toBe(true);

    const res = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/crm-deliveries` });
    expect(res.statusCode).toBe(200);
    const milestones = res.json().milestones as {
      milestone: string;
      deliveredAt: string | null;
      deliveries: { statusCode: number }[];
    }[];
    expect(milestones.every((m) => m.deliveredAt !== null)).toBe(true);
    expect(milestones.flatMap((m) => m.deliveries.map((d) => d.statusCode)).sort()).toEqual([204, 204, 503]);
  });
});

describe('bulk retry', () => {
  it('counts runs stuck on a step in a dry run, then retries them all', async () => {
    await h.stopWorker();
    await h.startWorker({
      bookCarrier: async () => {
        throw new Error('carrier API down');
      },
    });
    const f = await createFixture(h.db);
    const orders = [await placeOrder(h, f), await placeOrder(h, f)];
    for (const orderId of orders) {
      await h.waitForState(`${orderId}-S1`, (s) => stepOf(s, 'book-carrier')?.status === 'needs_attention', 60_000);
    }
    const ops = await h.apiKey('ops');
    const call = (dryRun: boolean) =>
      h.rawApp.inject({
        method: 'POST',
        url: '/v1/steps/book-carrier/retry-all',
        payload: { reason: 'carrier back', dryRun },
        headers: { authorization: `Bearer ${ops}` },
      });
    const dry = (await call(true)).json();
    expect(dry.dryRun).toBe(true);
    expect(dry.runs.map((r: { runId: string }) => r.runId)).toEqual(
      expect.arrayContaining(orders.map((o) => `${o}-S1`)),
    );

    await h.stopWorker();
    await h.startWorker({});
    const done = (await call(false)).json();
    expect(
      done.runs
        .filter((r: { runId: string; outcome: string }) => orders.some((o) => r.runId === `${o}-S1`))
        .map((r: { outcome: string }) => r.outcome),
    ).toEqual(['retried', 'retried']);
    for (const orderId of orders) await h.waitForState(orderId, (s) => s.status === 'shipped');
  });
});
