import { useHarness } from '../support/harness';
import { awaitingDelivery, stepOf, placeOrder, refusal } from '../support/flows';
import { createFixture } from '../../fixtures/master-data';
import { creditDecision } from '../../workflows/fulfillment/messages';
import type { RunState } from '../../workflows/engine/state';

const h = useHarness();

// Order value: 240 x 21.50 + 1200 x 0.85 + 12 x 92.00 = 7,284.00 USD; a 1,000.00 limit forces a hold.
const LOW_LIMIT = 100_000;

const decide = (orderId: string, decision: 'approve' | 'reject', reason: string) =>
  h.temporal.workflow
    .getHandle(orderId)
    .executeUpdate(creditDecision, { args: [{ decision, reason, actor: 'finance:carol' }] });

/** The reason an update was refused: the client wraps the workflow's error as the cause. */
const onHold = (s: RunState) => s.status === 'credit_hold' && stepOf(s, 'credit-approval')?.status === 'waiting';

describe('credit hold', () => {
  it('puts an order over the credit limit on hold, tells finance, and ships it once finance approves', async () => {
    const f = await createFixture(h.db, { creditLimitMinor: LOW_LIMIT });
    const orderId = await placeOrder(h, f);

    const held = await h.waitForState(orderId, onHold);
    expect(stepOf(held, 'credit-check')?.status).toBe('completed');
    expect(stepOf(held, 'reserve-stock')?.status).toBe('pending');
    expect((await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('credit_hold');

    const financeMails = await h.db.outboundEmail.findMany({ where: { orderId, template: 'credit-hold' } });
    expect(financeMails).toHaveLength(1);
    expect(financeMails[0]!.toAddress).toContain('finance@closedloop.test');
    expect(
      h.mail
        .messages()
        .filter((m) => m.subject?.startsWith(`Credit hold: ${orderId}`) && m.to.includes('finance@closedloop.test')),
    ).toHaveLength(1);
    // Nothing is reserved while finance decides.
    expect(await h.db.reservation.count({ where: { orderId } })).toBe(0);

    const afterDecision = await decide(orderId, 'approve', 'long-standing customer, payment promised');
    expect(stepOf(afterDecision, 'credit-approval')?.status).toBe('completed');

    await awaitingDelivery(h, `${orderId}-S1`);
    const shipped = await h.waitForState(orderId, (s) => s.status === 'shipped');
    expect(shipped.steps.map((s) => [s.name, s.status])).toEqual([
      ['record-order', 'completed'],
      ['send-order-received', 'completed'],
      ['validate-order', 'completed'],
      ['credit-check', 'completed'],
      ['credit-approval', 'completed'],
      ['reserve-stock', 'completed'],
      ['create-erp-order', 'completed'],
      ['send-order-confirmation', 'completed'],
    ]);
    expect(await h.db.erpOrder.count({ where: { orderId } })).toBe(1);
    const events = await h.db.stepEvent.findMany({
      where: { workflowId: orderId, step: 'credit-approval' },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((e) => e.toStatus)).toEqual(['waiting', 'running', 'completed']);
  });

  it('cancels the order when finance rejects: rejected, nothing reserved, no ERP order, sales told through the CRM', async () => {
    const f = await createFixture(h.db, { creditLimitMinor: LOW_LIMIT });
    const orderId = await placeOrder(h, f);
    await h.waitForState(orderId, onHold);

    await decide(orderId, 'reject', 'customer over terms for 90 days');
    const rejected = await h.waitForState(orderId, (s) => s.status === 'rejected');
    expect(stepOf(rejected, 'credit-approval')?.status).toBe('failed');
    expect(stepOf(rejected, 'reserve-stock')?.status).toBe('cancelled');
    expect(stepOf(rejected, 'create-erp-order')?.status).toBe('cancelled');
    expect(rejected.cancelReason).toContain('customer over terms for 90 days');

    await h.temporal.workflow.getHandle(orderId).result();
    expect((await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('rejected');
    expect(await h.db.reservation.count({ where: { orderId } })).toBe(0);
    expect(await h.db.erpOrder.count({ where: { orderId } })).toBe(0);
    const stock = await h.db.stock.findMany({ where: { sku: { in: Object.values(f.sku) } } });
    expect(stock.every((s) => s.reserved === 0)).toBe(true);
    const milestones = (await h.db.crmMilestone.findMany({ where: { orderId } })).map((m) => m.milestone);
    expect(milestones).toEqual(['credit_rejected']);
  });

  it('refuses a credit decision for an order that is not on credit hold', async () => {
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'not_required');

    expect(await refusal(decide(orderId, 'approve', 'just in case'))).toContain('not waiting for a credit decision');
    await h.waitForState(orderId, (s) => s.status === 'shipped');
    expect(await refusal(decide(orderId, 'reject', 'too late'))).toContain('not waiting for a credit decision');
    // The refused decisions changed nothing.
    expect(await h.db.crmMilestone.count({ where: { orderId, milestone: 'credit_rejected' } })).toBe(0);
  });
});
