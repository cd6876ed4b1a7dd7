import { randomBytes } from 'node:crypto';
import { useHarness } from '../support/harness';

const h = useHarness();

const at = (iso: string) => new Date(iso);

/**
 * One customer's quarter in miniature, written straight into the tables the KPIs read (orders, the
 * run-level step events, delivered lines, shipments, invoices), in 2025 so no other test's rows fall in
 * the range. The range starts on a Wednesday and ends on a Tuesday: three weeks, the first and last
 * clipped to it.
 */
async function seed(customerId: string): Promise<void> {
  const order = (id: string, createdAt: string, slaBreached = false) => ({
    id,
    dealId: `deal-${id}`,
    customerId,
    customerName: 'Weekly KPIs Inc',
    poNumber: `PO-${id}`,
    currency: 'USD',
    totalMinor: 1000n,
    status: 'fulfilled',
    slaBreached,
    event: {},
    createdAt: at(createdAt),
  });
  const [o1, o2, o3, o4] = ['o1', 'o2', 'o3', 'o4'].map((n) => `${customerId}-${n}`) as [
    string,
    string,
    string,
    string,
  ];
  await h.db.order.createMany({
    data: [
      order(o1, '2025-03-05T10:00:00Z', true),
      order(o2, '2025-03-07T00:00:00Z'),
      order(o3, '2025-03-11T12:00:00Z'),
      order(o4, '2025-03-04T12:00:00Z'), // before the range: its fulfilment counts, the order does not
    ],
  });
  const runEvent = (runKind: string, workflowId: string, orderId: string, toStatus: string, occurredAt: string) => ({
    runKind,
    runId: workflowId,
    orderId,
    workflowId,
    seq: 1,
    step: '*',
    fromStatus: 'x',
    toStatus,
    attempt: 0,
    actor: 'system',
    occurredAt: at(occurredAt),
  });
  const [i1, i2] = [`${customerId}-i1`, `${customerId}-i2`];
  await h.db.stepEvent.createMany({
    data: [
      runEvent('order', o1, o1, 'fulfilled', '2025-03-06T10:00:00Z'), // 24 h, week 1
      runEvent('order', o2, o2, 'fulfilled', '2025-03-11T00:00:00Z'), // 96 h, week 2
      runEvent('order', o4, o4, 'fulfilled', '2025-03-05T00:00:00Z'), // 12 h, week 1
      runEvent('invoice', i1, o2, 'issued', '2025-03-12T06:00:00Z'),
      runEvent('invoice', i2, o3, 'issued', '2025-03-17T00:00:00Z'),
    ],
  });
  const line = (shipmentId: string, lineNo: number, orderId: string, deliveredDate: string, isOnTime: boolean) => ({
    shipmentId,
    lineNo,
    orderId,
    sku: 'valve',
    quantity: 1,
    goodQuantity: 1,
    promisedDate: at('2025-03-06'),
    deliveredDate: at(deliveredDate),
    isOnTime,
    isInFull: true,
  });
  const [s1, s2] = [`${customerId}-s1`, `${customerId}-s2`];
  await h.db.lineOtif.createMany({
    data: [
      line(s1, 1, o1, '2025-03-06', true),
      line(s1, 2, o1, '2025-03-06', false), // week 1: 50 %
      line(s2, 1, o2, '2025-03-12', true), // week 2: 100 %
      line(`${s2}b`, 1, o3, '2025-03-18', true),
      line(`${s2}b`, 2, o3, '2025-03-18', true),
      line(`${s2}b`, 3, o3, '2025-03-18', false), // week 3: 66.66 %
    ],
  });
  await h.db.shipment.createMany({
    data: [
      { id: s1, orderId: o2, warehouseId: 'WH', status: 'delivered', lines: [], shippedAt: at('2025-03-11T00:00:00Z') },
      { id: s2, orderId: o3, warehouseId: 'WH', status: 'delivered', lines: [], shippedAt: at('2025-03-16T12:00:00Z') },
    ],
  });
  const invoice = (
    id: string,
    orderId: string,
    shipmentId: string,
    issueDate: string,
    status: string,
    totalMinor: bigint,
    paidMinor: bigint,
  ) => ({
    id,
    invoiceNumber: `W-${id}`,
    orderId,
    orderIds: [orderId],
    customerId,
    shipmentIds: [shipmentId],
    currency: 'USD',
    status,
    paymentTerms: 'NET30',
    issueDate: at(issueDate),
    dueDate: at('2025-04-30'),
    subtotalMinor: totalMinor,
    taxMinor: 0n,
    totalMinor,
    paidMinor,
    taxRateBp: 0,
    isTaxExempt: true,
    lines: {},
    billTo: {},
    idempotencyKey: `kpi-weekly-${id}`,
  });
  await h.db.invoice.createMany({
    data: [
      invoice(i1, o2, s1, '2025-03-12', 'partially_paid', 10_000n, 4_000n), // week 2, 30 h after shipping, 6 000 open
      invoice(i2, o3, s2, '2025-03-17', 'paid', 5_000n, 5_000n), // week 3, 12 h after shipping
    ],
  });
}

