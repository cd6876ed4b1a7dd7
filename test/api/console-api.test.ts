/**
 * The reads the web console is built on: who a key is and what it may do (GET /v1/me), the work queue,
 * customers, and the order and invoice list filters.
 *
 * Runs that the work queue shows for being stuck, held, on credit hold, near or past an SLA deadline
 * are real workflow runs. States that take a real run days to reach (a backorder past its promised
 * date, an escalated invoice, a CRM webhook that keeps failing, a return awaiting inspection) and the
 * hundreds of orders the list tests page through are inserted as rows: these routes read rows only,
 * and running hundreds of workflows here would take minutes for nothing the reads could tell apart.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { startHarness, type Harness } from '../support/harness';
import type { workQueueSchema } from '../../api/routes/work-queue';
import { realActivities, type RealActivities } from '../support/real-activities';
import { createFixture, isoDay, type Fixture } from '../../fixtures/master-data';
import { placeOrder, stepOf } from '../support/flows';
import { ROLES, type Role } from '../../api/auth/api-keys';
import type { StepInput } from '../../activities/contract';
import type { MailAdapter } from '../../adapters/mail/mail-adapter';
import { problemType } from '../../api/problems';
import { orderIdForDeal } from '../../domain/closed-won';

let h: Harness;
let real: RealActivities | undefined;
let mailForReal: MailAdapter | undefined;
const erpDownFor = new Set<string>();
let keys: Record<Role, string>;

const as = (role: Role) => ({ authorization: `Bearer ${keys[role]}` });
const getAs = (role: Role, url: string) => h.rawApp.inject({ method: 'GET', url, headers: as(role) });
const concrete = (url: string) => url.replace(/:([A-Za-z]+)/g, (_, name: string) => `x-${name}`);

beforeAll(async () => {
  h = await startHarness({
    activityOverrides: {
      createErpOrder: async (input: StepInput) => {
        if (erpDownFor.has(input.run.orderId)) throw new Error('ERP unavailable: 503 (injected)');
        return real!.createErpOrder(input);
      },
    },
  });
  ({ real, mail: mailForReal } = realActivities(h));
  keys = Object.fromEntries(
    await Promise.all(ROLES.map(async (role) => [role, await h.apiKey(role)] as const)),
  ) as Record<Role, string>;
}, 60_000);

afterAll(async () => {
  mailForReal?.close();
  await h?.stop();
});

// ---------------------------------------------------------------------------------------------------

describe('the OpenAPI document', () => {
  it('documents the console routes and the new filters', async () => {
    const doc = (await h.rawApp.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/v1/me', '/v1/work-queue', '/v1/customers', '/v1/customers/{customerId}'])
      expect([path, doc.paths[path]?.get?.tags]).toEqual([path, ['console']]);
    const names = (path: string) => doc.paths[path].get.parameters.map((p: { name: string }) => p.name);
    expect(names('/v1/orders')).toEqual(
      expect.arrayContaining([
        'q',
        'from',
        'to',
        'sort',
        'status',
        'step',
        'needsAttention',
        'slaBreached',
        'customerId',
      ]),
    );
    expect(names('/v1/invoices')).toEqual(
      expect.arrayContaining(['overdue', 'dueFrom', 'dueTo', 'status', 'customerId']),
    );
    expect(
      doc.paths['/v1/invoices'].get.responses['200'].content['application/json'].schema.properties.items.items.required,
    ).toEqual(expect.arrayContaining(['overdue', 'daysOverdue']));
  });
});

describe('GET /v1/me', () => {
  it('answers the key, its role and the routes it may call, as the auth check enforces them', async () => {
    const routes = h.rawApp.routeAccess.filter((r) => r.url.startsWith('/v1/') && typeof r.auth === 'object');
    for (const role of ROLES) {
      const res = await getAs(role, '/v1/me');
      expect(res.statusCode).toBe(200);
      const me = res.json();
      expect(me).toMatchObject({ keyId: expect.any(String), name: expect.stringContaining(`test-${role}`), role });
      expect(me.permissions).toContain('GET /v1/me');
      // Each route the permissions leave out answers 403 for this key; each one they list does not.
      for (const route of routes) {
        const permission = `${route.method} ${route.url}`;
        const res = await h.rawApp.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          payload: route.method === 'GET' ? undefined : {},
          headers: as(role),
        });
        if (me.permissions.includes(permission))
          expect([permission, role, res.statusCode]).not.toEqual([permission, role, 403]);
        else expect([permission, role, res.statusCode]).toEqual([permission, role, 403]);
      }
    }
  }, 120_000);

  it('lists routes exactly as registered, and admin gets every route that takes a key', async () => {
    const ops = (await getAs('ops', '/v1/me')).json();
    expect(ops.permissions).toContain('POST /v1/orders/:orderId/steps/:step/retry');
    expect(ops.permissions).not.toContain('POST /v1/invoices/:invoiceId/payments');
    const finance = (await getAs('finance', '/v1/me')).json();
    expect(finance.permissions).toContain('POST /v1/invoices/:invoiceId/payments');
    expect(finance.permissions).not.toContain('POST /v1/orders/:orderId/steps/:step/retry');
    const admin = (await getAs('admin', '/v1/me')).json();
    const keyed = h.rawApp.routeAccess
      .filter((r) => r.url.startsWith('/v1/') && r.auth !== 'public' && r.auth !== 'signature')
      .map((r) => `${r.method} ${r.url}`);
    expect(admin.permissions).toEqual([...new Set(keyed)].sort());
    expect(admin.permissions).not.toContain('POST /v1/events/closed-won'); // signed by the CRM, not called with a key
  });

  it('answers 401 without a key', async () => {
    expect((await h.rawApp.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });
});

// ---------------------------------------------------------------------------------------------------

/** The work queue as the route's response schema declares it. */
type Queue = z.infer<typeof workQueueSchema>;
const sectionOf = (queue: Queue, key: string) => queue.sections.find((s) => s.key === key);
const queueAs = async (role: Role): Promise<Queue> => {
  const res = await getAs(role, '/v1/work-queue');
  expect(res.statusCode).toBe(200);
  return res.json();
};

