/**
 * The HTTP adapters against a real HTTP server on 127.0.0.1 (no fetch mocks): what goes on the wire
 * (method, path, body, Idempotency-Key, Authorization), how answers are parsed, and how failures are
 * classified for Temporal (retryable Error vs non-retryable ApplicationFailure).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createHttpCrm } from '../../../adapters/http/crm';
import { createHttpErp } from '../../../adapters/http/erp';
import { createJsonClient, ExternalUnavailableError, type HttpOptions } from '../../../adapters/http/http-client';
import { createHttpTms } from '../../../adapters/http/tms';
import { createHttpWms } from '../../../adapters/http/wms';
import type { CustomerAccount, PickRequest, ReserveRequest } from '../../../adapters/types';
import { releaseKey } from '../../../activities/fulfillment/reserve-stock';
import type { StepInput } from '../../../activities/contract';

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

interface Reply {
  status?: number;
  body?: unknown;
  /** Sent as is instead of JSON. */
  raw?: string;
  delayMs?: number;
}

const TOKEN = 'tok-SECRET-4f7a';
const PASSWORD = 'pw-SECRET-91c2';

let server: http.Server;
let baseUrl: string;
let requests: Recorded[];
let reply: (request: Recorded) => Reply;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: Recorded = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(recorded);
      const r = reply(recorded);
      const send = () => {
        const payload = r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body));
        res.writeHead(r.status ?? 200, payload && r.raw === undefined ? { 'content-type': 'application/json' } : {});
        res.end(payload);
      };
      if (!r.delayMs) return send();
      const timer = setTimeout(send, r.delayMs);
      res.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = [];
  reply = () => ({ status: 204 });
});

const bearer = (): HttpOptions => ({ baseUrl, token: TOKEN, timeoutMs: 2000 });
const only = (): Recorded => {
  expect(requests).toHaveLength(1);
  return requests[0]!;
};

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, got success');
}

const customer: CustomerAccount = {
  id: 'C/1',
  name: 'Acme Foods',
  currency: 'EUR',
  creditLimitMinor: 5_000_000,
  openReceivablesMinor: 120_000,
  isOnCreditHold: false,
  paymentTerms: 'net30',
  slaProfileId: 'standard',
  minShelfLifeDays: 30,
  billOn: 'ship',
  isTaxExempt: false,
  isActive: true,
  salesRepEmail: null,
};

const allocation = {
  allocations: [{ lineNo: 1, sku: 'SKU-A', warehouseId: 'WH-EAST', quantity: 4 }],
  backorders: [
    {
      lineNo: 2,
      sku: 'SKU-B',
      warehouseId: 'WH-EAST',
      quantity: 2,
      availableDate: '2026-05-04',
      source: 'receipt',
      receiptId: 'R-9',
    },
  ],
};

