/**
 * The order page, the order lists and the invoice list are written by PostgreSQL as JSON text and sent
 * as they come (api/views/sql-json.ts), past the zod serializer. These pin that the text is exactly what
 * the route's response schema would have serialized (keys, their order, compact, ISO instants, escapes)
 * and that the figures the domain computes (balance, amount due, discount offer, overdue) are those of
 * invoiceSummary over the stored row. The rows are inserted: the reads are of rows only.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { useHarness } from '../support/harness';
import { createFixture, isoDay, type Fixture } from '../../fixtures/master-data';
import { CLOSED_WON } from '../../api/intake/closed-won';
import { orderSummarySchema, orderViewSchema } from '../../api/views/order-view';
import { invoiceSummary } from '../../api/views/invoice-view';
import { invoiceListItem, invoiceListItemSchema } from '../../api/views/invoice-overdue';
import { pageSchema } from '../../api/pagination';
import { customer360Schema } from '../../api/routes/customers/customer-360-schema';
import { OPEN_INVOICE_STATUSES } from '../../domain/statuses';

const h = useHarness();
let f: Fixture;
let orderId: string;
let otherOrderId: string;
const inboxOrderId = `order-INBOX-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  f = await createFixture(h.db);
  const tag = f.tag;
  // Text that needs escaping, and non-ASCII, in the fields the SQL writes.
  const name = `Müller "Ventile" \\ GmbH\n${tag}\u0001`;
  const order = (id: string, n: number, over: object = {}) =>
    h.db.order.create({
      data: {
        id,
        dealId: `DEAL-${tag}-${n}`,
        customerId: f.customerId,
        customerName: name,
        poNumber: `PO "${n}"/é`,
        currency: 'USD',
        totalMinor: 123_456n + BigInt(n),
        status: 'shipped',
        event: {},
        createdAt: new Date(Date.now() - n * 60_000),
        ...over,
      },
    });
  orderId = (await order(`order-${tag}-1`, 1, { currentStep: 'invoice', needsAttention: true, slaBreached: true })).id;
  otherOrderId = (await order(`order-${tag}-2`, 2)).id;
  await h.db.shipment.createMany({
    data: [
      // Stored lines carry more than the view shows, in another key order.
      {
        id: `${orderId}-S1`,
        orderId,
        warehouseId: f.warehouses.primary,
        status: 'delivered',
        lines: [
          { quantity: 3, sku: f.sku.valve, lineNo: 1, lotId: 'L-1' },
          { lineNo: 2, sku: f.sku.gasket, quantity: 10 },
        ],
        carrierId: 'ups',
        mode: 'ground',
        trackingNumber: `TRK-${tag}-1`,
        promisedShipDate: new Date(`${isoDay(-3)}T00:00:00Z`),
        promisedDeliveryDate: new Date(`${isoDay(-1)}T00:00:00Z`),
        shippedAt: new Date('2026-11-20T10:11:12.345Z'),
        deliveredAt: new Date('2026-11-21T23:59:59.999Z'),
        // As the pick step stores them: per line, its lots first-expired first (keys in another order again).
        picks: {
          lines: [
            {
              sku: f.sku.valve,
              lineNo: 1,
              quantity: 3,
              lots: [
                { quantity: 2, lotId: 'L-"1"', expiryDate: isoDay(200) },
                { lotId: 'L-2', quantity: 1, expiryDate: null },
              ],
            },
            { lineNo: 2, sku: f.sku.gasket, quantity: 10, lots: [] },
          ],
        },
        asn: { shipmentId: `${orderId}-S1` },
        // As record-delivery stores it (keys in another order, a note only on some exceptions).
        proofOfDelivery: {
          exceptions: [
            { type: 'damaged', lineNo: 2, quantity: 1, note: 'crushed "box"' },
            { quantity: 2, lineNo: 2, type: 'short' },
          ],
          deliveredAt: '2026-11-21T23:59:59.999Z',
          signer: 'R. Müller',
        },
      },
      // A notice built whose e-mail has not gone out yet.
      {
        id: `${orderId}-S2`,
        orderId,
        warehouseId: f.warehouses.secondary,
        status: 'planned',
        lines: [],
        asn: { shipmentId: `${orderId}-S2` },
      },
      // The other order's shipment is stuck on a step: its row's mirrored flag says so (record-transition).
      {
        id: `${otherOrderId}-S1`,
        orderId: otherOrderId,
        warehouseId: f.warehouses.primary,
        status: 'packed',
        lines: [{ lineNo: 1, sku: f.sku.valve, quantity: 1 }],
        needsAttention: true,
      },
    ],
  });
  await h.db.lineOtif.create({
    data: {
      shipmentId: `${orderId}-S1`,
      lineNo: 2,
      orderId,
      sku: f.sku.gasket,
      quantity: 10,
      goodQuantity: 7,
      promisedDate: new Date(`${isoDay(-1)}T00:00:00Z`),
      deliveredDate: new Date(`${isoDay(-1)}T00:00:00Z`),
      isOnTime: true,
      isInFull: false,
    },
  });
  await h.db.outboundEmail.create({
    data: {
      idempotencyKey: `${orderId}-S1:send-asn`,
      orderId,
      template: 'advance-ship-notice',
      toAddress: 'receiving@example.com',
      subject: 'ASN',
      messageId: '<asn-1@closedloop>',
      status: 'sent',
      sentAt: new Date('2026-11-19T08:30:00.5Z'),
    },
  });
  const invoice = (id: string, over: object) =>
    h.db.invoice.create({
      data: {
        id,
        orderId,
        orderIds: [orderId],
        customerId: f.customerId,
        shipmentIds: [],
        currency: 'USD',
        status: 'issued',
        paymentTerms: 'NET30',
        issueDate: new Date(`${isoDay(-40)}T00:00:00Z`),
        dueDate: new Date(`${isoDay(-10)}T00:00:00Z`),
        subtotalMinor: 10_000n,
        taxMinor: 0n,
        totalMinor: 10_000n,
        taxRateBp: 0,
        isTaxExempt: true,
        lines: {},
        billTo: {},
        idempotencyKey: id,
        ...over,
      },
    });
  await invoice(`inv-${tag}-discount`, {
    paymentTerms: '2/10 NET30',
    issueDate: new Date(`${isoDay(-2)}T00:00:00Z`),
    dueDate: new Date(`${isoDay(28)}T00:00:00Z`),
    invoiceNumber: `INV-${tag}-1`,
  });
  await invoice(`inv-${tag}-period`, {
    orderIds: [otherOrderId, orderId],
    orderId: otherOrderId,
    billTo: { period: { label: '2026-11' } },
    status: 'partially_paid',
    paidMinor: 2_500n,
    creditedMinor: 1_000n,
  });
  await invoice(`inv-${tag}-void`, { status: 'void' });
  await invoice(`inv-${tag}-overdue`, { status: 'overdue', isEscalated: true, discountTakenMinor: 100n });
  await invoice(`inv-${tag}-paid`, { status: 'paid', paidMinor: 10_000n, dueDate: null });
  const returnId = `ret-${tag}-1`;
  await h.db.returnRequest.create({
    data: {
      id: returnId,
      orderId,
      customerId: f.customerId,
      status: 'credited',
      requestedAt: new Date('2026-11-25T08:00:00.001Z'),
      receivedAt: new Date('2026-11-26T08:00:00Z'),
      valueMinor: 4_900n,
      currency: 'USD',
      trackingNumber: `RT-${tag}`,
    },
  });
  await h.db.returnLine.createMany({
    data: [
      { returnId, lineNo: 2, sku: f.sku.solvent, lotId: 'LOT-9', quantity: 1, reasonCode: 'damaged' },
      { returnId, lineNo: 1, sku: f.sku.valve, quantity: 2, reasonCode: 'wrong_item' },
    ],
  });
  await h.db.creditMemo.create({
    data: {
      id: `cm-${tag}`,
      creditMemoNumber: `CM-T-${tag}`,
      returnId,
      orderId,
      customerId: f.customerId,
      currency: 'USD',
      status: 'applied',
      merchandiseMinor: 4_900n,
      restockingFeeMinor: 0n,
      restockingFeeBp: 0,
      taxMinor: 0n,
      totalMinor: 4_900n,
      lines: [],
      refundMinor: 900n,
    },
  });
  await h.db.returnRequest.create({
    data: {
      id: `ret-${tag}-2`,
      orderId,
      customerId: f.customerId,
      status: 'requested',
      requestedAt: new Date('2026-11-27T08:00:00Z'),
      currency: 'USD',
    },
  });
  await h.db.backorder.createMany({
    data: [
      {
        orderId,
        lineNo: 1,
        partNo: 1,
        sku: f.sku.valve,
        warehouseId: f.warehouses.primary,
        quantity: 4,
        availableDate: new Date(`${isoDay(5)}T00:00:00Z`),
        status: 'waiting',
      },
      {
        orderId,
        lineNo: 1,
        partNo: 0,
        sku: f.sku.valve,
        warehouseId: f.warehouses.secondary,
        quantity: 1,
        availableDate: new Date(`${isoDay(2)}T00:00:00Z`),
        receiptId: 'RCPT-1',
        status: 'received',
      },
    ],
  });
  await h.db.stepEvent.createMany({
    data: [
      {
        runKind: 'order',
        runId: orderId,
        orderId,
        workflowId: orderId,
        seq: 1,
        step: 'record-order',
        fromStatus: 'pending',
        toStatus: 'running',
        attempt: 1,
        actor: 'system',
        occurredAt: new Date('2026-11-20T09:00:00Z'),
      },
      {
        runKind: 'order',
        runId: orderId,
        orderId,
        workflowId: orderId,
        seq: 2,
        step: 'record-order',
        fromStatus: 'running',
        toStatus: 'completed',
        attempt: 1,
        actor: 'system',
        occurredAt: new Date('2026-11-20T09:00:01Z'),
      },
      {
        runKind: 'order',
        runId: orderId,
        orderId,
        workflowId: orderId,
        seq: 3,
        step: '*',
        fromStatus: 'validated',
        toStatus: 'on_hold',
        attempt: 0,
        actor: 'ops@example.com',
        reason: 'customer "asked"',
        occurredAt: new Date('2026-11-20T09:00:02Z'),
      },
      {
        runKind: 'order',
        runId: orderId,
        orderId,
        workflowId: orderId,
        seq: 4,
        step: 'validate-order',
        fromStatus: 'running',
        toStatus: 'sla_breached',
        attempt: 1,
        actor: 'system',
        reason: 'deadline 2026-11-20T10:00:00.000Z missed',
        occurredAt: new Date('2026-11-20T10:00:00Z'),
      },
      {
        runKind: 'order',
        runId: orderId,
        orderId,
        workflowId: orderId,
        seq: 5,
        step: 'validate-order',
        fromStatus: 'pending',
        toStatus: 'needs_attention',
        attempt: 2,
        actor: 'system',
        error: 'Bad\ttab',
        occurredAt: new Date('2026-11-20T10:00:01Z'),
      },
      {
        runKind: 'shipment',
        runId: `${otherOrderId}-S1`,
        orderId: otherOrderId,
        workflowId: `${otherOrderId}-S1`,
        seq: 1,
        step: 'book-carrier',
        fromStatus: 'running',
        toStatus: 'needs_attention',
        attempt: 5,
        actor: 'system',
        error: 'carrier down',
        occurredAt: new Date('2026-11-20T10:00:00Z'),
      },
      {
        runKind: 'shipment',
        runId: `${otherOrderId}-S1`,
        orderId: otherOrderId,
        workflowId: `${otherOrderId}-S1`,
        seq: 2,
        step: 'book-carrier',
        fromStatus: 'needs_attention',
        toStatus: 'sla_breached',
        attempt: 5,
        actor: 'system',
        occurredAt: new Date('2026-11-20T11:00:00Z'),
      },
    ],
  });
  await h.db.inboundEvent.create({
    data: {
      kind: CLOSED_WON,
      dealId: `DEAL-INBOX-${tag}`,
      payloadHash: randomUUID(),
      workflowId: inboxOrderId,
      payload: {
        dealId: `DEAL-INBOX-${tag}`,
        customer: { id: f.customerId, name },
        poNumber: 'PO-INBOX',
        currency: 'USD',
      },
    },
  });
});

/** The body, checked to be exactly what the schema serializes, parsed. */
async function read<S extends z.ZodType>(url: string, schema: S): Promise<z.infer<S>> {
  const response = await h.app.inject({ method: 'GET', url });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.body).toBe(JSON.stringify(schema.encode(JSON.parse(response.body) as z.output<S>)));
  return response.json();
}

