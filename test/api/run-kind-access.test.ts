/**
 * Each control route acts only on the kind of run it is named for, decided from the stored run and not
 * from the id's shape: an ops key cannot cancel, skip or retry an invoice through /orders (404 before
 * the workflow is called: its history does not grow), bulk retry as ops leaves invoices alone, and
 * finance unsticks an invoice through its own route. Shipment ids still work under /orders.
 */
import type { LightMyRequestResponse as InjectResponse } from 'fastify';
import { startHarness, type Harness } from '../support/harness';
import { realActivities, type RealActivities } from '../support/real-activities';
import { createFixture, type Fixture } from '../../fixtures/master-data';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { awaitingDelivery, placeOrder, stepOf } from '../support/flows';
import type { MailAdapter } from '../../adapters/mail/mail-adapter';
import type { StepInput } from '../../activities/contract';
import { problemType } from '../../api/problems';

let h: Harness;
let real: RealActivities | undefined;
let mailForReal: MailAdapter | undefined;
/** Invoices whose ERP post fails (injected) until removed. */
const erpDownFor = new Set<string>();

let f: Fixture;
let invoiceId: string;
let invoiceOrderId: string;
let invoiceShipmentId: string;
const keys: Record<'ops' | 'finance', string> = { ops: '', finance: '' };

const as = (role: 'ops' | 'finance', method: 'POST', url: string, payload: object = {}) =>
  h.rawApp.inject({ method, url, payload, headers: { authorization: `Bearer ${keys[role]}` } });

const historyLength = async (workflowId: string) =>
  (await h.temporal.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;

function expectNotFound(res: InjectResponse): void {
  expect({ status: res.statusCode, type: res.json().type }).toEqual({ status: 404, type: problemType('notFound') });
}

beforeAll(async () => {
  h = await startHarness({
    activityOverrides: {
      postInvoiceToErp: async (input: StepInput) => {
        if (erpDownFor.has(input.run.id)) throw new Error('ERP unavailable: 503 (injected)');
        return real!.postInvoiceToErp(input);
      },
    },
  });
  ({ real, mail: mailForReal } = realActivities(h));
  keys.ops = await h.apiKey('ops');
  keys.finance = await h.apiKey('finance');
  f = await createFixture(h.db);

  const order = await shippedOrder(h, f, [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 2 }], freightCostMinor: 0 }], {
    freightTerms: 'prepaid',
  });
  invoiceOrderId = order.orderId;
  invoiceShipmentId = order.shipmentIds[0]!;
  invoiceId = `invoice-${invoiceShipmentId}`;
  erpDownFor.add(invoiceId);
  await startInvoice(h, order);
  await h.waitForState(invoiceId, (s) => stepOf(s, 'post-to-erp')?.status === 'needs_attention', 120_000);
}, 240_000);

afterAll(async () => {
  mailForReal?.close();
  await h?.stop();
});

