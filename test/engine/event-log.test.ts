/**
 * The step event log and what reads it: a reset run's events are kept, bulk retry finds a step whose
 * latest event is an SLA breach, and the CRM relay's claim outlives a whole batch.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { startHarness, TEST_CRM_SECRET, type Harness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { placeOrder, stepOf } from '../support/flows';
import { realActivities, type RealActivities } from '../support/real-activities';
import { startCrmWebhookRelay } from '../../api/crm-webhook-relay';
import { createLogger } from '../../lib/logger';
import { freePort } from '../../runtime/ports';
import { temporal } from '@temporalio/proto';
import type { StepInput } from '../../activities/contract';

let h: Harness;
let real: RealActivities;
let closeReal: () => void;
const failingConfirmationFor = new Set<string>();

beforeAll(async () => {
  h = await startHarness();
  ({ real, close: closeReal } = realActivities(h));
  await h.stopWorker();
  await h.startWorker({
    // The real confirmation, then a failure after its effect for the orders under test.
    sendOrderConfirmation: async (input: StepInput) => {
      const output = await real.sendOrderConfirmation(input);
      if (failingConfirmationFor.has(input.run.orderId)) throw new Error('CRM gateway timed out after sending');
      return output;
    },
  });
});
afterAll(async () => {
  await h?.stop();
  closeReal?.();
});

describe('step events after a reset', () => {
  it("keeps the events of the new run, whose sequence numbers repeat the old run's", async () => {
    const f = await createFixture(h.db, { creditLimitMinor: 1_000 });
    const orderId = await placeOrder(h, f);
    await h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
    const handle = h.temporal.workflow.getHandle(orderId);
    const { runId } = await handle.describe();
    const history = await handle.fetchHistory();
    const firstTask = history.events!.find(
      (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    )!;
    const waits = () =>
      h.db.stepEvent.count({ where: { workflowId: orderId, step: 'credit-approval', toStatus: 'waiting' } });
    expect(await waits()).toBe(1);

    const reset = await h.temporal.workflowService.resetWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: orderId, runId },
      reason: 'test: replay the order from its first task',
      workflowTaskFinishEventId: firstTask.eventId,
      requestId: randomUUID(),
    });
    expect(reset.runId).not.toBe(runId);
    await h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
    const deadline = Date.now() + 30_000;
    while ((await waits()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await waits()).toBe(2);
    const runs = await h.db.stepEvent.groupBy({
      by: ['temporalRunId'],
      where: { workflowId: orderId, step: 'credit-approval', toStatus: 'waiting' },
    });
    expect(runs.map((r) => r.temporalRunId).sort()).toEqual([runId, reset.runId].sort());
  });
});

describe('bulk retry after an SLA breach', () => {
  it('finds a step in needs_attention whose latest event is its SLA breach', async () => {
    const f = await createFixture(h.db, { stepDurations: { 'send-order-confirmation': '40s' } });
    const event = f.event();
    const orderId = `order-${event.dealId}`;
    failingConfirmationFor.add(orderId);
    expect((await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event })).statusCode).toBe(202);
    await h.waitForState(
      orderId,
      (s) => stepOf(s, 'send-order-confirmation')?.status === 'needs_attention' && s.slaBreached,
      120_000,
    );
    const events = await h.db.stepEvent.findMany({
      where: { workflowId: orderId, step: 'send-order-confirmation' },
      orderBy: { id: 'asc' },
    });
    expect(events.at(-1)?.toStatus).toBe('sla_breached'); // the case under test: the breach came after needs_attention

    const dry = await h.app.inject({
      method: 'POST',
      url: '/v1/steps/send-order-confirmation/retry-all',
      payload: { reason: 'CRM gateway back', dryRun: true },
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().runs.map((r: { runId: string }) => r.runId)).toContain(orderId);

    failingConfirmationFor.delete(orderId);
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/steps/send-order-confirmation/retry-all',
      payload: { reason: 'CRM gateway back' },
    });
    expect(res.json().runs).toContainEqual({ runId: orderId, outcome: 'retried' });
    await h.waitForState(orderId, (s) => stepOf(s, 'send-order-confirmation')?.status === 'completed');
  }, 180_000);
});

describe('CRM webhook lease', () => {
  it('claims a batch for longer than the batch can take to send (every request up to its timeout)', async () => {
    const orderId = `order-LEASE-${randomUUID().slice(0, 8)}`;
    const key = `${orderId}:lease-test`;
    await h.db.crmMilestone.updateMany({ where: { deliveredAt: null }, data: { deliveredAt: new Date() } });
    await h.db.crmMilestone.create({
      data: { idempotencyKey: key, orderId, dealId: 'LEASE', milestone: 'confirmed', payload: {} },
    });
    const timeoutMs = 30_000;
    let leaseAtDelivery: Date | null | undefined;
    const port = await freePort();
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        void h.db.crmMilestone.findUniqueOrThrow({ where: { idempotencyKey: key } }).then((row) => {
          leaseAtDelivery ??= row.nextAttemptAt;
          res.writeHead(204).end();
        });
      });
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const claimedAt = Date.now();
    const relay = startCrmWebhookRelay({
      db: h.db,
      url: `http://127.0.0.1:${port}/hooks`,
      secret: TEST_CRM_SECRET,
      log: createLogger('silent'),
      intervalMs: 60_000,
      timeoutMs,
    });
    try {
      await relay.drain();
    } finally {
      await relay.stop();
      server.close();
    }
    expect(leaseAtDelivery).toBeInstanceOf(Date);
    // 20 rows a batch, each may take the whole timeout: a second relay must not claim the row before that.
    expect(leaseAtDelivery!.getTime() - claimedAt).toBeGreaterThanOrEqual(20 * timeoutMs);
  });
});