describe('KPIs per week (GET /v1/kpis?groupBy=week)', () => {
  it('gives each week of the range its OTIF, cycle time, time to invoice, DSO and SLA breach rate beside the overall figures', async () => {
    const customerId = `kpiw-${randomBytes(4).toString('hex')}`;
    await seed(customerId);
    const finance = await h.apiKey('finance');
    const get = (query: string) =>
      h.rawApp.inject({
        method: 'GET',
        url: `/v1/kpis?from=2025-03-05&to=2025-03-18&customerId=${customerId}${query}`,
        headers: { authorization: `Bearer ${finance}` },
      });

    const weekly = await get('&groupBy=week');
    expect(weekly.statusCode).toBe(200);
    const body = weekly.json();
    expect(body.overall).toEqual({
      orders: 3,
      otifPercent: 66.66,
      cycleTimeHours: { p50: 24, p90: 96 },
      timeToInvoiceHours: { p50: 12, p90: 30 },
      daysSalesOutstanding: 5.6, // 6 000 open / 15 000 invoiced x 14 days
      daysSalesOutstandingByCurrency: [{ currency: 'USD', days: 5.6, invoicedMinor: 15_000, openMinor: 6_000 }],
      slaBreachPercent: 33.3,
    });
    expect(body.customers).toEqual([expect.objectContaining({ customerId, orders: 3, slaBreachPercent: 33.3 })]);
    expect(body.series).toEqual([
      {
        weekStart: '2025-03-05',
        weekEnd: '2025-03-09',
        orders: 2,
        otifPercent: 50,
        cycleTimeHours: { p50: 12, p90: 24 },
        timeToInvoiceHours: { p50: null, p90: null },
        daysSalesOutstanding: null,
        daysSalesOutstandingByCurrency: [],
        slaBreachPercent: 50,
      },
      {
        weekStart: '2025-03-10',
        weekEnd: '2025-03-16',
        orders: 1,
        otifPercent: 100,
        cycleTimeHours: { p50: 96, p90: 96 },
        timeToInvoiceHours: { p50: 30, p90: 30 },
        daysSalesOutstanding: 4.2, // 6 000 open / 10 000 x 7 days
        daysSalesOutstandingByCurrency: [{ currency: 'USD', days: 4.2, invoicedMinor: 10_000, openMinor: 6_000 }],
        slaBreachPercent: 0,
      },
      {
        weekStart: '2025-03-17',
        weekEnd: '2025-03-18',
        orders: 0,
        otifPercent: 66.66,
        cycleTimeHours: { p50: null, p90: null },
        timeToInvoiceHours: { p50: 12, p90: 12 },
        daysSalesOutstanding: 0,
        daysSalesOutstandingByCurrency: [{ currency: 'USD', days: 0, invoicedMinor: 5_000, openMinor: 0 }],
        slaBreachPercent: null,
      },
    ]);

    const plain = (await get('')).json();
    expect(plain).not.toHaveProperty('series');
    expect(plain.overall).toEqual(body.overall);

    const unknown = await get('&groupBy=month');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('groupBy');
  });
});
