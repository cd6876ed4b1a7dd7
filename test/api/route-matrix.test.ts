/**
 * Every /v1 route the app registers, from its own route table, against one matrix of cases:
 *
 * - happy: a valid request answers 2xx with the documented shape (key fields checked, not only the status);
 * - validation: an invalid field answers 400 problem+json whose `errors` name that field;
 * - refusal: acting on state that forbids it answers 409/422 with a `detail` saying why, and an unknown
 *   id answers 404 (read-only routes: only the unknown id).
 *
 * Auth (no key, wrong role) is covered for the same route table by access-rules.test.ts. A route added to
 * the app without a row here fails the first test, so new routes must come with their cases.
 *
 * The state every case acts on is built once in `beforeAll`, one run per state needed, so that no case
 * depends on another having run first: orders waiting for a credit decision (some held), orders shipped,
 * one delivered and invoiced with returns in each of their states, orders stuck on a step (an ERP
 * outage and an e-mail outage, injected for those orders only), invoices sent, part paid and paid, and
 * a customer billed per period.
 */
import type { LightMyRequestResponse as InjectResponse } from 'fastify';
import { startHarness, type Harness } from '../support/harness';
import { realActivities, type RealActivities } from '../support/real-activities';
import { createFixture, isoDay, type Fixture } from '../../fixtures/master-data';
import { awaitingDelivery, deliverShipment, placeOrder, stepOf } from '../support/flows';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { problemType, type ProblemKind } from '../../api/problems';
import type { StepInput } from '../../activities/contract';
import type { MailAdapter } from '../../adapters/mail/mail-adapter';
import { orderIdForDeal } from '../../domain/closed-won';
import { getInvoice, recordPayment } from '../../workflows/billing/messages';
import { inspectReturn, receiveReturn } from '../../workflows/returns/messages';
import type { billingPeriodInvoicing } from '../../workflows/billing/period-workflow';
import { billingPeriodIdFor, returnIdFor } from '../../workflows/ids';
import { billingPeriodAt } from '../../domain/billing/billing-period';
import { randomBytes } from 'node:crypto';
import { ENCRYPTED_ENCODING, PayloadEncryptionCodec } from '../../lib/payload-encryption';

/** The matrix runs with payload encryption on, as docker-compose.yml deploys it. */
const codec = new PayloadEncryptionCodec([{ id: 'k-matrix', key: randomBytes(32) }]);
const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');

// ---------------------------------------------------------------------------------------------------
// Outages injected for chosen orders only: every other run on the queue gets the real activity.

let real: RealActivities | undefined;
let mailForReal: MailAdapter | undefined;
const erpDownFor = new Set<string>();
const orderReceivedMailDownFor = new Set<string>();

/** Invoices and returns whose own run (not their order) meets an outage. */
const invoiceErpDownFor = new Set<string>();
const returnLabelDownFor = new Set<string>();

const failingFor =
  (orders: Set<string>, name: 'createErpOrder' | 'sendOrderReceivedEmail', message: string) =>
  async (input: StepInput) => {
    if (orders.has(input.run.orderId)) throw new Error(message);
    return real![name](input);
  };
const failingForRun =
  (runs: Set<string>, name: 'postInvoiceToErp' | 'bookReturnLabel', message: string) => async (input: StepInput) => {
    if (runs.has(input.run.id)) throw new Error(message);
    return real![name](input);
  };

let h: Harness;

// ---------------------------------------------------------------------------------------------------
// The state the cases act on.

interface World {
  f: {
    creditWait: Fixture;
    shipped: Fixture;
    delivered: Fixture;
    invoices: Fixture;
    perPeriod: Fixture;
    perPeriodIdle: Fixture;
  };
  /** Waiting for a credit decision: each is acted on by one case only. */
  creditWait: {
    toHold: string;
    alreadyHeld: string;
    toRelease: string;
    toChangeShipTo: string;
    toDecide: string;
    toCancel: string;
  };
  /** Shipped, never delivered: cancel, ship-to, credit decision and release are refused on it. */
  shipped: string;
  /** Shipped, delivered by the delivery case. */
  toDeliver: string;
  /** Delivered and invoiced: returns are opened on it; its shipment cannot be delivered twice. */
  delivered: { orderId: string; shipmentId: string; invoiceId: string; warehouseId: string };
  stuck: { toRetry: string; toSkip: string; notSkippable: string };
  invoices: { toPay: string; partlyPaid: string; toVoid: string; toWriteOff: string; paid: string };
  returns: {
    toApprove: string;
    pendingApproval: string;
    toReceive: string;
    awaitingReceipt: string;
    toInspect: string;
    completed: string;
    labelToRetry: string;
    labelToSkip: string;
  };
  /** Invoices stuck on post-to-erp (an ERP outage for these invoices only). */
  stuckInvoices: { toRetry: string; toSkip: string };
  receiptId: string;
}
let w: World;

const TODAY = () => new Date().toISOString().slice(0, 10);
const NEW_ADDRESS = {
  name: 'Acme - Dayton DC',
  line1: '400 Logistics Way',
  city: 'Dayton',
  region: 'OH',
  postalCode: '45402',
  country: 'US',
};

const get = (url: string) => h.app.inject({ method: 'GET', url });
const post = (url: string, payload: unknown = {}) => h.app.inject({ method: 'POST', url, payload: payload as object });
const patch = (url: string, payload: unknown) => h.app.inject({ method: 'PATCH', url, payload: payload as object });

/** Posts a closed-won event and waits until its workflow answers (intake may answer before it starts). */
async function place(
  f: Fixture,
  overrides: Parameters<Fixture['event']>[0] = {},
  before?: (orderId: string) => void,
): Promise<string> {
  const event = f.event(overrides);
  const orderId = orderIdForDeal(event.dealId);
  before?.(orderId);
  const res = await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event });
  expect([res.statusCode, res.body]).toEqual([202, expect.any(String)]);
  return orderId;
}

const creditWaiting = (orderId: string) =>
  h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
const shippedAndAwaitingDelivery = async (orderId: string) => {
  await awaitingDelivery(h, `${orderId}-S1`);
  await h.waitForState(orderId, (s) => s.status === 'shipped');
};
const stuckAt = (orderId: string, step: string) =>
  h.waitForState(orderId, (s) => stepOf(s, step)?.status === 'needs_attention', 90_000);

async function creditWaitOrders(f: Fixture): Promise<World['creditWait']> {
  const ids = [];
  for (let i = 0; i < 6; i += 1) ids.push(await place(f));
  await Promise.all(ids.map(creditWaiting));
  const [toHold, alreadyHeld, toRelease, toChangeShipTo, toDecide, toCancel] = ids as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  for (const orderId of [alreadyHeld, toRelease]) {
    const held = await post(`/v1/orders/${orderId}/hold`, { reason: 'set-up: held' });
    expect(held.statusCode).toBe(200);
  }
  return { toHold, alreadyHeld, toRelease, toChangeShipTo, toDecide, toCancel };
}

async function stuckOrders(): Promise<World['stuck']> {
  // Own fixtures: the stuck runs hold their reservations, and the skipped one ships afterwards.
  const erpFixture = await createFixture(h.db);
  const mailFixture = await createFixture(h.db);
  const toRetry = await place(erpFixture, {}, (id) => erpDownFor.add(id));
  const notSkippable = await place(erpFixture, {}, (id) => erpDownFor.add(id));
  const toSkip = await place(mailFixture, {}, (id) => orderReceivedMailDownFor.add(id));
  await Promise.all([
    stuckAt(toRetry, 'create-erp-order'),
    stuckAt(notSkippable, 'create-erp-order'),
    stuckAt(toSkip, 'send-order-received'),
  ]);
  return { toRetry, toSkip, notSkippable };
}

async function deliveredOrderWithReturns(f: Fixture): Promise<Pick<World, 'delivered' | 'returns'>> {
  const orderId = await placeOrder(h, f);
  const shipmentId = `${orderId}-S1`;
  await awaitingDelivery(h, shipmentId);
  await deliverShipment(h, shipmentId);
  await h.waitForState(orderId, (s) => s.status === 'fulfilled');
  const invoiceId = `invoice-${shipmentId}`;
  await h.waitForState(invoiceId, (s) => s.status === 'sent');
  const warehouseId = (await h.db.shipment.findUniqueOrThrow({ where: { id: shipmentId } })).warehouseId;

  // 50 valves (1 075.00) need ops approval; 2 valves (43.00) are approved automatically.
  const open = async (quantity: number) => {
    const res = await post(`/v1/orders/${orderId}/returns`, {
      lines: [{ sku: f.sku.valve, quantity, reasonCode: 'DEFECTIVE' }],
    });
    expect(res.statusCode).toBe(202);
    return res.json().returnId as string;
  };
  // Return ids are sequential per order: the 7th and 8th meet a carrier outage booking their label.
  returnLabelDownFor.add(returnIdFor(orderId, 7)).add(returnIdFor(orderId, 8));
  const returns = {
    toApprove: await open(50),
    pendingApproval: await open(50),
    toReceive: await open(2),
    awaitingReceipt: await open(2),
    toInspect: await open(2),
    completed: await open(2),
    labelToRetry: await open(2),
    labelToSkip: await open(2),
  };
  expect([returns.labelToRetry, returns.labelToSkip].every((id) => returnLabelDownFor.has(id))).toBe(true);
  const waitingFor = (returnId: string, step: string) =>
    h.waitForState(returnId, (s) => stepOf(s, step)?.status === 'waiting');
  await Promise.all([
    waitingFor(returns.toApprove, 'approve-return'),
    waitingFor(returns.pendingApproval, 'approve-return'),
    waitingFor(returns.toReceive, 'await-receipt'),
    waitingFor(returns.awaitingReceipt, 'await-receipt'),
    ...[returns.labelToRetry, returns.labelToSkip].map((returnId) => stuckAt(returnId, 'book-return-label')),
    ...[returns.toInspect, returns.completed].map(async (returnId) => {
      await waitingFor(returnId, 'await-receipt');
      await h.temporal.workflow
        .getHandle(returnId)
        .executeUpdate(receiveReturn, { args: [{ warehouseId, receivedAt: new Date().toISOString() }] });
      await waitingFor(returnId, 'inspect-return');
    }),
  ]);
  await h.temporal.workflow
    .getHandle(returns.completed)
    .executeUpdate(inspectReturn, { args: [{ lines: [{ lineNo: 1, restock: 2, scrap: 0 }], actor: 'ops:set-up' }] });
  await h.waitForState(returns.completed, (s) => s.status === 'completed');
  return { delivered: { orderId, shipmentId, invoiceId, warehouseId }, returns };
}