describe('an ops key on an invoice through /orders', () => {
  it.each([
    ['cancel', () => `/v1/orders/${invoiceId}/cancel`, { reason: 'ops reaching an invoice' }],
    ['skip post-to-erp', () => `/v1/orders/${invoiceId}/steps/post-to-erp/skip`, { reason: 'ops reaching an invoice' }],
    [
      'skip send-invoice',
      () => `/v1/orders/${invoiceId}/steps/send-invoice/skip`,
      { reason: 'ops reaching an invoice' },
    ],
    ['retry post-to-erp', () => `/v1/orders/${invoiceId}/steps/post-to-erp/retry`, {}],
    ['hold', () => `/v1/orders/${invoiceId}/hold`, { reason: 'ops reaching an invoice' }],
    ['release', () => `/v1/orders/${invoiceId}/release`, {}],
  ])('is refused with 404 for %s, and the invoice workflow is not called', async (_, url, payload) => {
    const before = await historyLength(invoiceId);
    expectNotFound(await as('ops', 'POST', url(), payload));
    expect(await historyLength(invoiceId)).toBe(before);
    expect(stepOf(await h.waitForState(invoiceId, () => true), 'post-to-erp')?.status).toBe('needs_attention');
  });

  it('is audited when refused: actor, route, target and why, while the caller sees only a 404 as for an unknown id', async () => {
    const url = `/v1/orders/${invoiceId}/cancel`;
    const res = await as('ops', 'POST', url, { reason: 'ops reaching an invoice' });
    const unknown = await as('ops', 'POST', '/v1/orders/order-nobody-has/cancel', {
      reason: 'ops reaching an invoice',
    });
    expectNotFound(res);
    // Nothing tells the caller the id is an invoice: the answer reads as for an id that does not exist.
    expect(res.json().detail.replace(invoiceId, 'ID')).toBe(unknown.json().detail.replace('order-nobody-has', 'ID'));
    expect(res.body).not.toMatch(/invoice(?!-)/);

    const entries = await h.db.auditLog.findMany({
      where: { targetId: invoiceId, outcome: { startsWith: 'refused' } },
      orderBy: { id: 'asc' },
    });
    const entry = entries.find((e) => e.action === 'POST /v1/orders/:orderId/cancel');
    expect(entry).toMatchObject({
      actor: expect.stringMatching(/^ops:/),
      role: 'ops',
      targetType: 'invoice',
      targetId: invoiceId,
      reason: 'ops reaching an invoice',
      outcome: 'refused: an invoice run, not among orders and shipments',
    });
    // Unknown ids are not runs of another kind: nothing to audit.
    expect(await h.db.auditLog.count({ where: { targetId: 'order-nobody-has' } })).toBe(0);
  });

  it('audits the refusal through the return and delivery routes too', async () => {
    await as('ops', 'POST', `/v1/returns/${invoiceId}/steps/post-to-erp/skip`, { reason: 'x' });
    await as('ops', 'POST', `/v1/orders/invoice-${invoiceOrderId}/delivery`, {
      shipmentId: invoiceId,
      signer: 'Someone',
      deliveredAt: new Date().toISOString(),
    });
    const actions = (
      await h.db.auditLog.findMany({ where: { targetId: invoiceId, outcome: { startsWith: 'refused' } } })
    ).map((e) => `${e.action} | ${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'POST /v1/returns/:returnId/steps/:step/skip | refused: an invoice run, not among returns',
        'POST /v1/orders/:orderId/delivery | refused: an invoice run, not among shipments',
      ]),
    );
  });

  it('cannot pass the invoice off as a shipment in a proof of delivery', async () => {
    const before = await historyLength(invoiceId);
    const res = await as('ops', 'POST', `/v1/orders/invoice-${invoiceOrderId}/delivery`, {
      shipmentId: invoiceId,
      signer: 'Someone',
      deliveredAt: new Date().toISOString(),
    });
    expectNotFound(res);
    expect(await historyLength(invoiceId)).toBe(before);
  });

  it('cannot reach the invoice through the return routes either', async () => {
    const before = await historyLength(invoiceId);
    expectNotFound(await as('ops', 'POST', `/v1/returns/${invoiceId}/approve`, { decision: 'approve', reason: 'x' }));
    expectNotFound(await as('ops', 'POST', `/v1/returns/${invoiceId}/steps/post-to-erp/skip`, { reason: 'x' }));
    expect(await historyLength(invoiceId)).toBe(before);
  });

  it('bulk retry as ops does not see or retry the stuck invoice', async () => {
    const before = await historyLength(invoiceId);
    const dry = await as('ops', 'POST', '/v1/steps/post-to-erp/retry-all', { reason: 'ERP back', dryRun: true });
    expect([dry.statusCode, dry.json().runs.map((r: { runId: string }) => r.runId)]).toEqual([
      200,
      expect.not.arrayContaining([invoiceId]),
    ]);
    const res = await as('ops', 'POST', '/v1/steps/post-to-erp/retry-all', { reason: 'ERP back' });
    expect([res.statusCode, res.json().runs.map((r: { runId: string }) => r.runId)]).toEqual([
      200,
      expect.not.arrayContaining([invoiceId]),
    ]);
    expect(await historyLength(invoiceId)).toBe(before);
    expect(stepOf(await h.waitForState(invoiceId, () => true), 'post-to-erp')?.status).toBe('needs_attention');
  });

  it('bulk retry as finance counts the stuck invoice', async () => {
    const dry = await as('finance', 'POST', '/v1/steps/post-to-erp/retry-all', { reason: 'ERP back', dryRun: true });
    expect([dry.statusCode, dry.json().runs]).toEqual([
      200,
      expect.arrayContaining([{ runId: invoiceId, outcome: 'would retry' }]),
    ]);
  });
});

describe('the invoice step routes', () => {
  it('refuse an id that is not an invoice (a shipment) with 404', async () => {
    expectNotFound(await as('finance', 'POST', `/v1/invoices/${invoiceShipmentId}/steps/post-to-erp/retry`, {}));
  });

  it('refuse an ops key (403)', async () => {
    const res = await as('ops', 'POST', `/v1/invoices/${invoiceId}/steps/post-to-erp/retry`, {});
    expect(res.statusCode).toBe(403);
  });

  it('let finance retry the stuck invoice step, which then completes', async () => {
    erpDownFor.delete(invoiceId);
    const res = await as('finance', 'POST', `/v1/invoices/${invoiceId}/steps/post-to-erp/retry`, {
      reason: 'ERP back',
    });
    expect(res.statusCode).toBe(200);
    expect(stepOf(res.json(), 'post-to-erp')?.status).not.toBe('needs_attention');
    await h.waitForState(invoiceId, (s) => stepOf(s, 'post-to-erp')?.status === 'completed', 90_000);
    const audit = await h.db.auditLog.findFirst({ where: { targetId: invoiceId, action: 'retry post-to-erp' } });
    expect(audit).toMatchObject({ targetType: 'invoice', role: 'finance', outcome: 'done' });
  });
});

describe('shipments under /orders', () => {
  it('still reach the shipment workflow with an ops key (its own refusal, not 404)', async () => {
    const orderId = await placeOrder(h, f);
    const shipmentId = `${orderId}-S1`;
    await awaitingDelivery(h, shipmentId);
    const res = await as('ops', 'POST', `/v1/orders/${shipmentId}/steps/await-delivery/retry`, {});
    expect({ status: res.statusCode, type: res.json().type }).toEqual({
      status: expect.any(Number),
      type: expect.not.stringContaining('not-found'),
    });
    expect([409, 422]).toContain(res.statusCode);
    expect(res.json().detail).toMatch(/await-delivery/);
  }, 180_000);
});
