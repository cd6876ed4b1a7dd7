import { useHarness } from '../support/harness';
import { awaitingDelivery, stepOf } from '../support/flows';
import { createFixture } from '../../fixtures/master-data';
import { orderIdForDeal } from '../../domain/closed-won';
import { creditDecision } from '../../workflows/fulfillment/messages';

const h = useHarness();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SLA breach', () => {
  it('escalates a credit decision that misses its SLA exactly once, across worker restarts, and the order proceeds once approved', async () => {
    const f = await createFixture(h.db, { creditLimitMinor: 100_000, stepDurations: { 'credit-approval': '2s' } });
    const event = f.event();
    const orderId = orderIdForDeal(event.dealId);
    expect((await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event })).statusCode).toBe(202);

    const held = await h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
    expect(held.slaBreached).toBe(false);
    await sleep(4_000);

    const breached = await h.waitForState(orderId, (s) => s.slaBreached, 10_000);
    expect(stepOf(breached, 'credit-approval')).toMatchObject({ status: 'waiting', slaBreached: true });
    expect(await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({
      slaBreached: true,
      status: 'credit_hold',
    });

    const escalations = () =>
      h.mail.messages().filter((m) => m.subject?.startsWith('ESCALATION: SLA breached') && m.subject.includes(orderId));
    const waitForMail = async () => {
      const deadline = Date.now() + 10_000;
      while (escalations().length === 0 && Date.now() < deadline) await sleep(200);
    };
    await waitForMail();
    expect(await h.db.slaBreach.findMany({ where: { orderId } })).toEqual([
      expect.objectContaining({ step: 'credit-approval', action: 'escalate', runKind: 'order', runId: orderId }),
    ]);
    expect(escalations()).toHaveLength(1);
    expect(escalations()[0]!.subject).toBe(`ESCALATION: SLA breached: ${orderId} step credit-approval`);
    expect(escalations()[0]!.to).toEqual(expect.arrayContaining(['ops@closedloop.test', 'finance@closedloop.test']));
    expect(await h.db.stepEvent.count({ where: { workflowId: orderId, toStatus: 'sla_breached' } })).toBe(1);

    // A worker restart replays the history: the breach action does not run again.
    await h.stopWorker();
    await h.startWorker({});
    await h.waitForState(orderId, (s) => s.slaBreached);
    await sleep(3_000);
    expect(escalations()).toHaveLength(1);
    expect(await h.db.slaBreach.count({ where: { orderId } })).toBe(1);
    expect(await h.db.outboundEmail.count({ where: { orderId, template: 'sla-breach-escalate' } })).toBe(1);
    expect(await h.db.stepEvent.count({ where: { workflowId: orderId, toStatus: 'sla_breached' } })).toBe(1);

    await h.temporal.workflow.getHandle(orderId).executeUpdate(creditDecision, {
      args: [{ decision: 'approve', reason: 'approved late after escalation', actor: 'finance:carol' }],
    });
    await awaitingDelivery(h, `${orderId}-S1`);
    const shipped = await h.waitForState(orderId, (s) => s.status === 'shipped');
    expect(stepOf(shipped, 'credit-approval')).toMatchObject({ status: 'completed', slaBreached: true });
    expect(shipped.slaBreached).toBe(true);
    expect(await h.db.slaBreach.count({ where: { orderId } })).toBe(1);
    expect(escalations()).toHaveLength(1);
  });
});