/** What invoiceSummary (and the list's overdue rule) say of the stored invoices billing `order`, by id. */
async function expectedInvoices(order: string, asListItems = false) {
  const asOf = new Date().toISOString().slice(0, 10);
  const rows = await h.db.invoice.findMany({ where: { orderIds: { has: order } }, orderBy: { id: 'asc' } });
  return rows.map((r) => (asListItems ? invoiceListItem(invoiceSummary(r, asOf), r, asOf) : invoiceSummary(r, asOf)));
}

describe('console reads written by PostgreSQL', () => {
  it("the order page is the schema's serialization, with the domain's invoice figures and the mirrored steps", async () => {
    const view = await read(`/v1/orders/${orderId}`, orderViewSchema);
    expect(view).toMatchObject({
      orderId,
      poNumber: 'PO "1"/é',
      customer: { id: f.customerId, name: expect.stringContaining('Müller "Ventile"') },
      totalMinor: 123_457,
      needsAttention: true,
      slaBreached: true,
    });
    expect(view.shipments.map((s) => s.shipmentId)).toEqual([`${orderId}-S1`, `${orderId}-S2`]);
    expect(view.shipments[0]).toMatchObject({
      lines: [
        {
          lineNo: 1,
          sku: f.sku.valve,
          quantity: 3,
          lots: [
            { lotId: 'L-"1"', quantity: 2, expiryDate: isoDay(200) },
            { lotId: 'L-2', quantity: 1, expiryDate: null },
          ],
          otif: null,
        },
        {
          lineNo: 2,
          sku: f.sku.gasket,
          quantity: 10,
          lots: [],
          otif: {
            isOnTime: true,
            isInFull: false,
            goodQuantity: 7,
            promisedDate: isoDay(-1),
            deliveredDate: isoDay(-1),
          },
        },
      ],
      promisedShipDate: isoDay(-3),
      shippedAt: '2026-11-20T10:11:12.345Z',
      deliveredAt: '2026-11-21T23:59:59.999Z',
      asn: { reference: `${orderId}-S1`, messageId: '<asn-1@closedloop>', sentAt: '2026-11-19T08:30:00.500Z' },
      proofOfDelivery: {
        signer: 'R. Müller',
        deliveredAt: '2026-11-21T23:59:59.999Z',
        exceptions: [
          { lineNo: 2, type: 'damaged', quantity: 1, note: 'crushed "box"' },
          { lineNo: 2, type: 'short', quantity: 2, note: null },
        ],
      },
    });
    expect(view.shipments[1]?.proofOfDelivery).toBeNull();
    expect(view.shipments[1]?.asn).toEqual({ reference: `${orderId}-S2`, messageId: null, sentAt: null });
    expect(view.invoices).toEqual(await expectedInvoices(orderId));
    expect(view.invoices.find((i) => i.invoiceId.endsWith('discount'))).toMatchObject({
      amountDueWithDiscountMinor: 9_800,
      discountDeadline: isoDay(8),
    });
    expect(view.invoices.find((i) => i.invoiceId.endsWith('period'))).toMatchObject({
      billingPeriod: '2026-11',
      orderIds: [otherOrderId, orderId],
      balanceMinor: 6_500,
    });
    expect(
      view.returns.map((r) => [r.returnId, r.creditMemo?.creditMemoNumber ?? null, r.lines.map((l) => l.lotId)]),
    ).toEqual([
      [`ret-${f.tag}-1`, `CM-T-${f.tag}`, [null, 'LOT-9']],
      [`ret-${f.tag}-2`, null, []],
    ]);
    expect(view.backorders.map((b) => b.warehouseId)).toEqual([f.warehouses.secondary, f.warehouses.primary]);
    expect(view.workflow).toMatchObject({
      id: orderId,
      hold: { reason: 'customer "asked"', actor: 'ops@example.com' },
    });
    expect(view.workflow?.steps.find((s) => s.name === 'validate-order')).toMatchObject({
      status: 'needs_attention',
      rounds: 2,
      lastError: 'Bad\ttab',
      slaBreached: true,
      slaDeadline: '2026-11-20T10:00:00.000Z',
    });
  });

  it('flags an order whose shipment has a step stuck, on the page and in the lists', async () => {
    const view = await read(`/v1/orders/${otherOrderId}`, orderViewSchema);
    expect(view).toMatchObject({
      needsAttention: true,
      shipments: [{ shipmentId: `${otherOrderId}-S1`, lines: [{ lineNo: 1, lots: [] }], asn: null }],
    });
    const list = await read(`/v1/orders?customerId=${f.customerId}`, pageSchema(orderSummarySchema));
    expect(list.items.find((o) => o.orderId === otherOrderId)?.needsAttention).toBe(true);
    // Retried and moving again: no longer flagged (the transition and its mirror, as record-transition writes them).
    await h.db.shipment.update({ where: { id: `${otherOrderId}-S1` }, data: { needsAttention: false } });
    await h.db.stepEvent.create({
      data: {
        runKind: 'shipment',
        runId: `${otherOrderId}-S1`,
        orderId: otherOrderId,
        workflowId: `${otherOrderId}-S1`,
        seq: 3,
        step: 'book-carrier',
        fromStatus: 'needs_attention',
        toStatus: 'retry_requested',
        attempt: 5,
        actor: 'ops@example.com',
        occurredAt: new Date('2026-11-20T12:00:00Z'),
      },
    });
    expect((await read(`/v1/orders/${otherOrderId}`, orderViewSchema)).needsAttention).toBe(false);
    const after = await read(`/v1/orders?customerId=${f.customerId}`, pageSchema(orderSummarySchema));
    expect(after.items.find((o) => o.orderId === otherOrderId)?.needsAttention).toBe(false);
  });

  it('an order still in the inbox is answered from it, in the same shape', async () => {
    const view = await read(`/v1/orders/${inboxOrderId}`, orderViewSchema);
    expect(view).toMatchObject({
      orderId: inboxOrderId,
      status: 'accepted',
      totalMinor: 0,
      shipments: [],
      invoices: [],
      returns: [],
      backorders: [],
      workflow: null,
    });
  });

  it("a customer's orders and the filtered order list are the schema's serialization", async () => {
    for (const url of [
      `/v1/customers/${f.customerId}/orders?limit=1`,
      `/v1/orders?customerId=${f.customerId}&sort=value`,
    ]) {
      const page = await read(url, pageSchema(orderSummarySchema));
      expect(page.items[0]?.invoices).toEqual(await expectedInvoices(page.items[0]!.orderId));
    }
    const first = await read(`/v1/customers/${f.customerId}/orders?limit=1`, pageSchema(orderSummarySchema));
    expect(first.nextCursor).not.toBeNull();
    const second = await read(
      `/v1/customers/${f.customerId}/orders?limit=1&cursor=${first.nextCursor}`,
      pageSchema(orderSummarySchema),
    );
    expect([first.items[0]?.orderId, second.items[0]?.orderId, second.nextCursor]).toEqual([
      orderId,
      otherOrderId,
      null,
    ]);
    expect(await read(`/v1/orders?customerId=${f.customerId}&status=nothing`, pageSchema(orderSummarySchema))).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("the invoice list is the schema's serialization, with the domain's figures and overdue rule", async () => {
    const page = await read(`/v1/invoices?customerId=${f.customerId}`, pageSchema(invoiceListItemSchema));
    const expected = await expectedInvoices(orderId, true);
    expect([...page.items].sort((a, b) => a.invoiceId.localeCompare(b.invoiceId))).toEqual(
      [...expected].sort((a, b) => a.invoiceId.localeCompare(b.invoiceId)),
    );
    expect(page.items.find((i) => i.invoiceId.endsWith('overdue'))).toMatchObject({
      overdue: true,
      daysOverdue: 10,
      isEscalated: true,
    });
  });

  it("the customer 360 is the schema's serialization, with the stored rows' figures and the domain's invoice figures", async () => {
    // A billing address as JSON the view passes through (jsonb keeps its own key order).
    await h.db.customer.update({
      where: { id: f.customerId },
      data: { billingAddress: { name: 'AP "Dept"', line1: 'Weg 1', city: 'Köln', postalCode: '50667', country: 'DE' } },
    });
    const view = await read(`/v1/customers/${f.customerId}`, customer360Schema);
    // What the view said when it was mapped from Prisma rows (before it became one statement).
    const asOf = new Date().toISOString().slice(0, 10);
    const c = await h.db.customer.findUniqueOrThrow({ where: { id: f.customerId } });
    const orders = await h.db.order.findMany({
      where: { customerId: f.customerId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    const shipments = await h.db.shipment.findMany({
      where: { orderId: { in: orders.map((o) => o.id) } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    const open = await h.db.invoice.findMany({
      where: { customerId: f.customerId, status: { in: [...OPEN_INVOICE_STATUSES] } },
      orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
    });
    const returns = await h.db.returnRequest.findMany({
      where: { customerId: f.customerId },
      orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
    });
    const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
    expect(view.customer).toEqual({
      customerId: c.id,
      name: c.name,
      currency: c.currency,
      isActive: c.isActive,
      paymentTerms: c.paymentTerms,
      slaProfileId: c.slaProfileId,
      billOn: c.billOn,
      isTaxExempt: c.isTaxExempt,
      minShelfLifeDays: c.minShelfLifeDays,
      salesRepEmail: c.salesRepEmail,
      billingAddress: c.billingAddress,
    });
    const balance = open.reduce(
      (sum, i) => sum + Number(i.totalMinor - i.paidMinor - i.discountTakenMinor - i.creditedMinor),
      0,
    );
    expect(view.credit).toEqual({
      creditLimitMinor: Number(c.creditLimitMinor),
      openReceivablesMinor: Number(c.openReceivablesMinor),
      exposureMinor: Number(c.openReceivablesMinor),
      availableCreditMinor: Number(c.creditLimitMinor - c.openReceivablesMinor),
      openInvoiceBalanceMinor: balance,
      isOnCreditHold: c.isOnCreditHold,
      creditHoldSource: c.creditHoldSource,
      ordersOnCreditHold: 0,
    });
    expect(view.counts).toEqual({
      orders: 2,
      openOrders: 2,
      shipments: 3,
      openInvoices: 3,
      overdueInvoices: 2,
      returns: 2,
      openReturns: 2,
    });
    expect(view.orders).toEqual(
      orders.map((o) => ({
        orderId: o.id,
        dealId: o.dealId,
        poNumber: o.poNumber,
        status: o.status,
        currency: o.currency,
        totalMinor: Number(o.totalMinor),
        currentStep: o.currentStep,
        needsAttention: o.needsAttention,
        slaBreached: o.slaBreached,
        createdAt: o.createdAt.toISOString(),
      })),
    );
    expect(view.shipments).toEqual(
      shipments.map((s) => ({
        shipmentId: s.id,
        orderId: s.orderId,
        warehouseId: s.warehouseId,
        status: s.status,
        carrierId: s.carrierId,
        mode: s.mode,
        trackingNumber: s.trackingNumber,
        promisedShipDate: day(s.promisedShipDate),
        promisedDeliveryDate: day(s.promisedDeliveryDate),
        shippedAt: s.shippedAt?.toISOString() ?? null,
        deliveredAt: s.deliveredAt?.toISOString() ?? null,
        createdAt: s.createdAt.toISOString(),
      })),
    );
    expect(view.openInvoices).toEqual(open.map((r) => invoiceListItem(invoiceSummary(r, asOf), r, asOf)));
    expect(view.returns).toEqual(
      returns.map((r) => ({
        returnId: r.id,
        orderId: r.orderId,
        status: r.status,
        valueMinor: Number(r.valueMinor),
        currency: r.currency,
        requestedAt: r.requestedAt.toISOString(),
      })),
    );
  });
});