describe('what goes on the wire', () => {
  it('reads a customer with GET, bearer token, User-Agent and no Idempotency-Key; the id is percent-encoded', async () => {
    reply = () => ({ body: { ...customer, unknownExtra: 'ignored' } });
    await expect(createHttpErp(bearer()).getCustomer('C/1')).resolves.toEqual(customer);
    const req = only();
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/api/v1/customers/C%2F1');
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['user-agent']).toBe('closedloop');
    expect(req.headers['idempotency-key']).toBeUndefined();
  });

  it('sends Basic credentials when configured with username and password', async () => {
    reply = () => ({ body: [] });
    await createHttpTms({ baseUrl, username: 'closedloop', password: PASSWORD }).listRates();
    expect(only().headers.authorization).toBe(`Basic ${Buffer.from(`closedloop:${PASSWORD}`).toString('base64')}`);
  });

  it('answers undefined when the ERP has no such customer (404)', async () => {
    reply = () => ({ status: 404, body: { error: 'not found' } });
    await expect(createHttpErp(bearer()).getCustomer('C-404')).resolves.toBeUndefined();
    await expect(createHttpErp(bearer()).getSlaProfile('gold')).resolves.toBeUndefined();
  });

  it('asks for SKUs as repeated query parameters, once each, and asks nothing for an empty list', async () => {
    const erp = createHttpErp(bearer());
    reply = () => ({ body: [] });
    await expect(erp.getSkus([])).resolves.toEqual([]);
    expect(requests).toHaveLength(0);

    reply = () => ({ body: [{ sku: 'SKU-A', unitPriceMinor: 990, currency: 'EUR' }] });
    await expect(erp.getContractPrices('C-1', ['SKU-A', 'SKU B', 'SKU-A'])).resolves.toEqual([
      { sku: 'SKU-A', unitPriceMinor: 990, currency: 'EUR' },
    ]);
    expect(only()).toMatchObject({ method: 'GET', url: '/api/v1/customers/C-1/prices?sku=SKU-A&sku=SKU+B' });
  });

  it('splits long SKU lists into requests of at most 100', async () => {
    const skus = Array.from({ length: 250 }, (_, i) => `SKU-${i}`);
    reply = (req) => ({
      body: new URL(req.url, 'http://x').searchParams.getAll('sku').map((sku) => ({
        sku,
        description: sku,
        unitWeightGrams: 100,
        hazardClass: null,
        isLotTracked: false,
        listPriceMinor: 100,
        currency: 'EUR',
        leadTimeDays: 5,
        isActive: true,
      })),
    });
    const records = await createHttpErp(bearer()).getSkus(skus);
    expect(records.map((r) => r.sku)).toEqual(skus);
    expect(requests.map((r) => new URL(r.url, 'http://x').searchParams.getAll('sku').length)).toEqual([100, 100, 50]);
  });

  const salesOrder = {
    orderId: 'ORD-1',
    customerId: 'C-1',
    poNumber: 'PO-77',
    currency: 'EUR',
    lines: [
      {
        lineNo: 1,
        sku: 'SKU-A',
        quantity: 4,
        unitPriceMinor: 990,
        promisedShipDate: '2026-05-01',
        promisedDeliveryDate: '2026-05-04',
        isBackordered: false,
      },
    ],
  };
  const reserveRequest: ReserveRequest = {
    orderId: 'ORD-1',
    lines: [{ lineNo: 1, sku: 'SKU-A', quantity: 4 }],
    allowsPartialShipment: true,
    today: '2026-04-28',
    minShelfLifeDays: 90,
  };
  const pickRequest: PickRequest = {
    shipmentId: 'SH-1',
    orderId: 'ORD-1',
    warehouseId: 'WH-EAST',
    lines: [{ lineNo: 1, sku: 'SKU-A', quantity: 4 }],
    minShelfLifeDays: 30,
    today: '2026-04-28',
  };
  const picks = {
    lines: [{ lineNo: 1, sku: 'SKU-A', quantity: 4, lots: [{ lotId: 'L-1', quantity: 4, expiryDate: '2026-12-31' }] }],
  };
  const packed = {
    packages: [
      {
        packageNo: 1,
        kind: 'parcel',
        weightGrams: 2400,
        isHazardous: false,
        contents: [{ sku: 'SKU-A', quantity: 4 }],
      },
    ],
    totalWeightGrams: 2400,
  };
  const booking = {
    shipmentId: 'SH-1',
    carrierId: 'dhl',
    mode: 'parcel',
    weightGrams: 2400,
    packageCount: 1,
    shipTo: { city: 'Lyon', country: 'FR' },
  };
  const receivable = {
    customerId: 'C-1',
    invoiceNumber: 'INV-1',
    kind: 'payment' as const,
    amountMinor: -3960,
    currency: 'EUR',
  };
  const milestone = {
    orderId: 'ORD-1',
    dealId: 'D-1',
    milestone: 'shipped' as const,
    detail: { trackingNumber: 'DHL123' },
  };

  it.each<{
    name: string;
    call: () => Promise<unknown>;
    path: string;
    key: string;
    body?: unknown;
    answer?: unknown;
    result?: unknown;
  }>([
    {
      name: 'ERP createSalesOrder',
      call: () => createHttpErp(bearer()).createSalesOrder(salesOrder, 'wf-1:erp-order'),
      path: '/sales-orders',
      key: 'wf-1:erp-order',
      body: salesOrder,
      answer: { erpOrderNumber: 'SO-0000042' },
      result: { erpOrderNumber: 'SO-0000042' },
    },
    {
      name: 'ERP cancelSalesOrder',
      call: () => createHttpErp(bearer()).cancelSalesOrder('ORD-1', 'wf-1:erp-order:cancel'),
      path: '/sales-orders/ORD-1/cancel',
      key: 'wf-1:erp-order:cancel',
    },
    {
      name: 'ERP postReceivable',
      call: () => createHttpErp(bearer()).postReceivable!(receivable, 'wf-INV-1:post-to-erp'),
      path: '/receivables',
      key: 'wf-INV-1:post-to-erp',
      body: receivable,
      answer: { erpDocumentNumber: 'AR-INV-1' },
      result: { erpDocumentNumber: 'AR-INV-1' },
    },
    {
      name: 'WMS reserve',
      call: () => createHttpWms(bearer()).reserve(reserveRequest),
      path: '/reservations',
      key: 'reserve:ORD-1',
      body: reserveRequest,
      answer: allocation,
      result: allocation,
    },
    {
      name: 'WMS releaseOrder',
      call: () => createHttpWms(bearer()).releaseOrder('ORD-1'),
      path: '/reservations/ORD-1/release',
      key: 'release:ORD-1',
    },
    {
      name: 'WMS pick',
      call: () => createHttpWms(bearer()).pick(pickRequest),
      path: '/shipments/SH-1/pick',
      key: 'pick:SH-1',
      body: pickRequest,
      answer: picks,
      result: picks,
    },
    {
      name: 'WMS unpick',
      call: () => createHttpWms(bearer()).unpick('SH-1'),
      path: '/shipments/SH-1/unpick',
      key: 'unpick:SH-1',
    },
    {
      name: 'WMS pack',
      call: () => createHttpWms(bearer()).pack('SH-1'),
      path: '/shipments/SH-1/pack',
      key: 'pack:SH-1',
      answer: packed,
      result: packed,
    },
    {
      name: 'WMS receive',
      call: () => createHttpWms(bearer()).receive('R-9'),
      path: '/receipts/R-9/receive',
      key: 'receive:R-9',
      answer: { sku: 'SKU-B', warehouseId: 'WH-EAST', quantity: 50, waitingOrderIds: ['ORD-1'] },
      result: { sku: 'SKU-B', warehouseId: 'WH-EAST', quantity: 50, waitingOrderIds: ['ORD-1'] },
    },
    {
      name: 'TMS book',
      call: () => createHttpTms(bearer()).book(booking, 'wf-SH-1:book-carrier'),
      path: '/bookings',
      key: 'wf-SH-1:book-carrier',
      body: booking,
      answer: { trackingNumber: 'DHL123' },
      result: { trackingNumber: 'DHL123' },
    },
    {
      name: 'CRM sendMilestone',
      call: () => createHttpCrm(bearer()).sendMilestone(milestone, 'wf-1:ship:crm'),
      path: '/milestones',
      key: 'wf-1:ship:crm',
      body: milestone,
    },
  ])('$name POSTs $path with its Idempotency-Key and body', async ({ call, path, key, body, answer, result }) => {
    reply = () => (answer === undefined ? { status: 204 } : { status: 200, body: answer });
    await expect(call()).resolves.toEqual(result);
    const req = only();
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`/api/v1${path}`);
    expect(req.headers['idempotency-key']).toBe(key);
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['user-agent']).toBe('closedloop');
    expect(req.body).toEqual(body);
    if (body !== undefined) expect(req.headers['content-type']).toBe('application/json');
  });

  it.each<{ name: string; call: () => Promise<unknown>; path: string; answer: unknown }>([
    {
      name: 'WMS listHolidays',
      call: () => createHttpWms(bearer()).listHolidays(),
      path: '/holidays',
      answer: ['2026-05-01', '2026-12-25'],
    },
    {
      name: 'WMS listWarehousePriority',
      call: () => createHttpWms(bearer()).listWarehousePriority(),
      path: '/warehouses/priority',
      answer: ['WH-EAST', 'WH-WEST'],
    },
    {
      name: 'TMS listRates',
      call: () => createHttpTms(bearer()).listRates(),
      path: '/rates',
      answer: [
        {
          carrierId: 'dhl',
          carrierName: 'DHL',
          mode: 'parcel',
          minWeightGrams: 0,
          maxWeightGrams: 31_500,
          baseMinor: 900,
          perKgMinor: 45,
          transitBusinessDays: 2,
          acceptedHazardClasses: ['9'],
        },
      ],
    },
    {
      name: 'ERP getSlaProfile',
      call: () => createHttpErp(bearer()).getSlaProfile('gold'),
      path: '/sla-profiles/gold',
      answer: {
        id: 'gold',
        name: 'Gold',
        stepDurations: { 'reserve-stock': '2h' },
        handlingBusinessDays: 1,
        otifPenaltyBp: 200,
      },
    },
  ])('$name GETs $path and parses the answer', async ({ call, path, answer }) => {
    reply = () => ({ body: answer });
    await expect(call()).resolves.toEqual(answer);
    expect(only()).toMatchObject({ method: 'GET', url: `/api/v1${path}` });
  });

  it('treats 404 on the compensations (cancel, release, unpick) as already done', async () => {
    reply = () => ({ status: 404 });
    await expect(createHttpErp(bearer()).cancelSalesOrder('ORD-X', 'k')).resolves.toBeUndefined();
    await expect(createHttpWms(bearer()).releaseOrder('ORD-X')).resolves.toBeUndefined();
    await expect(createHttpWms(bearer()).unpick('SH-X')).resolves.toBeUndefined();
  });

  it('sends no carrier cancellation it cannot address: no tracking number known', async () => {
    await createHttpTms(bearer()).cancelBooking({ shipmentId: 'SH-X', trackingNumber: null }, 'k:cancel');
    expect(requests).toHaveLength(0);
    await createHttpTms(bearer()).cancelBooking({ shipmentId: 'SH-X', trackingNumber: 'TN/1' }, 'k:cancel');
    expect(only()).toMatchObject({
      method: 'POST',
      url: '/api/v1/bookings/TN%2F1/cancellation',
      body: { shipmentId: 'SH-X' },
    });
    expect(only().headers['idempotency-key']).toBe('k:cancel');
  });

  it('fails an unknown receipt like the built-in WMS: non-retryable UnknownReceipt', async () => {
    reply = () => ({ status: 404 });
    const failure = await failureOf(createHttpWms(bearer()).receive('R-404'));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'UnknownReceipt', nonRetryable: true });
  });

  it("sends the caller's release key and whether the order ships complete", async () => {
    reply = () => ({ body: { allocations: [], backorders: [] } });
    const wms = createHttpWms(bearer());
    await wms.releaseBackorders({
      orderId: 'ORD-1',
      allowsPartialShipment: false,
      today: '2026-04-28',
      minShelfLifeDays: 90,
      idempotencyKey: 'order-ORD-1:release-backorders:run-1/7',
    });
    expect(requests.map((r) => [r.url, r.headers['idempotency-key'], r.body])).toEqual([
      [
        '/api/v1/backorders/ORD-1/release',
        'order-ORD-1:release-backorders:run-1/7',
        { allowsPartialShipment: false, today: '2026-04-28', minShelfLifeDays: 90 },
      ],
    ]);
  });

  it('keys a backorder release by the activity (stable across its retries, new for the next release)', async () => {
    const input = { idempotencyKey: 'order-ORD-1:release-backorders' } as StepInput;
    const first = new MockActivityEnvironment({
      activityId: '7',
      workflowExecution: { workflowId: 'order-ORD-1', runId: 'run-1' },
    });
    const next = new MockActivityEnvironment({
      activityId: '9',
      workflowExecution: { workflowId: 'order-ORD-1', runId: 'run-1' },
    });
    const keys = [
      await first.run(() => Promise.resolve(releaseKey(input))),
      await first.run(() => Promise.resolve(releaseKey(input))),
      await next.run(() => Promise.resolve(releaseKey(input))),
      releaseKey(input),
    ];
    expect(keys).toEqual([
      'order-ORD-1:release-backorders:run-1/7',
      'order-ORD-1:release-backorders:run-1/7',
      'order-ORD-1:release-backorders:run-1/9',
      'order-ORD-1:release-backorders',
    ]);
  });
});