async function invoicesInEveryState(f: Fixture): Promise<World['invoices']> {
  const order = await shippedOrder(
    h,
    f,
    Array.from({ length: 5 }, () => ({
      lines: [{ lineNo: 1, sku: 'valve' as const, quantity: 10 }],
      freightCostMinor: 0,
    })),
    { freightTerms: 'prepaid' },
  );
  const handles = await Promise.all(order.shipmentIds.map((id) => startInvoice(h, order, { shipmentIds: [id] })));
  await Promise.all(handles.map((handle) => h.waitForState(handle.workflowId, (s) => s.status === 'sent')));
  const [toPay, partlyPaid, toVoid, toWriteOff, paid] = handles as [
    (typeof handles)[0],
    (typeof handles)[0],
    (typeof handles)[0],
    (typeof handles)[0],
    (typeof handles)[0],
  ];
  await partlyPaid.executeUpdate(recordPayment, {
    args: [{ amountMinor: 1_000, receivedDate: TODAY(), reference: 'SETUP-PART' }],
  });
  const account = await paid.query(getInvoice);
  await paid.executeUpdate(recordPayment, {
    args: [{ amountMinor: account.balanceMinor, receivedDate: TODAY(), reference: 'SETUP-FULL' }],
  });
  expect((await paid.result()).status).toBe('paid');
  return {
    toPay: toPay.workflowId,
    partlyPaid: partlyPaid.workflowId,
    toVoid: toVoid.workflowId,
    toWriteOff: toWriteOff.workflowId,
    paid: paid.workflowId,
  };
}

async function stuckInvoices(): Promise<World['stuckInvoices']> {
  const f = await createFixture(h.db); // its own customer: the invoice lists of the others stay as they are
  const order = await shippedOrder(
    h,
    f,
    Array.from({ length: 2 }, () => ({
      lines: [{ lineNo: 1, sku: 'valve' as const, quantity: 1 }],
      freightCostMinor: 0,
    })),
    { freightTerms: 'prepaid' },
  );
  const [toRetry, toSkip] = order.shipmentIds.map((id) => `invoice-${id}`) as [string, string];
  invoiceErpDownFor.add(toRetry).add(toSkip);
  await Promise.all(order.shipmentIds.map((id) => startInvoice(h, order, { shipmentIds: [id] })));
  await Promise.all([stuckAt(toRetry, 'post-to-erp'), stuckAt(toSkip, 'post-to-erp')]);
  return { toRetry, toSkip };
}

beforeAll(async () => {
  h = await startHarness({
    payloadCodec: codec,
    activityOverrides: {
      createErpOrder: failingFor(erpDownFor, 'createErpOrder', 'ERP unavailable: 503 (injected)'),
      sendOrderReceivedEmail: failingFor(
        orderReceivedMailDownFor,
        'sendOrderReceivedEmail',
        'SMTP relay refused (injected)',
      ),
      postInvoiceToErp: failingForRun(invoiceErpDownFor, 'postInvoiceToErp', 'ERP unavailable: 503 (injected)'),
      bookReturnLabel: failingForRun(returnLabelDownFor, 'bookReturnLabel', 'carrier API unavailable (injected)'),
    },
  });
  ({ real, mail: mailForReal } = realActivities(h));

  // Fixtures one after another (they share the carriers' rows); runs in parallel.
  const f = {
    creditWait: await createFixture(h.db, { creditLimitMinor: 1_000 }),
    shipped: await createFixture(h.db),
    delivered: await createFixture(h.db),
    invoices: await createFixture(h.db),
    perPeriod: await createFixture(h.db),
    perPeriodIdle: await createFixture(h.db),
  };
  for (const customer of [f.perPeriod, f.perPeriodIdle]) {
    await h.db.customer.update({
      where: { id: customer.customerId },
      data: { invoiceGrouping: 'per-period', billingPeriod: 'monthly' },
    });
  }
  await h.temporal.workflow.start<typeof billingPeriodInvoicing>('billingPeriodInvoicing', {
    taskQueue: h.taskQueue,
    workflowId: billingPeriodIdFor(f.perPeriod.customerId),
    args: [{ customerId: f.perPeriod.customerId }],
  });
  const receiptId = `RCPT-${f.invoices.tag}`;
  await h.db.scheduledReceipt.create({
    data: {
      id: receiptId,
      warehouseId: f.invoices.warehouses.primary,
      sku: f.invoices.sku.gasket,
      kind: 'purchase',
      quantity: 50,
      dueDate: new Date(`${isoDay(6)}T00:00:00Z`),
    },
  });

  const shipped = await place(f.shipped);
  const toDeliver = await place(f.shipped);
  const [creditWait, stuck, deliveredAndReturns, invoices, stuckInvoiceRuns] = await Promise.all([
    creditWaitOrders(f.creditWait),
    stuckOrders(),
    deliveredOrderWithReturns(f.delivered),
    invoicesInEveryState(f.invoices),
    stuckInvoices(),
    shippedAndAwaitingDelivery(shipped),
    shippedAndAwaitingDelivery(toDeliver),
  ]);
  w = {
    f,
    creditWait,
    shipped,
    toDeliver,
    stuck,
    invoices,
    stuckInvoices: stuckInvoiceRuns,
    receiptId,
    ...deliveredAndReturns,
  };
}, 240_000);

afterAll(async () => {
  mailForReal?.close();
  await h?.stop();
});

// ---------------------------------------------------------------------------------------------------
// What a refusal looks like.

const statusKind: Record<number, ProblemKind> = {
  400: 'validation',
  404: 'notFound',
  409: 'conflict',
  422: 'businessRule',
};

/** The answer, as one object so a failure shows all of it. */
const answer = (res: InjectResponse) => ({
  status: res.statusCode,
  contentType: res.headers['content-type'],
  body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body,
});

/** 400 problem+json whose `errors` name `field` (with a message), found in `where` when the schema caught it. */
function expectInvalid(res: InjectResponse, field: string, where?: 'body' | 'params' | 'querystring'): void {
  expect(answer(res)).toMatchObject({
    status: 400,
    contentType: expect.stringContaining('application/problem+json'),
    body: {
      type: problemType('validation'),
      status: 400,
      detail: expect.stringContaining(field),
      errors: expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(/\S/) })]),
      ...(where ? { in: where } : {}),
    },
  });
}

/** 404/409/422 problem+json whose `detail` says why. */
function expectRefused(res: InjectResponse, status: 404 | 409 | 422, detail: string | RegExp): void {
  expect(answer(res)).toMatchObject({
    status,
    contentType: expect.stringContaining('application/problem+json'),
    body: {
      type: problemType(statusKind[status]!),
      status,
      detail: typeof detail === 'string' ? expect.stringContaining(detail) : expect.stringMatching(detail),
    },
  });
}

/** The status, and the JSON body to spot-check (the raw body shows in the failure message otherwise). */
function expectOk(res: InjectResponse, status = 200): any {
  expect({ status: res.statusCode, body: res.body.slice(0, 2000) }).toEqual({ status, body: expect.any(String) });
  return res.json();
}

const tooLong = (n: number) => 'x'.repeat(n);

// ---------------------------------------------------------------------------------------------------
// The matrix.

type Check = () => Promise<void>;
/** A kind of case that cannot apply to a route, and why. */
class NotApplicable {
  constructor(readonly why: string) {}
}
const none = (why: string) => new NotApplicable(why);

interface RouteCases {
  happy: Record<string, Check>;
  validation: Record<string, Check> | NotApplicable;
  /** State conflicts and business rules (409/422), and unknown ids (404): name those cases "unknown ...". */
  refusal: Record<string, Check> | NotApplicable;
}