/** An order row as the order workflow records it (for states the tests insert). */
async function insertOrder(
  f: Pick<Fixture, 'customerId' | 'tag'>,
  n: number,
  over: Partial<{
    status: string;
    totalMinor: bigint;
    createdAt: Date;
    needsAttention: boolean;
    poNumber: string;
    currentStep: string;
  }> = {},
) {
  const dealId = `BULK-${f.tag}-${String(n).padStart(4, '0')}`;
  const row = await h.db.order.create({
    data: {
      id: `order-${dealId}`,
      dealId,
      customerId: f.customerId,
      customerName: `Test Customer ${f.tag}`,
      poNumber: over.poNumber ?? `PO-${f.tag}-${n}`,
      currency: 'USD',
      totalMinor: over.totalMinor ?? BigInt(1_000 + n),
      status: over.status ?? 'shipped',
      currentStep: over.currentStep ?? null,
      needsAttention: over.needsAttention ?? false,
      event: {},
      createdAt: over.createdAt ?? new Date(),
    },
  });
  return row.id;
}

async function insertInvoice(
  f: Pick<Fixture, 'customerId'>,
  orderId: string,
  over: { status: string; dueDate: string; totalMinor?: bigint; paidMinor?: bigint; isEscalated?: boolean },
) {
  const id = `invoice-${orderId}-${randomUUID().slice(0, 6)}`;
  await h.db.invoice.create({
    data: {
      id,
      orderId,
      orderIds: [orderId],
      customerId: f.customerId,
      shipmentIds: [],
      currency: 'USD',
      status: over.status,
      paymentTerms: 'NET30',
      issueDate: new Date(`${isoDay(-40)}T00:00:00Z`),
      dueDate: new Date(`${over.dueDate}T00:00:00Z`),
      subtotalMinor: over.totalMinor ?? 10_000n,
      taxMinor: 0n,
      totalMinor: over.totalMinor ?? 10_000n,
      paidMinor: over.paidMinor ?? 0n,
      taxRateBp: 0,
      isTaxExempt: true,
      lines: {},
      billTo: {},
      isEscalated: over.isEscalated ?? false,
      idempotencyKey: id,
    },
  });
  return id;
}