describe('how failures reach Temporal', () => {
  it('makes a 500 a retryable Error naming system, method, path, status and the body', async () => {
    reply = () => ({ status: 500, body: { error: 'database unavailable' } });
    const failure = await failureOf(createHttpErp(bearer()).getCustomer('C-1'));
    expect(failure).toBeInstanceOf(ExternalUnavailableError);
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(failure.message).toBe('ERP GET /customers/C-1 answered 500: {"error":"database unavailable"}');
  });

  it.each([429, 409, 503])('retries a %i', async (status) => {
    reply = () => ({ status, raw: 'busy' });
    const failure = await failureOf(
      createHttpTms(bearer()).book(
        { shipmentId: 'SH-1', carrierId: 'dhl', mode: 'parcel', weightGrams: 1, packageCount: 1, shipTo: {} },
        'k-1',
      ),
    );
    expect(failure).toBeInstanceOf(ExternalUnavailableError);
    expect(failure.message).toBe(`TMS POST /bookings answered ${status}: busy`);
  });

  it("makes a 422 a non-retryable ExternalRejected carrying the other system's reason", async () => {
    reply = () => ({ status: 422, body: { error: 'poNumber PO-77 already used by SO-0000012' } });
    const failure = await failureOf(
      createHttpErp(bearer()).createSalesOrder(
        { orderId: 'ORD-1', customerId: 'C-1', poNumber: 'PO-77', currency: 'EUR', lines: [] },
        'k-1',
      ),
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ExternalRejected', nonRetryable: true });
    expect(failure.message).toBe(
      'ERP POST /sales-orders answered 422: {"error":"poNumber PO-77 already used by SO-0000012"}',
    );
  });

  it('rejects a 404 where absence is not an answer (a list endpoint)', async () => {
    reply = () => ({ status: 404, raw: 'Cannot GET /api/v1/rates' });
    const failure = await failureOf(createHttpTms(bearer()).listRates());
    expect(failure).toMatchObject({
      type: 'ExternalRejected',
      nonRetryable: true,
      message: 'TMS GET /rates answered 404: Cannot GET /api/v1/rates',
    });
  });

  it('shortens a long error body to an excerpt', async () => {
    reply = () => ({ status: 502, raw: `<html>\n${'x'.repeat(5000)}</html>` });
    const failure = await failureOf(createHttpWms(bearer()).listHolidays());
    expect(failure.message.length).toBeLessThan(300);
    expect(failure.message).toMatch(/^WMS GET \/holidays answered 502: <html> x+\.\.\.$/);
  });

  it('gives up on a slow server after timeoutMs with a retryable Error that says so', async () => {
    reply = () => ({ delayMs: 1000, body: customer });
    const failure = await failureOf(createHttpErp({ ...bearer(), timeoutMs: 50 }).getCustomer('C-1'));
    expect(failure).toBeInstanceOf(ExternalUnavailableError);
    expect(failure.message).toBe('ERP GET /customers/C-1: no answer within 50 ms (timeout)');
  });

  it('makes an unreachable system a retryable network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await failureOf(
      createHttpCrm({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN }).sendMilestone(
        { orderId: 'O', dealId: 'D', milestone: 'paid', detail: {} },
        'k',
      ),
    );
    expect(failure).toBeInstanceOf(ExternalUnavailableError);
    expect(failure.message).toBe(`CRM POST /milestones: network error (connect ECONNREFUSED 127.0.0.1:${port})`);
  });

  it('makes a 2xx body that breaks the contract a non-retryable ExternalBadResponse naming the field', async () => {
    reply = () => ({ body: { ...customer, creditLimitMinor: '5000000' } });
    const failure = await failureOf(createHttpErp(bearer()).getCustomer('C-1'));
    expect(failure).toMatchObject({ type: 'ExternalBadResponse', nonRetryable: true });
    expect(failure.message).toMatch(
      /^ERP GET \/customers\/C-1 answered 200, but the body does not match the documented contract \(creditLimitMinor: .*number/,
    );

    reply = () => ({ raw: '<html>maintenance</html>' });
    expect((await failureOf(createHttpErp(bearer()).getCustomer('C-1'))).message).toBe(
      'ERP GET /customers/C-1 answered 200, but the body is not JSON: <html>maintenance</html>',
    );
  });

  it('never puts credentials in a message, even when the other system echoes them', async () => {
    const basic = { baseUrl, username: 'closedloop', password: PASSWORD };
    const basicHeader = Buffer.from(`closedloop:${PASSWORD}`).toString('base64');
    // Each client can only hide what it knows: the server echoes the secret of the client calling it.
    const secretOf = (req: Recorded) => (req.headers.authorization?.startsWith('Bearer') ? TOKEN : PASSWORD);
    reply = (req) => ({
      status: 401,
      body: { error: 'bad credentials', got: req.headers.authorization, secret: secretOf(req) },
    });
    const failures = [
      await failureOf(createHttpErp(bearer()).getCustomer('C-1')),
      await failureOf(createHttpErp(basic).getCustomer('C-1')),
    ];
    reply = (req) => ({ status: 500, raw: `upstream said: ${req.headers.authorization}` });
    failures.push(
      await failureOf(createHttpWms(bearer()).listHolidays()),
      await failureOf(createHttpWms(basic).listHolidays()),
    );
    reply = () => ({ delayMs: 1000 });
    failures.push(await failureOf(createHttpWms({ ...bearer(), timeoutMs: 20 }).listHolidays()));

    for (const failure of failures) {
      expect(`${failure.message} ${failure.stack}`).not.toContain(TOKEN);
      expect(`${failure.message} ${failure.stack}`).not.toContain(PASSWORD);
      expect(`${failure.message} ${failure.stack}`).not.toContain(basicHeader);
    }
    expect(failures[0]!.message).toContain('[redacted]');
    expect(failures[0]).toMatchObject({ type: 'ExternalRejected', nonRetryable: true });
  });
});

