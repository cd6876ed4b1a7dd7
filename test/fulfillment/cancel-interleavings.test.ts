/**
 * Cancellation against what is running at the same moment: a credit decision being applied, a step
 * whose effect is still committing, a shipment already marked shipped, a booked carrier and a sent
 * ASN, one shipment cancelled while its order goes on, and an ops hold before shipments start.
 * Overrides wrap the real activities (a delay before the effect, a failure after it) for one run.
 */
import { startHarness, type Harness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { awaitingDelivery, placeOrder, stepOf } from '../support/flows';
import {
  EventType,
  failedWorkflowTasks,
  gate,
  realActivities,
  recordHistory,
  waitForEvent,
  type RealActivities,
} from '../support/real-activities';
import type { StepInput, StepOutput } from '../../activities/contract';

let h: Harness;
let real: RealActivities;
let closeReal: () => void;
/** Per `<activity>:<run id>`: what to do before the real activity runs and after its effect. */
const hooks = new Map<string, { before?: () => Promise<void>; after?: () => Promise<void> }>();
const WRAPPED = [
  'reserveStock',
  'createErpOrder',
  'applyCreditDecision',
  'sendOrderConfirmation',
  'pickShipment',
  'sendAsn',
  'confirmShipment',
] as const;

beforeAll(async () => {
  h = await startHarness();
  ({ real, close: closeReal } = realActivities(h));
  const overrides = Object.fromEntries(
    WRAPPED.map((name) => [
      name,
      async (input: StepInput): Promise<StepOutput> => {
        const hook = hooks.get(`${name}:${input.run.id}`);
        await hook?.before?.();
        const output = await (real[name] as (i: StepInput) => Promise<StepOutput>)(input);
        await hook?.after?.();
        return output;
      },
    ]),
  );
  await h.stopWorker();
  await h.startWorker(overrides);
});
afterAll(async () => {
  await h?.stop();
  closeReal?.();
});

const post = (url: string, payload: object) => h.app.inject({ method: 'POST', url, payload });
const cancelViaApi = (id: string, reason = 'customer withdrew PO') => post(`/v1/orders/${id}/cancel`, { reason });

async function stockOf(f: Awaited<ReturnType<typeof createFixture>>) {
  const rows = await h.db.stock.findMany({
    where: { sku: { in: Object.values(f.sku) } },
    orderBy: [{ warehouseId: 'asc' }, { sku: 'asc' }],
  });
  return rows.map((r) => ({ warehouseId: r.warehouseId, sku: r.sku, onHand: r.onHand, reserved: r.reserved }));
}

describe('cancel against a credit decision being applied', () => {
  it('lets the decision finish and refuses the cancel (422); the workflow task never fails', async () => {
    const f = await createFixture(h.db, { creditLimitMinor: 1_000 });
    const orderId = await placeOrder(h, f);
    await h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
    const g = gate();
    hooks.set(`applyCreditDecision:${orderId}`, { before: g.wait });
    const decision = post(`/v1/orders/${orderId}/credit-decision`, { decision: 'approve', reason: 'known customer' });
    await g.entered;
    const cancel = await cancelViaApi(orderId);
    g.open();
    const decided = await decision;
    expect(decided.statusCode).toBe(200);
    expect([409, 422]).toContain(cancel.statusCode);
    expect(cancel.json().detail).toMatch(/credit decision/);
    await h.waitForState(
      orderId,
      (s) => s.status === 'confirmed' || s.status === 'in_fulfillment' || s.status === 'shipped',
    );
    expect(await failedWorkflowTasks(h, orderId)).toBe(0);
  });

  it('takes a cancel and a credit decision sent at once one at a time: one wins, the other is refused (409/422)', async () => {
    const f = await createFixture(h.db, { creditLimitMinor: 1_000 });
    const orderId = await placeOrder(h, f);
    await h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
    const [cancel, decision] = await Promise.all([
      cancelViaApi(orderId),
      post(`/v1/orders/${orderId}/credit-decision`, { decision: 'approve', reason: 'known customer' }),
    ]);
    // Whichever the workflow took first wins; the other is refused with its reason.
    expect([cancel.statusCode, decision.statusCode].sort()).toEqual(expect.arrayContaining([200]));
    if (cancel.statusCode === 200) {
      expect([409, 422]).toContain(decision.statusCode);
      await h.waitForState(orderId, (s) => s.status === 'cancelled');
    } else {
      expect([409, 422]).toContain(cancel.statusCode);
    }
    expect(await failedWorkflowTasks(h, orderId)).toBe(0);
    await recordHistory(h, 'order-credit-vs-cancel-v1', orderId);
  });
});

describe('cancel waits for the running step', () => {
  it('waits for reserve-stock to commit, then releases it: nothing stays reserved', async () => {
    const f = await createFixture(h.db);
    const before = await stockOf(f);
    const event = f.event();
    const orderId = `order-${event.dealId}`;
    const g = gate();
    let isReserved!: () => void;
    const reserved = new Promise<void>((r) => (isReserved = r));
    hooks.set(`reserveStock:${orderId}`, { before: g.wait, after: async () => isReserved() });
    expect((await post('/v1/events/closed-won', event)).statusCode).toBe(202);
    await g.entered;
    const cancel = cancelViaApi(orderId);
    await waitForEvent(h, orderId, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
    g.open();
    await reserved;
    expect((await cancel).statusCode).toBe(200);
    const state = await h.waitForState(orderId, (s) => s.status === 'cancelled');
    expect(stepOf(state, 'reserve-stock')?.status).toBe('compensated');
    expect(await stockOf(f)).toEqual(before);
    expect(await h.db.reservation.count({ where: { orderId, status: 'reserved' } })).toBe(0);
    await recordHistory(h, 'order-cancel-waits-v1', orderId);
  });

  it('waits for create-erp-order, then cancels the ERP order', async () => {
    const f = await createFixture(h.db);
    const before = await stockOf(f);
    const event = f.event();
    const orderId = `order-${event.dealId}`;
    const g = gate();
    let isCreated!: () => void;
    const created = new Promise<void>((r) => (isCreated = r));
    hooks.set(`createErpOrder:${orderId}`, { before: g.wait, after: async () => isCreated() });
    expect((await post('/v1/events/closed-won', event)).statusCode).toBe(202);
    await g.entered;
    const cancel = cancelViaApi(orderId);
    await waitForEvent(h, orderId, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
    g.open();
    await created;
    expect((await cancel).statusCode).toBe(200);
    await h.waitForState(orderId, (s) => s.status === 'cancelled');
    expect((await h.db.erpOrder.findUniqueOrThrow({ where: { orderId } })).status).toBe('cancelled');
    expect(await stockOf(f)).toEqual(before);
  });

  it('waits for the pick, then puts the units back: stock and lots reconcile', async () => {
    const f = await createFixture(h.db);
    const before = await stockOf(f);
    const lotsBefore = await h.db.stockLot.findMany({ where: { sku: f.sku.solvent }, orderBy: { lotId: 'asc' } });
    const event = f.event();
    const orderId = `order-${event.dealId}`;
    const shipmentId = `${orderId}-S1`;
    const g = gate();
    let isPicked!: () => void;
    const picked = new Promise<void>((r) => (isPicked = r));
    hooks.set(`pickShipment:${shipmentId}`, { before: g.wait, after: async () => isPicked() });
    expect((await post('/v1/events/closed-won', event)).statusCode).toBe(202);
    await g.entered;
    const cancel = cancelViaApi(orderId);
    await waitForEvent(h, shipmentId, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
    g.open();
    await picked;
    expect((await cancel).statusCode).toBe(200);
    await h.waitForState(orderId, (s) => s.status === 'cancelled');
    expect(await stockOf(f)).toEqual(before);
    expect(await h.db.stockLot.findMany({ where: { sku: f.sku.solvent }, orderBy: { lotId: 'asc' } })).toEqual(
      lotsBefore,
    );
    expect((await h.db.shipment.findUniqueOrThrow({ where: { id: shipmentId } })).status).toBe('cancelled');
    await recordHistory(h, 'shipment-cancel-waits-v1', shipmentId);
  });
});

describe('what has shipped cannot be cancelled', () => {
  it('refuses to cancel an order whose shipment is stored as shipped although its step failed after that (e-mail down)', async () => {
    const f = await createFixture(h.db);
    const event = f.event();
    const orderId = `order-${event.dealId}`;
    const shipmentId = `${orderId}-S1`;
    hooks.set(`confirmShipment:${shipmentId}`, {
      after: async () => {
        throw new Error('SMTP relay refused after dispatch');
      },
    });
    expect((await post('/v1/events/closed-won', event)).statusCode).toBe(202);
    const deadline = Date.now() + 60_000;
    while (!(await h.db.shipment.findUnique({ where: { id: shipmentId } }))?.shippedAt && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const shipment = await h.waitForState(shipmentId, (s) =>
      ['running', 'needs_attention'].includes(stepOf(s, 'confirm-shipment')?.status ?? ''),
    );
    expect(shipment.status).not.toBe('shipped'); // the workflow's own view lags

    const order = await cancelViaApi(orderId);
    expect(order.statusCode).toBe(422);
    expect(order.json().detail).toContain('return');
    const one = await cancelViaApi(shipmentId);
    expect(one.statusCode).toBe(422);
    expect((await h.db.erpOrder.findUniqueOrThrow({ where: { orderId } })).status).toBe('open');
    expect(await h.db.outboundEmail.count({ where: { orderId, template: 'order-cancelled' } })).toBe(0);
    hooks.delete(`confirmShipment:${shipmentId}`);
  });
});

describe('compensations of a booked shipment', () => {
  it('refuses a dispatch that comes after the cancel, cancels the carrier booking in the TMS and sends an ASN cancellation notice', async () => {
    const f = await createFixture(h.db);
    const event = f.event();
    const orderId = `order-${event.dealId}`;
    const shipmentId = `${orderId}-S1`;
    const g = gate();
    hooks.set(`confirmShipment:${shipmentId}`, { before: g.wait });
    expect((await post('/v1/events/closed-won', event)).statusCode).toBe(202);
    // confirm-shipment waits before its effect: the carrier is booked and the ASN went out.
    await g.entered;
    const booked = await h.db.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
    expect(booked.trackingNumber).toBeTruthy();
    // The dispatch attempt goes on only after the cancellation was accepted: it must not ship.
    const cancel = cancelViaApi(orderId);
    await waitForEvent(h, shipmentId, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
    g.open();
    expect((await cancel).statusCode).toBe(200);
    await h.waitForState(orderId, (s) => s.status === 'cancelled');
    const deadline = Date.now() + 30_000;
    while (
      !(await h.db.shipment.findUniqueOrThrow({ where: { id: shipmentId } })).carrierBookingCancelledAt &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 200));
    const after = await h.db.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
    expect(after.carrierBookingCancelledAt).not.toBeNull();
    expect(after.shippedAt).toBeNull();
    expect(await h.db.outboundEmail.count({ where: { orderId, template: 'advance-ship-notice-cancelled' } })).toBe(1);
    expect(
      h.mail
        .messages()
        .filter((m) => m.subject === `Cancelled: advance ship notice ${shipmentId} for PO ${event.poNumber}`),
    ).toHaveLength(1);
    await recordHistory(h, 'shipment-compensations-v1', shipmentId);
  });
});

describe('one shipment cancelled', () => {
  it('cancels its lines with the reason, releases the stock, tells customer and CRM, and the order does not end fulfilled', async () => {
    const f = await createFixture(h.db);
    const before = await stockOf(f);
    const event = f.event();
    const orderId = `order-${event.dealId}`;
    const shipmentId = `${orderId}-S1`;
    const g = gate();
    hooks.set(`pickShipment:${shipmentId}`, { before: g.wait });
    expect((await post('/v1/events/closed-won', event)).statusCode).toBe(202);
    await g.entered;
    const cancel = cancelViaApi(shipmentId, 'warehouse flooded');
    await waitForEvent(h, shipmentId, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
    g.open();
    expect((await cancel).statusCode).toBe(200);

    const order = await h.waitForState(orderId, (s) =>
      ['fulfilled', 'unfulfilled', 'partially_fulfilled'].includes(s.status),
    );
    expect(order.status).toBe('unfulfilled');
    expect(await stockOf(f)).toEqual(before);
    expect(await h.db.reservation.count({ where: { orderId, status: 'reserved', quantity: { gt: 0 } } })).toBe(0);
    const milestones = await h.db.crmMilestone.findMany({ where: { orderId, milestone: 'lines_cancelled' } });
    expect(milestones).toHaveLength(1);
    expect(milestones[0]!.payload).toMatchObject({ shipmentId, reason: 'warehouse flooded' });
    expect(await h.db.outboundEmail.count({ where: { orderId, template: 'shipment-cancelled' } })).toBe(1);
    expect(
      h.mail
        .messages()
        .filter(
          (m) =>
            m.subject === `Shipment ${shipmentId} for PO ${event.poNumber} cancelled` &&
            m.text?.includes('warehouse flooded'),
        ),
    ).toHaveLength(1);
    await recordHistory(h, 'order-shipment-cancelled-v1', orderId);
  });
});

describe('ops hold before shipments start', () => {
  it('starts no shipment while the order is held after its last step, and ships once released', async () => {
    const f = await createFixture(h.db);
    const event = f.event();
    const orderId = `order-${event.dealId}`;
    const g = gate();
    hooks.set(`sendOrderConfirmation:${orderId}`, { before: g.wait });
    expect((await post('/v1/events/closed-won', event)).statusCode).toBe(202);
    await g.entered;
    expect((await post(`/v1/orders/${orderId}/hold`, { reason: 'customer asked to wait' })).statusCode).toBe(200);
    g.open();
    await h.waitForState(orderId, (s) => stepOf(s, 'send-order-confirmation')?.status === 'completed');
    const shipmentStarted = () =>
      h.temporal.workflow
        .getHandle(`${orderId}-S1`)
        .describe()
        .then(
          () => true,
          () => false,
        );
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await shipmentStarted()).toBe(false);
    expect((await post(`/v1/orders/${orderId}/release`, {})).statusCode).toBe(200);
    await awaitingDelivery(h, `${orderId}-S1`);
    await recordHistory(h, 'order-hold-before-shipments-v1', orderId);
  });
});