describe('GET /v1/work-queue', () => {
  it('shows each role the sections it acts on, in order, with real stuck, held, credit-hold and SLA runs', async () => {
    const stuckFixture = await createFixture(h.db);
    const held = await createFixture(h.db, { creditLimitMinor: 1_000 });
    const atRisk = await createFixture(h.db, {
      creditLimitMinor: 1_000,
      stepDurations: { 'credit-approval': '50 minutes' },
    });
    const breached = await createFixture(h.db, { creditLimitMinor: 1_000, stepDurations: { 'credit-approval': '1s' } });

    const stuckEvent = stuckFixture.event();
    const stuck = orderIdForDeal(stuckEvent.dealId);
    erpDownFor.add(stuck);
    expect((await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: stuckEvent })).statusCode).toBe(
      202,
    );
    const onHold = await placeOrder(h, held);
    const creditHold = await placeOrder(h, held);
    const risky = await placeOrder(h, atRisk);
    const late = await placeOrder(h, breached);
    await Promise.all([
      h.waitForState(stuck, (s) => stepOf(s, 'create-erp-order')?.status === 'needs_attention', 120_000),
      ...[onHold, creditHold, risky].map((id) =>
        h.waitForState(id, (s) => stepOf(s, 'credit-approval')?.status === 'waiting'),
      ),
      h.waitForState(late, (s) => stepOf(s, 'credit-approval')?.slaBreached === true),
    ]);
    expect(
      (
        await h.rawApp.inject({
          method: 'POST',
          url: `/v1/orders/${onHold}/hold`,
          payload: { reason: 'customer disputes the address' },
          headers: as('ops'),
        })
      ).statusCode,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 500)); // the hold's step event is recorded by the workflow

    const ops = await queueAs('ops');
    expect(ops.sections.map((s) => s.key)).toEqual([
      'needs_attention',
      'sla_breached',
      'sla_at_risk',
      'on_hold',
      'backorders_late',
      'returns_awaiting',
      'webhooks_failed',
    ]);
    expect(sectionOf(ops, 'needs_attention')!.items).toContainEqual(
      expect.objectContaining({
        objectType: 'order',
        objectId: stuck,
        orderId: stuck,
        customerId: stuckFixture.customerId,
        detail: expect.stringContaining('ERP unavailable: 503 (injected)'),
        title: expect.stringContaining('create-erp-order'),
      }),
    );
    expect(sectionOf(ops, 'sla_breached')!.items).toContainEqual(
      expect.objectContaining({
        objectId: late,
        title: expect.stringContaining('credit-approval'),
        detail: expect.stringMatching(/deadline .* missed/),
      }),
    );
    const risk = sectionOf(ops, 'sla_at_risk')!.items.find((i) => i.objectId === risky);
    expect(risk).toMatchObject({
      objectType: 'order',
      customerId: atRisk.customerId,
      title: expect.stringContaining('credit-approval'),
    });
    const minutesLeft = (Date.parse(risk!.at) - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(40);
    expect(minutesLeft).toBeLessThanOrEqual(50);
    // Breached steps are not "at risk", and steps whose deadline is further than an hour are neither.
    expect(sectionOf(ops, 'sla_at_risk')!.items.map((i) => i.objectId)).not.toContain(late);
    expect(sectionOf(ops, 'sla_at_risk')!.items.map((i) => i.objectId)).not.toContain(creditHold);
    expect(sectionOf(ops, 'on_hold')!.items).toContainEqual(
      expect.objectContaining({ objectId: onHold, detail: expect.stringContaining('customer disputes the address') }),
    );

    const finance = await queueAs('finance');
    expect(finance.sections.map((s) => s.key)).toEqual(['needs_attention', 'credit_hold', 'invoices_escalated']);
    expect(sectionOf(finance, 'credit_hold')!.items.map((i) => i.objectId)).toEqual(
      expect.arrayContaining([creditHold, risky, late]),
    );
    // Finance sees the invoice runs it can retry, not the orders ops retry.
    expect(sectionOf(finance, 'needs_attention')!.items.map((i) => i.objectId)).not.toContain(stuck);

    const admin = await queueAs('admin');
    expect(admin.sections.map((s) => s.key)).toEqual([
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
    expect(sectionOf(admin, 'needs_attention')!.items.map((i) => i.objectId)).toContain(stuck);

    // Retried and completed: it leaves the queue.
    erpDownFor.delete(stuck);
    expect(
      (
        await h.rawApp.inject({
          method: 'POST',
          url: `/v1/orders/${stuck}/steps/create-erp-order/retry`,
          payload: { reason: 'ERP back' },
          headers: as('ops'),
        })
      ).statusCode,
    ).toBe(200);
    await h.waitForState(stuck, (s) => stepOf(s, 'create-erp-order')?.status === 'completed');
    await new Promise((r) => setTimeout(r, 300));
    expect(sectionOf(await queueAs('ops'), 'needs_attention')!.items.map((i) => i.objectId)).not.toContain(stuck);
  }, 240_000);

  it('reads late backorders, returns awaiting a person, escalated invoices and failing webhooks from their rows; caps items at 50 with the true count', async () => {
    const f = await createFixture(h.db);
    const orderId = await insertOrder(f, 1, { status: 'partially_released' });
    await h.db.backorder.createMany({
      data: [
        {
          orderId,
          lineNo: 1,
          partNo: 0,
          sku: f.sku.valve,
          warehouseId: f.warehouses.primary,
          quantity: 5,
          availableDate: new Date(`${isoDay(-3)}T00:00:00Z`),
          status: 'waiting',
        },
        {
          orderId,
          lineNo: 2,
          partNo: 0,
          sku: f.sku.gasket,
          warehouseId: f.warehouses.primary,
          quantity: 7,
          availableDate: new Date(`${isoDay(4)}T00:00:00Z`),
          status: 'waiting',
        },
      ],
    });
    const notLate = await insertOrder(f, 2, { status: 'partially_released' });
    await h.db.backorder.create({
      data: {
        orderId: notLate,
        lineNo: 1,
        sku: f.sku.valve,
        warehouseId: f.warehouses.primary,
        quantity: 1,
        availableDate: new Date(`${isoDay(2)}T00:00:00Z`),
        status: 'waiting',
      },
    });
    const returnRow = (id: string, status: string) => ({
      id,
      orderId,
      customerId: f.customerId,
      status,
      requestedAt: new Date(),
      currency: 'USD',
      valueMinor: 4_300n,
    });
    await h.db.returnRequest.createMany({
      data: [
        returnRow(`return-${orderId}-1`, 'pending_approval'),
        returnRow(`return-${orderId}-2`, 'received'),
        returnRow(`return-${orderId}-3`, 'completed'),
      ],
    });
    const escalated = [];
    for (let i = 0; i < 55; i += 1)
      escalated.push(
        await insertInvoice(f, orderId, { status: 'overdue', dueDate: isoDay(-20 - i), isEscalated: true }),
      );
    await insertInvoice(f, orderId, { status: 'paid', dueDate: isoDay(-90), isEscalated: true, paidMinor: 10_000n });
    const milestoneKey = `crm:${orderId}:shipped`;
    await h.db.crmMilestone.create({
      data: {
        idempotencyKey: milestoneKey,
        orderId,
        dealId: `BULK-${f.tag}-0001`,
        milestone: 'shipped',
        payload: {},
        attempts: 2,
      },
    });
    await h.db.webhookDelivery.createMany({
      data: [
        {
          milestoneKey,
          orderId,
          url: 'http://crm.test/hook',
          attempt: 1,
          statusCode: null,
          error: 'connect ECONNREFUSED',
          durationMs: 3,
        },
        {
          milestoneKey,
          orderId,
          url: 'http://crm.test/hook',
          attempt: 2,
          statusCode: 502,
          error: null,
          durationMs: 40,
        },
      ],
    });

    // A run recorded before cancellations were written to its stuck step: its order's status says it ended.
    const cancelled = await insertOrder(f, 3, { status: 'cancelled' });
    await h.db.stepEvent.create({
      data: {
        runKind: 'order',
        runId: cancelled,
        orderId: cancelled,
        workflowId: cancelled,
        seq: 1,
        step: 'create-erp-order',
        fromStatus: 'running',
        toStatus: 'needs_attention',
        attempt: 1,
        error: 'ERP unavailable',
        actor: 'system',
        occurredAt: new Date(),
      },
    });

    const admin = await queueAs('admin');
    expect(sectionOf(admin, 'needs_attention')!.items.map((i) => i.objectId)).not.toContain(cancelled);
    const late = sectionOf(admin, 'backorders_late')!.items.filter((i) => i.customerId === f.customerId);
    expect(late).toEqual([
      expect.objectContaining({
        objectType: 'order',
        objectId: orderId,
        detail: expect.stringContaining(`5 units of ${f.sku.valve} promised ${isoDay(-3)}`),
      }),
    ]);
    const returns = sectionOf(admin, 'returns_awaiting')!.items.filter((i) => i.orderId === orderId);
    expect(returns.map((r) => [r.objectType, r.objectId, r.title]).sort()).toEqual([
      ['return', `return-${orderId}-1`, `return-${orderId}-1 awaiting approval`],
      ['return', `return-${orderId}-2`, `return-${orderId}-2 awaiting inspection`],
    ]);
    const invoices = sectionOf(admin, 'invoices_escalated')!;
    expect(invoices.count).toBeGreaterThanOrEqual(55);
    expect(invoices.items).toHaveLength(50);
    expect(invoices.items[0]).toMatchObject({
      objectType: 'invoice',
      customerId: f.customerId,
      detail: expect.stringContaining('USD 100.00 open'),
    });
    const webhook = sectionOf(admin, 'webhooks_failed')!.items.find((i) => i.objectId === milestoneKey);
    expect(webhook).toMatchObject({
      objectType: 'webhook',
      orderId,
      detail: expect.stringContaining('2 attempt(s); last: HTTP 502'),
    });
  });

  it('refuses a crm key (403)', async () => {
    expect((await getAs('crm', '/v1/work-queue')).statusCode).toBe(403);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('GET /v1/customers and /v1/customers/:customerId', () => {
  it('finds customers by part of the name in any case, and pages by name', async () => {
    const a = await createFixture(h.db);
    const b = await createFixture(h.db);
    const found = (await getAs('ops', `/v1/customers?q=${a.tag.toLowerCase()}`)).json();
    expect(found.items).toEqual([
      expect.objectContaining({
        customerId: a.customerId,
        name: `Test Customer ${a.tag}`,
        creditLimitMinor: 100_000_000,
        openOrderCount: 0,
      }),
    ]);
    const first = (await getAs('finance', '/v1/customers?q=test%20customer&limit=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (
      await getAs('finance', `/v1/customers?q=test%20customer&limit=1&cursor=${first.nextCursor}`)
    ).json();
    expect(
      second.items[0].name > first.items[0].name ||
        (second.items[0].name === first.items[0].name && second.items[0].customerId > first.items[0].customerId),
    ).toBe(true);
    expect(b.customerId).toBeTruthy();
    expect((await getAs('ops', '/v1/customers?q=')).statusCode).toBe(400);
    expect((await getAs('crm', '/v1/customers')).statusCode).toBe(403);
  });

  it('answers the 360 view: credit, hold, billing, counts and recent orders, shipments, open invoices, returns', async () => {
    const f = await createFixture(h.db, { creditLimitMinor: 1_000, openReceivablesMinor: 600 });
    const creditHold = await placeOrder(h, f);
    await h.waitForState(creditHold, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
    const shippedId = await insertOrder(f, 1, { status: 'shipped' });
    await h.db.shipment.create({
      data: {
        id: `${shippedId}-S1`,
        orderId: shippedId,
        warehouseId: f.warehouses.primary,
        status: 'shipped',
        lines: [],
        trackingNumber: `TRK-${f.tag}`,
      },
    });
    const overdue = await insertInvoice(f, shippedId, {
      status: 'sent',
      dueDate: isoDay(-5),
      totalMinor: 5_000n,
      paidMinor: 1_000n,
    });
    await insertInvoice(f, shippedId, { status: 'paid', dueDate: isoDay(-5), paidMinor: 10_000n });
    await h.db.returnRequest.create({
      data: {
        id: `return-${shippedId}-1`,
        orderId: shippedId,
        customerId: f.customerId,
        status: 'pending_approval',
        requestedAt: new Date(),
        currency: 'USD',
      },
    });
    await h.db.customer.update({
      where: { id: f.customerId },
      data: { isOnCreditHold: true, creditHoldSource: 'dunning' },
    });

    const res = await getAs('finance', `/v1/customers/${f.customerId}`);
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view.customer).toMatchObject({
      customerId: f.customerId,
      name: `Test Customer ${f.tag}`,
      currency: 'USD',
      paymentTerms: 'NET30',
      slaProfileId: f.slaProfileId,
    });
    expect(view.credit).toEqual({
      creditLimitMinor: 1_000,
      openReceivablesMinor: 600,
      exposureMinor: 600,
      availableCreditMinor: 400,
      openInvoiceBalanceMinor: 4_000,
      isOnCreditHold: true,
      creditHoldSource: 'dunning',
      ordersOnCreditHold: 1,
    });
    expect(view.billing).toMatchObject({
      invoiceGrouping: 'per-shipment',
      billingPeriod: 'monthly',
      paymentTerms: 'NET30',
    });
    expect(view.counts).toEqual({
      orders: 2,
      openOrders: 2,
      shipments: 1,
      openInvoices: 1,
      overdueInvoices: 1,
      returns: 1,
      openReturns: 1,
    });
    expect(view.orders.map((o: { orderId: string }) => o.orderId).sort()).toEqual([creditHold, shippedId].sort());
    expect(view.shipments).toEqual([
      expect.objectContaining({ shipmentId: `${shippedId}-S1`, trackingNumber: `TRK-${f.tag}` }),
    ]);
    expect(view.openInvoices).toEqual([
      expect.objectContaining({ invoiceId: overdue, balanceMinor: 4_000, overdue: true, daysOverdue: 5 }),
    ]);
    expect(view.returns).toEqual([
      expect.objectContaining({ returnId: `return-${shippedId}-1`, status: 'pending_approval' }),
    ]);
  }, 120_000);

  it('answers 404 for an unknown customer and 400 naming a malformed id', async () => {
    const missing = await getAs('ops', '/v1/customers/C-NOPE-404');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toBe('no customer C-NOPE-404');
    const bad = await getAs('ops', '/v1/customers/bad%20id!');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('customerId');
  });
});

// ---------------------------------------------------------------------------------------------------

describe('GET /v1/orders filters', () => {
  const listAll = async (query: string) => {
    const seen: { orderId: string; totalMinor: number; createdAt: string; poNumber: string; status: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await getAs('ops', `/v1/orders?${query}&limit=37${cursor ? `&cursor=${cursor}` : ''}`);
      expect([res.statusCode, res.body.slice(0, 300)]).toEqual([200, expect.any(String)]);
      const body = res.json();
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return { seen, pages };
  };

  it('pages through 300 inserted orders with filters, free text and every sort, without losing or repeating one', async () => {
    const f = await createFixture(h.db);
    const base = Date.now() - 10 * 86_400_000;
    const expected: { id: string; total: number; at: number; stuck: boolean }[] = [];
    for (let n = 0; n < 300; n += 1) {
      const stuck = n % 3 === 0;
      const at = base + n * 60_000 - (n % 7) * 1_000;
      const total = 10_000 + ((n * 7919) % 1000) * 10; // totals repeat: ties are broken by id
      const id = await insertOrder(f, n, {
        createdAt: new Date(at),
        totalMinor: BigInt(total),
        needsAttention: stuck,
        status: stuck ? 'confirmed' : 'shipped',
        poNumber: n % 2 === 0 ? `PO-Even-${f.tag}-${n}` : `PO-odd-${f.tag}-${n}`,
        currentStep: stuck ? 'create-erp-order' : undefined,
      });
      expected.push({ id, total, at, stuck });
    }
    const byCreated = [...expected].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((e) => e.id);
    const newest = await listAll(`customerId=${f.customerId}`);
    expect(newest.seen.map((o) => o.orderId)).toEqual(byCreated);
    expect(newest.pages).toBe(Math.ceil(300 / 37));

    const byValue = await listAll(`customerId=${f.customerId}&sort=value`);
    expect(byValue.seen.map((o) => o.orderId)).toEqual(
      [...expected].sort((a, b) => a.total - b.total || (a.id < b.id ? -1 : 1)).map((e) => e.id),
    );
    const byValueDesc = await listAll(`customerId=${f.customerId}&sort=-value`);
    expect(byValueDesc.seen.map((o) => o.orderId)).toEqual(byValue.seen.map((o) => o.orderId).reverse());

    const stuck = await listAll(
      `customerId=${f.customerId}&needsAttention=true&step=create-erp-order&status=confirmed&sort=createdAt`,
    );
    expect(stuck.seen.map((o) => o.orderId)).toEqual(
      [...byCreated].reverse().filter((id) => expected.find((e) => e.id === id)!.stuck),
    );

    // Free text: the PO number's "even" in another case, and the customer's name.
    const even = await listAll(`q=${encodeURIComponent(`po-EVEN-${f.tag.toLowerCase()}`)}`);
    expect(even.seen).toHaveLength(150);
    expect(even.seen.every((o) => o.poNumber.startsWith(`PO-Even-${f.tag}`))).toBe(true);
    const named = await listAll(`q=${encodeURIComponent(`customer ${f.tag.toLowerCase()}`)}`);
    expect(named.seen).toHaveLength(300);
    const deal = await listAll(`q=BULK-${f.tag}-0042`);
    expect(deal.seen.map((o) => o.orderId)).toEqual([`order-BULK-${f.tag}-0042`]);
    expect((await listAll(`q=${encodeURIComponent('100%_')}&customerId=${f.customerId}`)).seen).toEqual([]); // LIKE wildcards are literal

    // Created range: from inclusive, to exclusive for instants.
    const from = new Date(base + 100 * 60_000).toISOString();
    const to = new Date(base + 200 * 60_000).toISOString();
    const ranged = await listAll(`customerId=${f.customerId}&from=${from}&to=${to}`);
    expect(ranged.seen.map((o) => o.orderId).sort()).toEqual(
      expected
        .filter((e) => e.at >= Date.parse(from) && e.at < Date.parse(to))
        .map((e) => e.id)
        .sort(),
    );
  }, 120_000);

  it('answers 400 naming the field for bad filter values', async () => {
    for (const [query, field] of [
      ['sort=total', 'sort'],
      ['needsAttention=yes', 'needsAttention'],
      ['slaBreached=1', 'slaBreached'],
      ['from=yesterday', 'from'],
      ['to=2026-13-01', 'to'],
      ['status=Shipped!', 'status'],
      ['step=Create%20ERP', 'step'],
      ['q=', 'q'],
      ['q=a%00b', 'q'],
      ['limit=0', 'limit'],
    ]) {
      const res = await getAs('ops', `/v1/orders?${query}`);
      expect([query, res.statusCode, res.json().type]).toEqual([query, 400, problemType('validation')]);
      expect([query, res.json().errors.map((e: { field: string }) => e.field)]).toEqual([
        query,
        expect.arrayContaining([field]),
      ]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------

describe('GET /v1/invoices filters', () => {
  it('filters by overdue, status, customer and due range, and says how many days each is overdue', async () => {
    const f = await createFixture(h.db);
    const orderId = await insertOrder(f, 1);
    const pastDue = await insertInvoice(f, orderId, { status: 'sent', dueDate: isoDay(-12) });
    const markedOverdue = await insertInvoice(f, orderId, {
      status: 'overdue',
      dueDate: isoDay(-3),
      paidMinor: 2_000n,
    });
    const notDue = await insertInvoice(f, orderId, { status: 'sent', dueDate: isoDay(10) });
    const paidLate = await insertInvoice(f, orderId, { status: 'paid', dueDate: isoDay(-30), paidMinor: 10_000n });

    const ids = (body: { items: { invoiceId: string }[] }) => body.items.map((i) => i.invoiceId).sort();
    const all = (await getAs('finance', `/v1/invoices?customerId=${f.customerId}`)).json();
    expect(ids(all)).toEqual([pastDue, markedOverdue, notDue, paidLate].sort());
    const item = (id: string) => all.items.find((i: { invoiceId: string }) => i.invoiceId === id);
    expect(item(pastDue)).toMatchObject({ overdue: true, daysOverdue: 12, balanceMinor: 10_000 });
    expect(item(markedOverdue)).toMatchObject({ overdue: true, daysOverdue: 3, balanceMinor: 8_000 });
    expect(item(notDue)).toMatchObject({ overdue: false, daysOverdue: 0 });
    expect(item(paidLate)).toMatchObject({ overdue: false, daysOverdue: 0 });

    expect(ids((await getAs('finance', `/v1/invoices?customerId=${f.customerId}&overdue=true`)).json())).toEqual(
      [pastDue, markedOverdue].sort(),
    );
    expect(ids((await getAs('ops', `/v1/invoices?customerId=${f.customerId}&overdue=false`)).json())).toEqual(
      [notDue, paidLate].sort(),
    );
    expect(
      ids((await getAs('finance', `/v1/invoices?customerId=${f.customerId}&status=sent&overdue=true`)).json()),
    ).toEqual([pastDue]);
    expect(
      ids(
        (
          await getAs('finance', `/v1/invoices?customerId=${f.customerId}&dueFrom=${isoDay(-12)}&dueTo=${isoDay(-3)}`)
        ).json(),
      ),
    ).toEqual([pastDue, markedOverdue].sort());

    const bad = await getAs('finance', '/v1/invoices?overdue=maybe');
    expect([bad.statusCode, bad.json().errors[0].field]).toEqual([400, 'overdue']);
  });
});