describe('client settings', () => {
  it('refuses a write without an idempotency key before sending anything', async () => {
    const client = createJsonClient('ERP', bearer());
    await expect(client.request({ method: 'POST', path: '/sales-orders', body: {} })).rejects.toThrow(
      'ERP POST /sales-orders: a write needs an idempotency key',
    );
    expect(requests).toHaveLength(0);
  });

  it.each<{ options: HttpOptions; message: string }>([
    {
      options: { baseUrl: 'erp.example.com' },
      message: 'ERP http.baseUrl must be an absolute http(s) URL (got "erp.example.com")',
    },
    {
      options: { baseUrl: 'ftp://erp.example.com' },
      message: 'ERP http.baseUrl must start with http:// or https:// (got ftp://...)',
    },
    {
      options: { baseUrl: `https://u:${PASSWORD}@erp.example.com` },
      message: 'ERP http.baseUrl must not contain credentials; set the token or username/password instead',
    },
    {
      options: { baseUrl: 'https://erp.example.com', token: TOKEN, username: 'u', password: PASSWORD },
      message: 'ERP http: set either a token or username/password, not both',
    },
    {
      options: { baseUrl: 'https://erp.example.com', username: 'u' },
      message: 'ERP http: username and password go together (one of them is missing)',
    },
    {
      options: { baseUrl: 'https://erp.example.com', timeoutMs: 0 },
      message: 'ERP http.timeoutMs must be a whole number of milliseconds > 0 (got 0)',
    },
  ])('refuses unusable options: $message', ({ options, message }) => {
    expect(() => createHttpErp(options)).toThrow(new RangeError(message));
  });
});