const ROUTES: Record<string, RouteCases> = {
  // --- intake --------------------------------------------------------------------------------------
  'POST /v1/events/closed-won': {
    happy: {
      'accepts a new deal (202), links the order, and its workflow starts': async () => {
        const event = w.f.creditWait.event();
        const res = await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event });
        const orderId = orderIdForDeal(event.dealId);
        expect(expectOk(res, 202)).toMatchObject({
          orderId,
          workflowId: orderId,
          isDuplicate: false,
          links: { order: `/v1/orders/${orderId}` },
        });
        expect(res.headers.location).toBe(`/v1/orders/${orderId}`);
        expect((await h.waitForState(orderId, () => true)).id).toBe(orderId);
        const again = await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event });
        expect(expectOk(again, 200)).toMatchObject({ orderId, isDuplicate: true });
      },
    },
    validation: {
      'names a line with a negative quantity': async () => {
        const event = w.f.creditWait.event();
        const res = await h.app.inject({
          method: 'POST',
          url: '/v1/events/closed-won',
          payload: { ...event, lines: [{ ...event.lines[0], quantity: -2 }] },
        });
        expectInvalid(res, 'lines[0].quantity', 'body');
      },
      'names a deal id with characters it does not allow': async () => {
        expectInvalid(
          await h.app.inject({
            method: 'POST',
            url: '/v1/events/closed-won',
            payload: w.f.creditWait.event({ dealId: 'deal 1/2' }),
          }),
          'dealId',
          'body',
        );
      },
    },
    refusal: {
      'refuses the same deal with a different payload (409)': async () => {
        const event = w.f.creditWait.event();
        expectOk(await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event }), 202);
        await h.waitForState(orderIdForDeal(event.dealId), () => true);
        const changed = await h.app.inject({
          method: 'POST',
          url: '/v1/events/closed-won',
          payload: { ...event, poNumber: 'PO-CHANGED' },
        });
        expectRefused(changed, 409, `deal ${event.dealId} was already received with a different payload`);
        expect(changed.json().orderId).toBe(orderIdForDeal(event.dealId));
      },
    },
  },

  // --- reading orders ------------------------------------------------------------------------------
  'GET /v1/orders/:orderId': {
    happy: {
      'answers the stored order with its shipments and live workflow state': async () => {
        const view = expectOk(await get(`/v1/orders/${w.shipped}`));
        expect(view).toMatchObject({
          orderId: w.shipped,
          status: 'shipped',
          customer: { id: w.f.shipped.customerId },
          currency: 'USD',
          workflow: { id: w.shipped, status: 'shipped' },
        });
        expect(view.shipments[0]).toMatchObject({ shipmentId: `${w.shipped}-S1` });
        expect(view.totalMinor).toBeGreaterThan(0);
      },
    },
    validation: {
      'names an order id that is too long': async () =>
        expectInvalid(await get(`/v1/orders/${tooLong(81)}`), 'orderId', 'params'),
      'answers an id beyond what the router takes as problem+json, naming the path': async () =>
        expectInvalid(await get(`/v1/orders/${tooLong(201)}`), '(path)'),
    },
    refusal: {
      'unknown order: 404': async () =>
        expectRefused(await get('/v1/orders/order-NOPE-404'), 404, 'no order order-NOPE-404'),
    },
  },

  'GET /v1/orders': {
    happy: {
      "lists a customer's orders with their shipments": async () => {
        const page = expectOk(await get(`/v1/orders?customerId=${w.f.shipped.customerId}&sort=createdAt&limit=1`));
        expect(page.items).toEqual([
          expect.objectContaining({
            orderId: w.shipped,
            status: 'shipped',
            customer: expect.objectContaining({ id: w.f.shipped.customerId }),
          }),
        ]);
        expect(page.items[0].shipments[0].trackingNumber).toBeTruthy();
        expect(page.nextCursor).toEqual(expect.any(String)); // the customer's second order is on the next page
        const next = expectOk(
          await get(`/v1/orders?customerId=${w.f.shipped.customerId}&sort=createdAt&limit=1&cursor=${page.nextCursor}`),
        );
        expect(next.items.map((o: { orderId: string }) => o.orderId)).toEqual([w.toDeliver]);
      },
    },
    validation: {
      'names a boolean filter that is not true/false': async () =>
        expectInvalid(await get('/v1/orders?needsAttention=maybe'), 'needsAttention', 'querystring'),
      'names an unknown sort': async () => expectInvalid(await get('/v1/orders?sort=total'), 'sort', 'querystring'),
      'names a created-from that is not a date': async () =>
        expectInvalid(await get('/v1/orders?from=yesterday'), 'from', 'querystring'),
      'names a cursor the API did not issue': async () =>
        expectInvalid(await get('/v1/orders?cursor=not-a-cursor'), 'cursor'),
    },
    refusal: none('a filtered list: no id, no state to conflict with'),
  },

  'GET /v1/customers/:customerId/orders': {
    happy: {
      "lists the customer's orders, newest first": async () => {
        const page = expectOk(await get(`/v1/customers/${w.f.shipped.customerId}/orders`));
        expect(page.items.map((o: { orderId: string }) => o.orderId).sort()).toEqual([w.shipped, w.toDeliver].sort());
        expect(page.items[0]).toMatchObject({
          customer: { id: w.f.shipped.customerId },
          shipments: [expect.objectContaining({ carrierId: expect.any(String) })],
        });
      },
    },
    validation: {
      'names a limit out of range': async () =>
        expectInvalid(await get(`/v1/customers/${w.f.shipped.customerId}/orders?limit=0`), 'limit', 'querystring'),
      'names a customer id that is too long': async () =>
        expectInvalid(await get(`/v1/customers/${tooLong(65)}/orders`), 'customerId', 'params'),
    },
    refusal: {
      'unknown customer: 404': async () =>
        expectRefused(await get('/v1/customers/C-NOPE-404/orders'), 404, 'no customer C-NOPE-404'),
    },
  },

  'GET /v1/orders/:orderId/timeline': {
    happy: {
      'answers every run of the order, its transitions and ops actions': async () => {
        const timeline = expectOk(await get(`/v1/orders/${w.creditWait.alreadyHeld}/timeline`));
        expect(timeline.runs).toEqual([
          {
            runId: w.creditWait.alreadyHeld,
            state: expect.objectContaining({ hold: expect.objectContaining({ reason: 'set-up: held' }) }),
          },
        ]);
        expect(timeline.events).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ runId: w.creditWait.alreadyHeld, step: 'credit-check', to: 'completed' }),
          ]),
        );
        expect(timeline.actions).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ action: 'hold', reason: 'set-up: held', outcome: 'done' }),
          ]),
        );
      },
    },
    validation: {
      'names an order id that is too long': async () =>
        expectInvalid(await get(`/v1/orders/${tooLong(101)}/timeline`), 'orderId', 'params'),
    },
    refusal: {
      'unknown order: 404': async () =>
        expectRefused(await get('/v1/orders/order-NOPE-404/timeline'), 404, 'no order order-NOPE-404'),
    },
  },

  'GET /v1/orders/:orderId/crm-deliveries': {
    happy: {
      'answers the milestones queued for the CRM': async () => {
        const { milestones } = expectOk(await get(`/v1/orders/${w.shipped}/crm-deliveries`));
        expect(milestones.map((m: { milestone: string }) => m.milestone)).toEqual(
          expect.arrayContaining(['confirmed', 'shipped']),
        );
        expect(milestones[0]).toMatchObject({
          idempotencyKey: expect.any(String),
          attempts: expect.any(Number),
          deliveries: expect.any(Array),
        });
      },
    },
    validation: {
      'names an order id that is too long': async () =>
        expectInvalid(await get(`/v1/orders/${tooLong(101)}/crm-deliveries`), 'orderId', 'params'),
    },
    refusal: {
      'unknown order: 404': async () =>
        expectRefused(await get('/v1/orders/order-NOPE-404/crm-deliveries'), 404, 'no order order-NOPE-404'),
    },
  },

  'GET /v1/audit': {
    happy: {
      'answers the audit entries of one target, newest first': async () => {
        const page = expectOk(await get(`/v1/audit?targetId=${w.creditWait.alreadyHeld}`));
        const held = page.items.find((a: { outcome: string }) => a.outcome === 'done');
        expect(held).toMatchObject({
          action: 'hold',
          targetType: 'order',
          targetId: w.creditWait.alreadyHeld,
          reason: 'set-up: held',
          role: 'admin',
          id: expect.any(String),
        });
        expect(held.after).toMatchObject({ hold: { reason: 'set-up: held' } });
      },
    },
    validation: {
      'names a limit out of range': async () => expectInvalid(await get('/v1/audit?limit=201'), 'limit', 'querystring'),
      'names a cursor the API did not issue': async () =>
        expectInvalid(await get('/v1/audit?cursor=bm90LWpzb24'), 'cursor'),
    },
    refusal: none('a filtered list: no id, no state to conflict with'),
  },
  // --- codec server (Temporal Web UI and CLI) --------------------------------------------------------
  'POST /v1/codec/decode': {
    happy: {
      "decrypts a run's history payloads: the order's input, in the clear": async () => {
        const history = await h.temporal.workflow.getHandle(w.shipped).fetchHistory();
        const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
        expect(Buffer.from(input.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
        const sent = {
          metadata: Object.fromEntries(
            Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(input.data!).toString('base64'),
        };
        const [payload] = expectOk(await post('/v1/codec/decode', { payloads: [sent] })).payloads;
        expect(unb64(payload.metadata.encoding)).toBe('json/plain');
        expect(JSON.parse(unb64(payload.data))).toMatchObject({ customer: { id: w.f.shipped.customerId } });
      },
    },
    validation: {
      'names a payload whose data is not base64': async () =>
        expectInvalid(
          await post('/v1/codec/decode', { payloads: [{ metadata: {}, data: 'not base64!' }] }),
          'payloads[0].data',
          'body',
        ),
      'names a payload under a key id this server does not hold': async () => {
        const [foreign] = await new PayloadEncryptionCodec([{ id: 'k-elsewhere', key: randomBytes(32) }]).encode([
          { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('1') },
        ]);
        const sent = {
          metadata: Object.fromEntries(
            Object.entries(foreign!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(foreign!.data!).toString('base64'),
        };
        const res = await post('/v1/codec/decode', {
          payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('2') }, sent],
        });
        expectInvalid(res, 'payloads[1]');
        expect(res.json().detail).toContain('key id "k-elsewhere"');
      },
    },
    refusal: none('stateless: payloads in, payloads out; a payload it cannot decrypt is a 400 naming it'),
  },

  'POST /v1/codec/encode': {
    happy: {
      'encrypts payloads under the newest key, and they decrypt back': async () => {
        const plain = { metadata: { encoding: b64('json/plain') }, data: b64('{"from":"ui"}') };
        const [sealed] = expectOk(await post('/v1/codec/encode', { payloads: [plain] })).payloads;
        expect(unb64(sealed.metadata.encoding)).toBe(ENCRYPTED_ENCODING);
        expect(unb64(sealed.metadata['encryption-key-id'])).toBe('k-matrix');
        expect(expectOk(await post('/v1/codec/decode', { payloads: [sealed] })).payloads).toEqual([plain]);
      },
    },
    validation: {
      'names payloads that are not a list': async () =>
        expectInvalid(await post('/v1/codec/encode', { payloads: 'x' }), 'payloads', 'body'),
    },
    refusal: none('stateless: payloads in, payloads out'),
  },

  'GET /v1/timed-out-calls': {
    happy: {
      // Filled by a workflow call past its deadline (test/api/workflow-call-deadline.test.ts); none happen here.
      'answers a page of the calls that timed out for one run': async () => {
        expect(expectOk(await get(`/v1/timed-out-calls?workflowId=${w.invoices.paid}`))).toEqual({
          items: [],
          nextCursor: null,
        });
      },
    },
    validation: {
      'names a limit out of range': async () =>
        expectInvalid(await get('/v1/timed-out-calls?limit=0'), 'limit', 'querystring'),
      'names a cursor the API did not issue': async () =>
        expectInvalid(await get('/v1/timed-out-calls?cursor=bm90LWpzb24'), 'cursor'),
    },
    refusal: none('a filtered list: no id, no state to conflict with'),
  },

  // --- ops: stuck steps -------------------------------------------------------------------------------
  'POST /v1/orders/:orderId/steps/:step/retry': {
    happy: {
      'retries a step in needs_attention with a fresh budget': async () => {
        erpDownFor.delete(w.stuck.toRetry); // the ERP is back
        const state = expectOk(
          await post(`/v1/orders/${w.stuck.toRetry}/steps/create-erp-order/retry`, { reason: 'ERP back' }),
        );
        expect(state).toMatchObject({ id: w.stuck.toRetry, needsAttention: false });
        // The answer agrees with itself: the step no longer reads needs_attention either.
        expect(['retry_requested', 'running', 'completed']).toContain(stepOf(state, 'create-erp-order')?.status);
        const after = await h.waitForState(
          w.stuck.toRetry,
          (s) => stepOf(s, 'create-erp-order')?.status === 'completed',
        );
        expect(stepOf(after, 'create-erp-order')?.rounds).toBe(2);
      },
    },
    validation: {
      'names a step name that is too long': async () =>
        expectInvalid(
          await post(`/v1/orders/${w.stuck.notSkippable}/steps/${tooLong(81)}/retry`, {}),
          'step',
          'params',
        ),
      'names a reason that is not text': async () =>
        expectInvalid(
          await post(`/v1/orders/${w.stuck.notSkippable}/steps/create-erp-order/retry`, { reason: 42 }),
          'reason',
          'body',
        ),
    },
    refusal: {
      'refuses a step that is not in needs_attention (409)': async () =>
        expectRefused(
          await post(`/v1/orders/${w.shipped}/steps/reserve-stock/retry`, {}),
          409,
          'step "reserve-stock" is completed, not needs_attention',
        ),
      'refuses a step the run does not have (409)': async () =>
        expectRefused(
          await post(`/v1/orders/${w.shipped}/steps/no-such-step/retry`, {}),
          409,
          'step "no-such-step" is not part of this run',
        ),
      'unknown order: 404': async () =>
        expectRefused(
          await post('/v1/orders/order-NOPE-404/steps/reserve-stock/retry', {}),
          404,
          'no run order-NOPE-404',
        ),
      'an invoice id: 404 (invoices have their own step routes)': async () =>
        expectRefused(
          await post(`/v1/orders/${w.stuckInvoices.toRetry}/steps/post-to-erp/retry`, {}),
          404,
          `no run ${w.stuckInvoices.toRetry} among orders and shipments`,
        ),
    },
  },

  'POST /v1/orders/:orderId/steps/:step/skip': {
    happy: {
      'skips a skippable step with the reason; the order goes on': async () => {
        const state = expectOk(
          await post(`/v1/orders/${w.stuck.toSkip}/steps/send-order-received/skip`, {
            reason: 'customer told by phone',
          }),
        );
        expect(stepOf(state, 'send-order-received')).toMatchObject({
          status: 'skipped',
          skippedReason: 'customer told by phone',
        });
        expect(state.needsAttention).toBe(false);
      },
    },
    validation: {
      'names the missing reason': async () =>
        expectInvalid(
          await post(`/v1/orders/${w.stuck.notSkippable}/steps/create-erp-order/skip`, {}),
          'reason',
          'body',
        ),
      'names a blank reason': async () =>
        expectInvalid(
          await post(`/v1/orders/${w.stuck.notSkippable}/steps/create-erp-order/skip`, { reason: '   ' }),
          'reason',
          'body',
        ),
    },
    refusal: {
      'refuses a step declared not skippable (409)': async () => {
        expectRefused(
          await post(`/v1/orders/${w.stuck.notSkippable}/steps/create-erp-order/skip`, { reason: 'try anyway' }),
          409,
          'step "create-erp-order" cannot be skipped',
        );
        expect(stepOf(await h.waitForState(w.stuck.notSkippable, () => true), 'create-erp-order')?.status).toBe(
          'needs_attention',
        );
      },
      'unknown order: 404': async () =>
        expectRefused(
          await post('/v1/orders/order-NOPE-404/steps/send-order-received/skip', { reason: 'x' }),
          404,
          'no run order-NOPE-404',
        ),
      'a return id: 404 (returns have their own step routes)': async () =>
        expectRefused(
          await post(`/v1/orders/${w.returns.labelToSkip}/steps/book-return-label/skip`, { reason: 'x' }),
          404,
          `no run ${w.returns.labelToSkip} among orders and shipments`,
        ),
    },
  },

  'POST /v1/steps/:step/retry-all': {
    happy: {
      'counts the runs stuck on a step in a dry run': async () => {
        const result = expectOk(
          await post('/v1/steps/create-erp-order/retry-all', { reason: 'ERP back', dryRun: true }),
        );
        expect(result).toMatchObject({ step: 'create-erp-order', dryRun: true, stuck: expect.any(Number) });
        expect(result.runs).toEqual(expect.arrayContaining([{ runId: w.stuck.notSkippable, outcome: 'would retry' }]));
        expect(result.stuck).toBe(result.runs.length);
      },
    },
    validation: {
      'names the missing reason': async () =>
        expectInvalid(await post('/v1/steps/create-erp-order/retry-all', { dryRun: true }), 'reason', 'body'),
      'names a dryRun that is not a boolean': async () =>
        expectInvalid(
          await post('/v1/steps/create-erp-order/retry-all', { reason: 'x', dryRun: 'yes' }),
          'dryRun',
          'body',
        ),
    },
    refusal: none(
      'a bulk action over whatever is stuck: each run refused is reported in the 200 body, and a step nothing is stuck on counts 0',
    ),
  },

  // --- ops: order control -----------------------------------------------------------------------------
  'POST /v1/orders/:orderId/cancel': {
    happy: {
      'cancels an order before shipment': async () => {
        const state = expectOk(
          await post(`/v1/orders/${w.creditWait.toCancel}/cancel`, { reason: 'customer withdrew PO' }),
        );
        expect(state).toMatchObject({
          id: w.creditWait.toCancel,
          status: 'cancelled',
          cancelReason: 'customer withdrew PO',
        });
      },
    },
    validation: {
      'names a blank reason': async () =>
        expectInvalid(await post(`/v1/orders/${w.creditWait.toCancel}/cancel`, { reason: ' ' }), 'reason', 'body'),
    },
    refusal: {
      'refuses once shipped: a return is needed (422)': async () =>
        expectRefused(
          await post(`/v1/orders/${w.shipped}/cancel`, { reason: 'customer withdrew PO' }),
          422,
          'order has shipped: create a return instead of cancelling',
        ),
      'unknown order: 404': async () =>
        expectRefused(await post('/v1/orders/order-NOPE-404/cancel', { reason: 'x' }), 404, 'no run order-NOPE-404'),
      'an invoice id: 404': async () =>
        expectRefused(
          await post(`/v1/orders/${w.invoices.toPay}/cancel`, { reason: 'x' }),
          404,
          `no run ${w.invoices.toPay} among orders and shipments`,
        ),
    },
  },

  'POST /v1/orders/:orderId/hold': {
    happy: {
      'holds an order': async () => {
        const state = expectOk(
          await post(`/v1/orders/${w.creditWait.toHold}/hold`, { reason: 'customer disputes address' }),
        );
        expect(state.hold).toMatchObject({
          reason: 'customer disputes address',
          actor: expect.stringMatching(/^admin:/),
        });
      },
    },
    validation: {
      'names the missing reason': async () =>
        expectInvalid(await post(`/v1/orders/${w.creditWait.toHold}/hold`, {}), 'reason', 'body'),
    },
    refusal: {
      'refuses an order already on hold (409)': async () =>
        expectRefused(
          await post(`/v1/orders/${w.creditWait.alreadyHeld}/hold`, { reason: 'twice' }),
          409,
          'order is already on hold',
        ),
      'unknown order: 404': async () =>
        expectRefused(await post('/v1/orders/order-NOPE-404/hold', { reason: 'x' }), 404, 'no run order-NOPE-404'),
    },
  },

  'POST /v1/orders/:orderId/release': {
    happy: {
      'releases a held order': async () => {
        const state = expectOk(
          await post(`/v1/orders/${w.creditWait.toRelease}/release`, { reason: 'address confirmed' }),
        );
        expect(state).toMatchObject({ id: w.creditWait.toRelease });
        expect(state.hold).toBeUndefined();
      },
    },
    validation: {
      'names a reason that is not text': async () =>
        expectInvalid(await post(`/v1/orders/${w.creditWait.toRelease}/release`, { reason: 5 }), 'reason', 'body'),
    },
    refusal: {
      'refuses an order that is not on hold (409)': async () =>
        expectRefused(await post(`/v1/orders/${w.shipped}/release`, {}), 409, 'order is not on hold'),
      'unknown order: 404': async () =>
        expectRefused(await post('/v1/orders/order-NOPE-404/release', {}), 404, 'no run order-NOPE-404'),
    },
  },

  'PATCH /v1/orders/:orderId/ship-to': {
    happy: {
      'changes the address before release to the warehouse': async () => {
        const state = expectOk(
          await patch(`/v1/orders/${w.creditWait.toChangeShipTo}/ship-to`, {
            shipTo: NEW_ADDRESS,
            reason: 'receiving moved to Dayton',
          }),
        );
        expect(state).toMatchObject({ id: w.creditWait.toChangeShipTo, status: 'credit_hold' });
        const noted = await h.db.stepEvent.findMany({
          where: { workflowId: w.creditWait.toChangeShipTo, toStatus: 'ship_to_changed' },
        });
        expect(noted.map((e) => e.reason)).toEqual(['receiving moved to Dayton']);
      },
    },
    validation: {
      'names a country that is not ISO 3166 alpha-2': async () =>
        expectInvalid(
          await patch(`/v1/orders/${w.creditWait.toChangeShipTo}/ship-to`, {
            shipTo: { ...NEW_ADDRESS, country: 'USA' },
            reason: 'moved',
          }),
          'shipTo.country',
          'body',
        ),
      'names a missing address line': async () => {
        const { line1: _omitted, ...withoutLine1 } = NEW_ADDRESS;
        expectInvalid(
          await patch(`/v1/orders/${w.creditWait.toChangeShipTo}/ship-to`, { shipTo: withoutLine1, reason: 'moved' }),
          'shipTo.line1',
          'body',
        );
      },
    },
    refusal: {
      'refuses once shipments are released to the warehouse (422)': async () =>
        expectRefused(
          await patch(`/v1/orders/${w.shipped}/ship-to`, { shipTo: NEW_ADDRESS, reason: 'too late' }),
          422,
          'released to the warehouse',
        ),
      'unknown order: 404': async () =>
        expectRefused(
          await patch('/v1/orders/order-NOPE-404/ship-to', { shipTo: NEW_ADDRESS, reason: 'x' }),
          404,
          'no run order-NOPE-404',
        ),
    },
  },

  'POST /v1/orders/:orderId/credit-decision': {
    happy: {
      'approves an order on credit hold': async () => {
        const state = expectOk(
          await post(`/v1/orders/${w.creditWait.toDecide}/credit-decision`, {
            decision: 'approve',
            reason: 'deposit received',
          }),
        );
        expect(stepOf(state, 'credit-approval')?.status).toBe('completed');
      },
    },
    validation: {
      'names a decision that is neither approve nor reject': async () =>
        expectInvalid(
          await post(`/v1/orders/${w.creditWait.toDecide}/credit-decision`, { decision: 'maybe', reason: 'x' }),
          'decision',
          'body',
        ),
    },
    refusal: {
      'refuses an order not waiting for a decision (409)': async () =>
        expectRefused(
          await post(`/v1/orders/${w.shipped}/credit-decision`, { decision: 'approve', reason: 'x' }),
          409,
          'not waiting for a credit decision',
        ),
      'unknown order: 404': async () =>
        expectRefused(
          await post('/v1/orders/order-NOPE-404/credit-decision', { decision: 'approve', reason: 'x' }),
          404,
          'no run order-NOPE-404',
        ),
    },
  },

  'POST /v1/orders/:orderId/delivery': {
    happy: {
      'records proof of delivery for a shipment': async () => {
        const shipmentId = `${w.toDeliver}-S1`;
        const state = expectOk(
          await post(`/v1/orders/${w.toDeliver}/delivery`, {
            shipmentId,
            signer: 'Dock 4',
            deliveredAt: new Date().toISOString(),
          }),
        );
        expect(state.id).toBe(shipmentId);
        // Answered once the step is done: the answer is the shipment's state after delivery.
        expect(state.status).toBe('delivered');
        expect(stepOf(state, 'await-delivery')?.status).toBe('completed');
      },
    },
    validation: {
      'names a delivery time that is not ISO 8601': async () =>
        expectInvalid(
          await post(`/v1/orders/${w.toDeliver}/delivery`, {
            shipmentId: `${w.toDeliver}-S1`,
            signer: 'Dock 4',
            deliveredAt: 'yesterday',
          }),
          'deliveredAt',
          'body',
        ),
      'names an exception of an unknown type': async () =>
        expectInvalid(
          await post(`/v1/orders/${w.toDeliver}/delivery`, {
            shipmentId: `${w.toDeliver}-S1`,
            signer: 'Dock 4',
            deliveredAt: new Date().toISOString(),
            exceptions: [{ lineNo: 1, type: 'lost', quantity: 1 }],
          }),
          'exceptions[0].type',
          'body',
        ),
    },
    refusal: {
      'refuses a second delivery of the same shipment (409)': async () =>
        expectRefused(
          await post(`/v1/orders/${w.delivered.orderId}/delivery`, {
            shipmentId: w.delivered.shipmentId,
            signer: 'Dock 4',
            deliveredAt: new Date().toISOString(),
          }),
          409,
          /has finished|not awaiting delivery/,
        ),
      'a shipment of another order: 404': async () =>
        expectRefused(
          await post(`/v1/orders/${w.toDeliver}/delivery`, {
            shipmentId: `${w.shipped}-S1`,
            signer: 'Dock 4',
            deliveredAt: new Date().toISOString(),
          }),
          404,
          'does not belong to order',
        ),
      'unknown shipment: 404': async () =>
        expectRefused(
          await post(`/v1/orders/${w.shipped}/delivery`, {
            shipmentId: `${w.shipped}-S9`,
            signer: 'Dock 4',
            deliveredAt: new Date().toISOString(),
          }),
          404,
          `no run ${w.shipped}-S9`,
        ),
    },
  },

  'POST /v1/receipts': {
    happy: {
      'books a scheduled receipt into stock': async () => {
        const before = await h.db.stock.findUniqueOrThrow({
          where: { warehouseId_sku: { warehouseId: w.f.invoices.warehouses.primary, sku: w.f.invoices.sku.gasket } },
        });
        const result = expectOk(await post('/v1/receipts', { receiptId: w.receiptId }));
        expect(result).toEqual({
          receiptId: w.receiptId,
          sku: w.f.invoices.sku.gasket,
          warehouseId: w.f.invoices.warehouses.primary,
          quantity: 50,
          notifiedOrders: [],
          failedOrders: [],
        });
        const after = await h.db.stock.findUniqueOrThrow({
          where: { warehouseId_sku: { warehouseId: w.f.invoices.warehouses.primary, sku: w.f.invoices.sku.gasket } },
        });
        expect(after.onHand - before.onHand).toBe(50);
      },
    },
    validation: {
      'names the missing receipt id': async () => expectInvalid(await post('/v1/receipts', {}), 'receiptId', 'body'),
      'names a receipt id that is not text': async () =>
        expectInvalid(await post('/v1/receipts', { receiptId: 7 }), 'receiptId', 'body'),
    },
    refusal: {
      'unknown receipt: 404': async () =>
        expectRefused(
          await post('/v1/receipts', { receiptId: 'RCPT-NOPE-404' }),
          404,
          'no scheduled receipt RCPT-NOPE-404',
        ),
    },
  },

  'GET /v1/dev/mail': {
    happy: {
      'answers the captured e-mails to one address': async () => {
        const to = w.f.shipped.event().customer.billingContact.email;
        const inbox = expectOk(await get(`/v1/dev/mail?to=${encodeURIComponent(to)}&limit=5`));
        expect(inbox.count).toBeGreaterThan(0);
        expect(inbox.messages[0]).toMatchObject({ subject: expect.any(String), to: expect.arrayContaining([to]) });
      },
    },
    validation: {
      'names a limit out of range': async () =>
        expectInvalid(await get('/v1/dev/mail?limit=0'), 'limit', 'querystring'),
    },
    refusal: none('a read of the capture inbox: no id, no state'),
  },

  // --- finance: invoices ------------------------------------------------------------------------------
  'GET /v1/invoices': {
    happy: {
      "lists a customer's invoices with their balances": async () => {
        const page = expectOk(await get(`/v1/invoices?customerId=${w.f.invoices.customerId}&limit=200`));
        expect(page.items.map((i: { invoiceId: string }) => i.invoiceId).sort()).toEqual(
          Object.values(w.invoices).sort(),
        );
        expect(page.items.find((i: { invoiceId: string }) => i.invoiceId === w.invoices.partlyPaid)).toMatchObject({
          status: 'partially_paid',
          paidMinor: 1_000,
          invoiceNumber: expect.stringMatching(/^INV-/),
          dueDate: expect.any(String),
          currency: 'USD',
        });
      },
    },
    validation: {
      'names a status that does not exist': async () =>
        expectInvalid(await get('/v1/invoices?status=unpaid'), 'status', 'querystring'),
      'names a due date that is not a date': async () =>
        expectInvalid(await get('/v1/invoices?dueFrom=2026-02-30x'), 'dueFrom', 'querystring'),
      'names an overdue filter that is not true/false': async () =>
        expectInvalid(await get('/v1/invoices?overdue=yes'), 'overdue', 'querystring'),
    },
    refusal: none('a filtered list: no id, no state to conflict with'),
  },

  'GET /v1/invoices/:invoiceId': {
    happy: {
      'answers one invoice with its payments and timeline': async () => {
        const invoice = expectOk(await get(`/v1/invoices/${w.invoices.partlyPaid}`));
        expect(invoice).toMatchObject({
          invoiceId: w.invoices.partlyPaid,
          status: 'partially_paid',
          paidMinor: 1_000,
          paymentTerms: 'NET30',
        });
        expect(invoice.balanceMinor).toBe(invoice.totalMinor - 1_000);
        expect(invoice.payments).toEqual([expect.objectContaining({ reference: 'SETUP-PART', amountMinor: 1_000 })]);
        expect(invoice.timeline.map((e: { to: string }) => e.to)).toEqual(
          expect.arrayContaining(['issued', 'sent', 'partially_paid']),
        );
      },
    },
    validation: {
      'names an invoice id that is too long': async () =>
        expectInvalid(await get(`/v1/invoices/${tooLong(141)}`), 'invoiceId', 'params'),
    },
    refusal: {
      'unknown invoice: 404': async () =>
        expectRefused(await get('/v1/invoices/invoice-NOPE-404'), 404, 'no invoice invoice-NOPE-404'),
    },
  },

  'GET /v1/invoices/:invoiceId/pdf': {
    happy: {
      'answers the invoice PDF': async () => {
        const res = await get(`/v1/invoices/${w.invoices.toPay}/pdf`);
        expect({ status: res.statusCode, contentType: res.headers['content-type'] }).toEqual({
          status: 200,
          contentType: 'application/pdf',
        });
        expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
        expect(res.headers['content-disposition']).toMatch(/^inline; filename="INV-.+\.pdf"$/);
      },
    },
    validation: {
      'names an invoice id that is too long': async () =>
        expectInvalid(await get(`/v1/invoices/${tooLong(141)}/pdf`), 'invoiceId', 'params'),
    },
    refusal: {
      'unknown invoice: 404': async () =>
        expectRefused(await get('/v1/invoices/invoice-NOPE-404/pdf'), 404, 'no invoice invoice-NOPE-404'),
    },
  },

  'POST /v1/invoices/:invoiceId/payments': {
    happy: {
      'records a partial payment': async () => {
        const total = (await h.temporal.workflow.getHandle(w.invoices.toPay).query(getInvoice)).totalMinor;
        const paid = expectOk(
          await post(`/v1/invoices/${w.invoices.toPay}/payments`, {
            amountMinor: 2_500,
            receivedDate: TODAY(),
            reference: 'WIRE-MATRIX-1',
          }),
        );
        expect(paid).toMatchObject({
          invoiceId: w.invoices.toPay,
          status: 'partially_paid',
          paidMinor: 2_500,
          totalMinor: total,
          balanceMinor: total - 2_500,
        });
      },
    },
    validation: {
      'names an amount that is not a whole number': async () =>
        expectInvalid(
          await post(`/v1/invoices/${w.invoices.toPay}/payments`, {
            amountMinor: 10.5,
            receivedDate: TODAY(),
            reference: 'WIRE-BAD',
          }),
          'amountMinor',
          'body',
        ),
      'names a received date that is not a date': async () =>
        expectInvalid(
          await post(`/v1/invoices/${w.invoices.toPay}/payments`, {
            amountMinor: 100,
            receivedDate: '2026-13-01',
            reference: 'WIRE-BAD',
          }),
          'receivedDate',
          'body',
        ),
      'names the missing reference': async () =>
        expectInvalid(
          await post(`/v1/invoices/${w.invoices.toPay}/payments`, { amountMinor: 100, receivedDate: TODAY() }),
          'reference',
          'body',
        ),
    },
    refusal: {
      'refuses an overpayment, naming the balance (422)': async () => {
        const { balanceMinor } = await h.temporal.workflow.getHandle(w.invoices.partlyPaid).query(getInvoice);
        expectRefused(
          await post(`/v1/invoices/${w.invoices.partlyPaid}/payments`, {
            amountMinor: balanceMinor + 1,
            receivedDate: TODAY(),
            reference: 'WIRE-OVER',
          }),
          422,
          'exceeds the open balance',
        );
      },
      'refuses a payment on a paid invoice whose run is over (409)': async () =>
        expectRefused(
          await post(`/v1/invoices/${w.invoices.paid}/payments`, {
            amountMinor: 100,
            receivedDate: TODAY(),
            reference: 'WIRE-LATE',
          }),
          409,
          `${w.invoices.paid} has finished`,
        ),
      'unknown invoice: 404': async () =>
        expectRefused(
          await post('/v1/invoices/invoice-NOPE-404/payments', {
            amountMinor: 100,
            receivedDate: TODAY(),
            reference: 'WIRE-X',
          }),
          404,
          'no run invoice-NOPE-404',
        ),
    },
  },

  'POST /v1/invoices/:invoiceId/void': {
    happy: {
      'voids an issued invoice nothing was paid on': async () => {
        expect(
          expectOk(await post(`/v1/invoices/${w.invoices.toVoid}/void`, { reason: 'billed to the wrong entity' })),
        ).toEqual({ invoiceId: w.invoices.toVoid, status: 'void', balanceMinor: 0 });
      },
    },
    validation: {
      'names the missing reason': async () =>
        expectInvalid(await post(`/v1/invoices/${w.invoices.toVoid}/void`, {}), 'reason', 'body'),
    },
    refusal: {
      'refuses an invoice with payments applied (422)': async () =>
        expectRefused(
          await post(`/v1/invoices/${w.invoices.partlyPaid}/void`, { reason: 'x' }),
          422,
          'has payments applied: issue a credit memo instead of voiding it',
        ),
      'refuses a paid invoice whose run is over (409)': async () =>
        expectRefused(
          await post(`/v1/invoices/${w.invoices.paid}/void`, { reason: 'x' }),
          409,
          `${w.invoices.paid} has finished (completed)`,
        ),
      'unknown invoice: 404': async () =>
        expectRefused(
          await post('/v1/invoices/invoice-NOPE-404/void', { reason: 'x' }),
          404,
          'no run invoice-NOPE-404',
        ),
    },
  },

  'POST /v1/invoices/:invoiceId/steps/:step/retry': {
    happy: {
      'retries an invoice step in needs_attention; it then completes': async () => {
        invoiceErpDownFor.delete(w.stuckInvoices.toRetry); // the ERP is back
        const state = expectOk(
          await post(`/v1/invoices/${w.stuckInvoices.toRetry}/steps/post-to-erp/retry`, { reason: 'ERP back' }),
        );
        expect(['retry_requested', 'running', 'completed']).toContain(stepOf(state, 'post-to-erp')?.status);
        await h.waitForState(w.stuckInvoices.toRetry, (s) => stepOf(s, 'post-to-erp')?.status === 'completed');
      },
    },
    validation: {
      'names a reason that is not text': async () =>
        expectInvalid(
          await post(`/v1/invoices/${w.stuckInvoices.toSkip}/steps/post-to-erp/retry`, { reason: 42 }),
          'reason',
          'body',
        ),
    },
    refusal: {
      'refuses a step that is not in needs_attention (409)': async () =>
        expectRefused(
          await post(`/v1/invoices/${w.stuckInvoices.toSkip}/steps/send-invoice/retry`, {}),
          409,
          /step "send-invoice" is \w+, not needs_attention/,
        ),
      'an order id: 404 (orders have their own step routes)': async () =>
        expectRefused(
          await post(`/v1/invoices/${w.shipped}/steps/reserve-stock/retry`, {}),
          404,
          `no run ${w.shipped} among invoices`,
        ),
    },
  },

  'POST /v1/invoices/:invoiceId/steps/:step/skip': {
    happy: {
      'skips a skippable invoice step with the reason': async () => {
        const state = expectOk(
          await post(`/v1/invoices/${w.stuckInvoices.toSkip}/steps/post-to-erp/skip`, {
            reason: 'posted by hand in the ERP',
          }),
        );
        expect(stepOf(state, 'post-to-erp')).toMatchObject({
          status: 'skipped',
          skippedReason: 'posted by hand in the ERP',
        });
      },
    },
    validation: {
      'names a blank reason': async () =>
        expectInvalid(
          await post(`/v1/invoices/${w.stuckInvoices.toSkip}/steps/post-to-erp/skip`, { reason: ' ' }),
          'reason',
          'body',
        ),
    },
    refusal: {
      'unknown invoice: 404': async () =>
        expectRefused(
          await post('/v1/invoices/invoice-NOPE-404/steps/post-to-erp/skip', { reason: 'x' }),
          404,
          'no run invoice-NOPE-404',
        ),
      'a shipment id: 404': async () =>
        expectRefused(
          await post(`/v1/invoices/${w.delivered.shipmentId}/steps/await-delivery/skip`, { reason: 'x' }),
          404,
          `no run ${w.delivered.shipmentId} among invoices`,
        ),
    },
  },

  'POST /v1/invoices/:invoiceId/write-off': {
    happy: {
      'writes off the open balance': async () => {
        const written = expectOk(
          await post(`/v1/invoices/${w.invoices.toWriteOff}/write-off`, { reason: 'customer insolvent' }),
        );
        expect(written).toMatchObject({ invoiceId: w.invoices.toWriteOff, status: 'written_off' });
      },
    },
    validation: {
      'names a blank reason': async () =>
        expectInvalid(await post(`/v1/invoices/${w.invoices.toWriteOff}/write-off`, { reason: '' }), 'reason', 'body'),
    },
    refusal: {
      'refuses a paid invoice whose run is over (409)': async () =>
        expectRefused(
          await post(`/v1/invoices/${w.invoices.paid}/write-off`, { reason: 'x' }),
          409,
          `${w.invoices.paid} has finished (completed)`,
        ),
      'unknown invoice: 404': async () =>
        expectRefused(
          await post('/v1/invoices/invoice-NOPE-404/write-off', { reason: 'x' }),
          404,
          'no run invoice-NOPE-404',
        ),
    },
  },

  // --- the console's reads --------------------------------------------------------------------------
  'GET /v1/me': {
    happy: {
      "answers the key's role and the routes it may call": async () => {
        const me = expectOk(await get('/v1/me'));
        expect(me).toMatchObject({
          keyId: expect.any(String),
          role: 'admin',
          permissions: expect.arrayContaining(['GET /v1/me', 'POST /v1/orders/:orderId/steps/:step/retry']),
        });
      },
    },
    validation: none('takes no input'),
    refusal: none('reads the calling key only: no id, no state'),
  },

  'GET /v1/work-queue': {
    happy: {
      'answers every section in order, with the stuck orders and credit holds of the set-up': async () => {
        const queue = expectOk(await get('/v1/work-queue'));
        expect(queue.sections.map((s: { key: string }) => s.key)).toEqual([
          'needs_attention',
          'sla_breached',
          'sla_at_risk',
          'credit_hold',
          'on_hold',
          'backorders_late',
          'returns_awaiting',
          'invoices_escalated',
          'webhooks_failed',
        ]);
        const section = (key: string) => queue.sections.find((s: { key: string }) => s.key === key);
        expect(section('needs_attention').items.map((i: { objectId: string }) => i.objectId)).toEqual(
          expect.arrayContaining([w.stuck.notSkippable]),
        );
        // Held by the set-up while waiting for its credit decision, which no case takes.
        expect(section('credit_hold').items.map((i: { objectId: string }) => i.objectId)).toEqual(
          expect.arrayContaining([w.creditWait.alreadyHeld]),
        );
        expect(section('on_hold').items.map((i: { objectId: string }) => i.objectId)).toEqual(
          expect.arrayContaining([w.creditWait.alreadyHeld]),
        );
      },
    },
    validation: none('takes no input'),
    refusal: none('a read of what needs a person: no id, no state to conflict with'),
  },

  'GET /v1/customers': {
    happy: {
      'finds a customer by part of its name, any case': async () => {
        const page = expectOk(await get(`/v1/customers?q=${w.f.shipped.tag.toLowerCase()}`));
        expect(page.items).toEqual([
          expect.objectContaining({ customerId: w.f.shipped.customerId, openOrderCount: expect.any(Number) }),
        ]);
      },
    },
    validation: {
      'names an empty search': async () => expectInvalid(await get('/v1/customers?q='), 'q', 'querystring'),
      'names a cursor the API did not issue': async () =>
        expectInvalid(await get('/v1/customers?cursor=bm90LWpzb24'), 'cursor'),
    },
    refusal: none('a filtered list: no id, no state to conflict with'),
  },

  'GET /v1/customers/:customerId': {
    happy: {
      "answers the customer's 360 view with its orders and open invoices": async () => {
        const view = expectOk(await get(`/v1/customers/${w.f.invoices.customerId}`));
        expect(view.customer).toMatchObject({ customerId: w.f.invoices.customerId });
        expect(view.openInvoices.map((i: { invoiceId: string }) => i.invoiceId)).toEqual(
          expect.arrayContaining([w.invoices.toPay, w.invoices.partlyPaid]),
        );
        expect(view.openInvoices.map((i: { invoiceId: string }) => i.invoiceId)).not.toContain(w.invoices.paid);
        expect(view.counts.openInvoices).toBe(view.openInvoices.length);
      },
    },
    validation: {
      'names a customer id with characters it does not allow': async () =>
        expectInvalid(await get('/v1/customers/bad%20id!'), 'customerId', 'params'),
    },
    refusal: {
      'unknown customer: 404': async () =>
        expectRefused(await get('/v1/customers/C-NOPE-404'), 404, 'no customer C-NOPE-404'),
    },
  },

  // --- finance: billing periods -----------------------------------------------------------------------
  'GET /v1/customers/:customerId/billing-period': {
    happy: {
      "answers a per-period customer's open period": async () => {
        const period = expectOk(await get(`/v1/customers/${w.f.perPeriod.customerId}/billing-period`));
        expect(period).toMatchObject({
          customerId: w.f.perPeriod.customerId,
          invoiceGrouping: 'per-period',
          billingPeriod: 'monthly',
          current: { label: billingPeriodAt('monthly', new Date()).label, closesAt: expect.any(String) },
          waiting: [],
        });
      },
    },
    validation: {
      'names a customer id with characters it does not allow': async () =>
        expectInvalid(await get('/v1/customers/bad%20id!/billing-period'), 'customerId', 'params'),
    },
    refusal: {
      'unknown customer: 404': async () =>
        expectRefused(await get('/v1/customers/C-NOPE-404/billing-period'), 404, 'no customer C-NOPE-404'),
    },
  },

  'POST /v1/customers/:customerId/billing-period/close': {
    happy: {
      'closes the open period now': async () => {
        const label = billingPeriodAt('monthly', new Date()).label;
        const closed = expectOk(
          await post(`/v1/customers/${w.f.perPeriod.customerId}/billing-period/close`, {
            reason: 'month-end brought forward',
          }),
        );
        expect(closed).toMatchObject({ label, closedAt: expect.any(String), invoiceIds: [], shipmentIds: [] });
      },
    },
    validation: {
      'names the missing reason': async () =>
        expectInvalid(
          await post(`/v1/customers/${w.f.perPeriod.customerId}/billing-period/close`, {}),
          'reason',
          'body',
        ),
    },
    refusal: {
      'refuses a customer not billed per period (422)': async () =>
        expectRefused(
          await post(`/v1/customers/${w.f.invoices.customerId}/billing-period/close`, { reason: 'x' }),
          422,
          new RegExp(`^customer ${w.f.invoices.customerId} is invoiced per-(order|shipment), not per period$`),
        ),
      'refuses a per-period customer whose first period has not opened (409)': async () =>
        expectRefused(
          await post(`/v1/customers/${w.f.perPeriodIdle.customerId}/billing-period/close`, { reason: 'x' }),
          409,
          'has no open billing period yet',
        ),
      'unknown customer: 404': async () =>
        expectRefused(
          await post('/v1/customers/C-NOPE-404/billing-period/close', { reason: 'x' }),
          404,
          'no customer C-NOPE-404',
        ),
    },
  },

  // --- finance: reports -------------------------------------------------------------------------------
  'GET /v1/reports/ar-aging': {
    happy: {
      'buckets open receivables per customer (JSON and CSV)': async () => {
        const asOf = isoDay(45); // NET30 invoices issued today are 15 days past due
        const report = expectOk(await get(`/v1/reports/ar-aging?asOf=${asOf}`));
        expect(report.asOf).toBe(asOf);
        const row = report.rows.find((r: { customerId: string }) => r.customerId === w.f.delivered.customerId);
        expect(row).toMatchObject({ customerName: expect.any(String), currency: 'USD', current: 0, d31_60: 0 });
        expect(row.d1_30).toBeGreaterThan(0);
        expect(row.totalMinor).toBe(row.d1_30);
        expect(report.totals).toEqual(
          expect.arrayContaining([expect.objectContaining({ currency: 'USD', totalMinor: expect.any(Number) })]),
        );
        const csv = await get(`/v1/reports/ar-aging?asOf=${asOf}&format=csv`);
        expect({ status: csv.statusCode, contentType: csv.headers['content-type'] }).toEqual({
          status: 200,
          contentType: expect.stringContaining('text/csv'),
        });
        expect(csv.body).toContain(w.f.delivered.customerId);
      },
    },
    validation: {
      'names an as-of date that is not a date': async () =>
        expectInvalid(await get('/v1/reports/ar-aging?asOf=2026-13-45'), 'asOf', 'querystring'),
      'names an unknown format': async () =>
        expectInvalid(await get('/v1/reports/ar-aging?format=xlsx'), 'format', 'querystring'),
    },
    refusal: none('a report over all customers: no id, no state to conflict with'),
  },

  'GET /v1/kpis': {
    happy: {
      'answers the KPIs overall and per customer': async () => {
        const day = TODAY();
        const kpis = expectOk(await get(`/v1/kpis?from=${day}&to=${day}&customerId=${w.f.shipped.customerId}`));
        expect(kpis).toMatchObject({ from: day, to: day, overall: { orders: 2 } });
        expect(Object.keys(kpis.overall).sort()).toEqual([
          'cycleTimeHours',
          'daysSalesOutstanding',
          'daysSalesOutstandingByCurrency',
          'orders',
          'otifPercent',
          'slaBreachPercent',
          'timeToInvoiceHours',
        ]);
        expect(kpis.customers).toEqual([expect.objectContaining({ customerId: w.f.shipped.customerId, orders: 2 })]);
      },
    },
    validation: {
      'names the missing from': async () => expectInvalid(await get(`/v1/kpis?to=${TODAY()}`), 'from', 'querystring'),
      'names a from after to': async () => expectInvalid(await get('/v1/kpis?from=2026-12-31&to=2026-01-01'), 'from'),
    },
    refusal: none('a report over a date range: no id, no state to conflict with'),
  },

  // --- returns ----------------------------------------------------------------------------------------
  'POST /v1/orders/:orderId/returns': {
    happy: {
      'opens a return for a delivered order (202) and links it': async () => {
        const res = await post(`/v1/orders/${w.delivered.orderId}/returns`, {
          lines: [{ sku: w.f.delivered.sku.gasket, quantity: 10, reasonCode: 'NOT_NEEDED' }],
        });
        const opened = expectOk(res, 202);
        expect(opened.returnId).toMatch(new RegExp(`^return-${w.delivered.orderId}-\\d+$`));
        expect(opened.links).toEqual({ return: `/v1/returns/${opened.returnId}` });
        expect(res.headers.location).toBe(opened.links.return);
        expect((await h.waitForState(opened.returnId, () => true)).id).toBe(opened.returnId);
      },
    },
    validation: {
      'names an empty list of lines': async () =>
        expectInvalid(await post(`/v1/orders/${w.delivered.orderId}/returns`, { lines: [] }), 'lines', 'body'),
      'names a line with quantity 0': async () =>
        expectInvalid(
          await post(`/v1/orders/${w.delivered.orderId}/returns`, {
            lines: [{ sku: w.f.delivered.sku.valve, quantity: 0, reasonCode: 'DEFECTIVE' }],
          }),
          'lines[0].quantity',
          'body',
        ),
    },
    refusal: {
      'unknown order: 404': async () =>
        expectRefused(
          await post('/v1/orders/order-NOPE-404/returns', {
            lines: [{ sku: 'X', quantity: 1, reasonCode: 'DEFECTIVE' }],
          }),
          404,
          'no order order-NOPE-404',
        ),
    },
  },

  'GET /v1/returns': {
    happy: {
      "lists an order's returns with their lines and credit memo": async () => {
        const page = expectOk(await get(`/v1/returns?orderId=${w.delivered.orderId}&limit=200`));
        const ids = page.items.map((r: { returnId: string }) => r.returnId);
        expect(ids).toEqual(expect.arrayContaining(Object.values(w.returns)));
        expect(page.items.find((r: { returnId: string }) => r.returnId === w.returns.completed)).toMatchObject({
          orderId: w.delivered.orderId,
          customerId: w.f.delivered.customerId,
          status: 'completed',
          lines: [{ sku: w.f.delivered.sku.valve, lotId: null, quantity: 2, reasonCode: 'DEFECTIVE' }],
          creditMemo: { creditMemoNumber: expect.stringMatching(/^CM-/) },
        });
      },
    },
    validation: {
      'names a limit that is not a number': async () =>
        expectInvalid(await get('/v1/returns?limit=ten'), 'limit', 'querystring'),
    },
    refusal: none('a filtered list: no id, no state to conflict with'),
  },

  'GET /v1/returns/:returnId': {
    happy: {
      'answers one return with its credit memo and live steps': async () => {
        const one = expectOk(await get(`/v1/returns/${w.returns.completed}`));
        expect(one).toMatchObject({
          returnId: w.returns.completed,
          status: 'completed',
          valueMinor: 4_300,
          creditMemo: { totalMinor: expect.any(Number) },
          workflow: { id: w.returns.completed, status: 'completed' },
        });
      },
    },
    validation: {
      'names a return id that is too long': async () =>
        expectInvalid(await get(`/v1/returns/${tooLong(161)}`), 'returnId', 'params'),
    },
    refusal: {
      'unknown return: 404': async () =>
        expectRefused(await get('/v1/returns/return-NOPE-404'), 404, 'no return return-NOPE-404'),
    },
  },

  'POST /v1/returns/:returnId/approve': {
    happy: {
      'approves a return waiting for ops': async () => {
        const state = expectOk(
          await post(`/v1/returns/${w.returns.toApprove}/approve`, {
            decision: 'approve',
            reason: 'shipped the wrong valve size',
          }),
        );
        expect(stepOf(state, 'approve-return')?.status).toBe('completed');
      },
    },
    validation: {
      'names a decision that is neither approve nor reject': async () =>
        expectInvalid(
          await post(`/v1/returns/${w.returns.pendingApproval}/approve`, { decision: 'maybe', reason: 'x' }),
          'decision',
          'body',
        ),
    },
    refusal: {
      'refuses a return that is not waiting for approval (409)': async () =>
        expectRefused(
          await post(`/v1/returns/${w.returns.awaitingReceipt}/approve`, { decision: 'approve', reason: 'x' }),
          409,
          'not awaiting approval',
        ),
      'unknown return: 404': async () =>
        expectRefused(
          await post('/v1/returns/return-NOPE-404/approve', { decision: 'approve', reason: 'x' }),
          404,
          'no run return-NOPE-404',
        ),
    },
  },

  'POST /v1/returns/:returnId/receive': {
    happy: {
      'records the arrival of the returned goods': async () => {
        const state = expectOk(
          await post(`/v1/returns/${w.returns.toReceive}/receive`, {
            warehouseId: w.delivered.warehouseId,
            receivedAt: new Date().toISOString(),
          }),
        );
        expect(stepOf(state, 'await-receipt')?.status).toBe('completed');
      },
    },
    validation: {
      'names an arrival time that is not ISO 8601': async () =>
        expectInvalid(
          await post(`/v1/returns/${w.returns.awaitingReceipt}/receive`, {
            warehouseId: w.delivered.warehouseId,
            receivedAt: 'this morning',
          }),
          'receivedAt',
          'body',
        ),
      'names the missing warehouse': async () =>
        expectInvalid(
          await post(`/v1/returns/${w.returns.awaitingReceipt}/receive`, { receivedAt: new Date().toISOString() }),
          'warehouseId',
          'body',
        ),
    },
    refusal: {
      'refuses a return still waiting for approval (409)': async () =>
        expectRefused(
          await post(`/v1/returns/${w.returns.pendingApproval}/receive`, {
            warehouseId: w.delivered.warehouseId,
            receivedAt: new Date().toISOString(),
          }),
          409,
          'not awaiting receipt',
        ),
      'unknown return: 404': async () =>
        expectRefused(
          await post('/v1/returns/return-NOPE-404/receive', {
            warehouseId: w.delivered.warehouseId,
            receivedAt: new Date().toISOString(),
          }),
          404,
          'no run return-NOPE-404',
        ),
    },
  },

  'POST /v1/returns/:returnId/inspect': {
    happy: {
      'records what is restocked and scrapped': async () => {
        const state = expectOk(
          await post(`/v1/returns/${w.returns.toInspect}/inspect`, { lines: [{ lineNo: 1, restock: 1, scrap: 1 }] }),
        );
        expect(stepOf(state, 'inspect-return')?.status).toBe('completed');
      },
    },
    validation: {
      'names a negative restock quantity': async () =>
        expectInvalid(
          await post(`/v1/returns/${w.returns.awaitingReceipt}/inspect`, {
            lines: [{ lineNo: 1, restock: -1, scrap: 0 }],
          }),
          'lines[0].restock',
          'body',
        ),
    },
    refusal: {
      'refuses a return not received yet (409)': async () =>
        expectRefused(
          await post(`/v1/returns/${w.returns.awaitingReceipt}/inspect`, {
            lines: [{ lineNo: 1, restock: 2, scrap: 0 }],
          }),
          409,
          'not awaiting inspection',
        ),
      'unknown return: 404': async () =>
        expectRefused(
          await post('/v1/returns/return-NOPE-404/inspect', { lines: [{ lineNo: 1, restock: 1, scrap: 0 }] }),
          404,
          'no run return-NOPE-404',
        ),
    },
  },

  'POST /v1/returns/:returnId/steps/:step/retry': {
    happy: {
      'retries a return step in needs_attention; it then completes': async () => {
        returnLabelDownFor.delete(w.returns.labelToRetry); // the carrier is back
        const state = expectOk(
          await post(`/v1/returns/${w.returns.labelToRetry}/steps/book-return-label/retry`, { reason: 'carrier back' }),
        );
        expect(['retry_requested', 'running', 'completed']).toContain(stepOf(state, 'book-return-label')?.status);
        await h.waitForState(w.returns.labelToRetry, (s) => stepOf(s, 'book-return-label')?.status === 'completed');
      },
    },
    validation: {
      'names a step name that is too long': async () =>
        expectInvalid(
          await post(`/v1/returns/${w.returns.labelToSkip}/steps/${tooLong(81)}/retry`, {}),
          'step',
          'params',
        ),
    },
    refusal: {
      'refuses a step that is not in needs_attention (409)': async () =>
        expectRefused(
          await post(`/v1/returns/${w.returns.awaitingReceipt}/steps/book-return-label/retry`, {}),
          409,
          'step "book-return-label" is completed, not needs_attention',
        ),
      'an order id: 404 (orders have their own step routes)': async () =>
        expectRefused(
          await post(`/v1/returns/${w.shipped}/steps/reserve-stock/retry`, {}),
          404,
          `no run ${w.shipped} among returns`,
        ),
    },
  },

  'POST /v1/returns/:returnId/steps/:step/skip': {
    happy: {
      'skips a skippable return step with the reason': async () => {
        const state = expectOk(
          await post(`/v1/returns/${w.returns.labelToSkip}/steps/book-return-label/skip`, {
            reason: 'customer ships with own carrier',
          }),
        );
        expect(stepOf(state, 'book-return-label')).toMatchObject({
          status: 'skipped',
          skippedReason: 'customer ships with own carrier',
        });
      },
    },
    validation: {
      'names the missing reason': async () =>
        expectInvalid(
          await post(`/v1/returns/${w.returns.labelToSkip}/steps/book-return-label/skip`, {}),
          'reason',
          'body',
        ),
    },
    refusal: {
      'unknown return: 404': async () =>
        expectRefused(
          await post('/v1/returns/return-NOPE-404/steps/book-return-label/skip', { reason: 'x' }),
          404,
          'no run return-NOPE-404',
        ),
      'an invoice id: 404': async () =>
        expectRefused(
          await post(`/v1/returns/${w.stuckInvoices.toSkip}/steps/post-to-erp/skip`, { reason: 'x' }),
          404,
          `no run ${w.stuckInvoices.toSkip} among returns`,
        ),
    },
  },

  'GET /v1/credit-memos': {
    happy: {
      "lists an order's credit memos with their figures": async () => {
        const page = expectOk(await get(`/v1/credit-memos?orderId=${w.delivered.orderId}`));
        const memo = page.items.find((m: { returnId: string }) => m.returnId === w.returns.completed);
        expect(memo).toMatchObject({
          creditMemoNumber: expect.stringMatching(/^CM-/),
          orderId: w.delivered.orderId,
          customerId: w.f.delivered.customerId,
          currency: 'USD',
        });
        expect(memo.totalMinor).toBe(memo.merchandiseMinor + memo.restockingFeeMinor + memo.taxMinor);
      },
    },
    validation: {
      'names a limit out of range': async () =>
        expectInvalid(await get('/v1/credit-memos?limit=500'), 'limit', 'querystring'),
    },
    refusal: none('a filtered list: no id, no state to conflict with'),
  },
};

// ---------------------------------------------------------------------------------------------------

const v1Routes = () => h.rawApp.routeAccess.filter((r) => r.url.startsWith('/v1')).map((r) => `${r.method} ${r.url}`);
const cases = (c: RouteCases[keyof RouteCases]) => (c instanceof NotApplicable ? [] : Object.entries(c));

describe('the route matrix', () => {
  it('has a row for every /v1 route the app registers, and none for a route it does not', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(v1Routes().sort());
  });

  it('has a happy case and a validation case for every route, an unknown-id case for every route with an id, and says why where a kind does not apply', () => {
    for (const [route, c] of Object.entries(ROUTES)) {
      expect([route, cases(c.happy).length > 0]).toEqual([route, true]);
      expect([route, cases(c.validation).length > 0 || (c.validation as NotApplicable).why.length > 0]).toEqual([
        route,
        true,
      ]);
      if (/:\w+Id\b/.test(route))
        expect([route, cases(c.refusal).some(([name]) => name.startsWith('unknown') || name.includes('404'))]).toEqual([
          route,
          true,
        ]);
      else if (c.refusal instanceof NotApplicable)
        expect([route, c.refusal.why.length]).toEqual([route, expect.any(Number)]);
    }
  });
});

for (const [route, c] of Object.entries(ROUTES)) {
  describe(route, () => {
    for (const [name, check] of cases(c.happy)) it(`happy: ${name}`, check);
    for (const [name, check] of cases(c.validation)) it(`validation: ${name}`, check);
    for (const [name, check] of cases(c.refusal)) it(`refusal: ${name}`, check);
  });
}
