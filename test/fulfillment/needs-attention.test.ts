import { useHarness } from '../support/harness';
import { awaitingDelivery, stepOf, placeOrder, refusal } from '../support/flows';
import { createFixture } from '../../fixtures/master-data';
import { createBuiltinErp } from '../../adapters/erp/builtin';
import { FAILURES } from '../../domain/failures';
import { decideStep, type StepDecision } from '../../workflows/engine/messages';
import type { RunState } from '../../workflows/engine/state';

const h = useHarness();

const failing = (message: string) => async (): Promise<never> => {
  throw new Error(message);
};

/** Restarts the harness worker with these activity overrides ({} = the real activities). */
async function restartWorker(overrides: Record<string, (...args: never[]) => Promise<unknown>>): Promise<void> {
  await h.stopWorker();
  await h.startWorker(overrides);
}

const decide = (orderId: string, decision: StepDecision) =>
  h.temporal.workflow.getHandle(orderId).executeUpdate(decideStep, { args: [decision] });

/** Waits (through the default 5-attempt retry budget, ~15 s) until `step` needs attention. */
const stuckAt = (orderId: string, step: string) =>
  h.waitForState(orderId, (s) => stepOf(s, step)?.status === 'needs_attention', 60_000);

describe('steps that need attention', () => {
  it('parks the ERP step in needs_attention during an ERP outage and completes the order exactly once after ops retry', async () => {
    await restartWorker({ createErpOrder: failing('ERP unavailable: 503') });
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);

    const stuck = await stuckAt(orderId, 'create-erp-order');
    expect(stuck.needsAttention).toBe(true);
    expect(stepOf(stuck, 'create-erp-order')?.lastError).toContain('ERP unavailable');
    expect(await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({
      needsAttention: true,
      currentStep: 'create-erp-order',
    });
    expect(await h.db.erpOrder.count({ where: { orderId } })).toBe(0);

    await restartWorker({});
    const after = await decide(orderId, {
      step: 'create-erp-order',
      action: 'retry',
      reason: 'ERP back',
      actor: 'ops:alice',
    });
    expect(after.needsAttention).toBe(false);

    await awaitingDelivery(h, `${orderId}-S1`);
    const shipped = await h.waitForState(orderId, (s) => s.status === 'shipped');
    expect(shipped.needsAttention).toBe(false);
    expect(stepOf(shipped, 'create-erp-order')).toMatchObject({ status: 'completed', rounds: 2 });
    expect((await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).needsAttention).toBe(false);
    expect(await h.db.erpOrder.count({ where: { orderId } })).toBe(1);

    const events = await h.db.stepEvent.findMany({
      where: { workflowId: orderId, step: 'create-erp-order' },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((e) => e.toStatus)).toEqual([
      'running',
      'needs_attention',
      'retry_requested',
      'running',
      'completed',
    ]);
    expect(events[1]!.error).toContain('ERP unavailable');
    expect(events[2]!).toMatchObject({ fromStatus: 'needs_attention', actor: 'ops:alice', reason: 'ERP back' });
  });

  it('lets ops skip a skippable step with a reason (and only with one); the order continues', async () => {
    await restartWorker({ sendOrderConfirmation: failing('SMTP relay refused') });
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await stuckAt(orderId, 'send-order-confirmation');

    expect(
      await refusal(decide(orderId, { step: 'send-order-confirmation', action: 'skip', actor: 'ops:alice' })),
    ).toContain('reason is required');
    expect(
      await refusal(
        decide(orderId, { step: 'send-order-confirmation', action: 'skip', reason: '  ', actor: 'ops:alice' }),
      ),
    ).toContain('reason is required');
    expect(await refusal(decide(orderId, { step: 'create-erp-order', action: 'retry', actor: 'ops:alice' }))).toContain(
      'not needs_attention',
    );

    await restartWorker({});
    await decide(orderId, {
      step: 'send-order-confirmation',
      action: 'skip',
      reason: 'customer confirmed by phone',
      actor: 'ops:alice',
    });
    await awaitingDelivery(h, `${orderId}-S1`);
    const shipped = await h.waitForState(orderId, (s) => s.status === 'shipped');
    expect(stepOf(shipped, 'send-order-confirmation')).toMatchObject({
      status: 'skipped',
      skippedReason: 'customer confirmed by phone',
    });
    expect(shipped.needsAttention).toBe(false);
    expect(await h.db.outboundEmail.count({ where: { orderId, template: 'order-confirmation' } })).toBe(0);
    const skipped = await h.db.stepEvent.findFirstOrThrow({
      where: { workflowId: orderId, step: 'send-order-confirmation', toStatus: 'skipped' },
    });
    expect(skipped).toMatchObject({ actor: 'ops:alice', reason: 'customer confirmed by phone' });
  });

  it('refuses to skip a step that cannot be skipped', async () => {
    await restartWorker({ reserveStock: failing('WMS timeout') });
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await stuckAt(orderId, 'reserve-stock');

    expect(
      await refusal(
        decide(orderId, { step: 'reserve-stock', action: 'skip', reason: 'try anyway', actor: 'ops:alice' }),
      ),
    ).toContain('cannot be skipped');
    const still = (await h.temporal.workflow.getHandle(orderId).query('getState')) as RunState;
    expect(stepOf(still, 'reserve-stock')?.status).toBe('needs_attention');
    expect(still.needsAttention).toBe(true);

    await restartWorker({});
    await decide(orderId, { step: 'reserve-stock', action: 'retry', reason: 'WMS back', actor: 'ops:alice' });
    await h.waitForState(orderId, (s) => s.status === 'shipped');
  });

  it('cancels the order when ops cancel a stuck step, compensating the steps already done', async () => {
    await restartWorker({ createErpOrder: failing('ERP unavailable: 503') });
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await stuckAt(orderId, 'create-erp-order');
    expect(await h.db.reservation.count({ where: { orderId, status: 'reserved' } })).toBe(3);

    await restartWorker({});
    await decide(orderId, {
      step: 'create-erp-order',
      action: 'cancel',
      reason: 'customer withdrew PO',
      actor: 'ops:alice',
    });
    const cancelled = await h.waitForState(orderId, (s) => s.status === 'cancelled');
    await h.temporal.workflow.getHandle(orderId).result();

    expect(cancelled.needsAttention).toBe(false);
    expect(cancelled.cancelReason).toBe('customer withdrew PO');
    expect(stepOf(cancelled, 'reserve-stock')?.status).toBe('compensated');
    expect(stepOf(cancelled, 'send-order-confirmation')?.status).toBe('cancelled');
    expect(await h.db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({
      status: 'cancelled',
      needsAttention: false,
    });
    expect(await h.db.reservation.count({ where: { orderId, status: 'reserved' } })).toBe(0);
    const stock = await h.db.stock.findMany({ where: { sku: { in: Object.values(f.sku) } } });
    expect(stock.every((s) => s.reserved === 0)).toBe(true);
    expect(await h.db.erpOrder.count({ where: { orderId } })).toBe(0);
    const compensated = await h.db.stepEvent.findFirstOrThrow({
      where: { workflowId: orderId, step: 'reserve-stock', toStatus: 'compensated' },
    });
    expect(compensated).toMatchObject({ actor: 'ops:alice', reason: 'customer withdrew PO' });
  });

  it('compensates the stuck step itself, so a late attempt of it cannot commit after the cancel', async () => {
    await restartWorker({ createErpOrder: failing('ERP unavailable: 503') });
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await stuckAt(orderId, 'create-erp-order');

    await restartWorker({});
    await decide(orderId, { step: 'create-erp-order', action: 'cancel', reason: 'PO withdrawn', actor: 'ops:alice' });
    const cancelled = await h.waitForState(orderId, (s) => s.status === 'cancelled');
    await h.temporal.workflow.getHandle(orderId).result();
    expect(stepOf(cancelled, 'create-erp-order')?.status).toBe('compensated');

    // An attempt the server timed out, still running on a slow worker, commits now: the ERP refuses it.
    const order = { orderId, customerId: f.customerId, poNumber: 'PO-LATE', currency: 'EUR', lines: [] };
    await expect(createBuiltinErp(h.db).createSalesOrder(order, `${orderId}:create-erp-order`)).rejects.toMatchObject({
      type: FAILURES.EffectCompensated.type,
      nonRetryable: true,
    });
    expect(await h.db.erpOrder.count({ where: { orderId, status: 'open' } })).toBe(0);
  });
});
