/**
 * A new user's first look is not empty: a fresh `npm start` (runtime/start.ts on a fresh data folder and
 * free ports, as test/foundation/readme.test.ts starts it) runs the five demo orders
 * (runtime/demo-orders.ts) through the real intake and API into their states, in the background, and
 * a restart on the same data makes none again. Each state is read back through the API, as a user
 * would read it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addCalendarDays } from '../../domain/calendar/business-days';
import { startLikeNpmStart, type StartedSystem } from '../support/npm-start';

const START_TIMEOUT_MS = 5 * 60_000;
const STATES_TIMEOUT_MS = 6 * 60_000;

let root: string;
let system: StartedSystem | undefined;

// API answers are read as the documented JSON, untyped.
const get = async (path_: string): Promise<any> => {
  const res = await fetch(`${system!.apiUrl}${path_}`, { headers: { authorization: `Bearer ${system!.adminKey}` } });
  if (res.status !== 200) throw new Error(`GET ${path_} answered ${res.status}: ${await res.text()}`);
  return res.json();
};
const step = (run: any, name: string) => run?.steps?.find((s: any) => s.name === name);

/** Reads `read` until `isThere` holds, or fails naming `what` with the last answer and the system's output. */
async function until<T>(what: string, read: () => Promise<T>, isThere: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + STATES_TIMEOUT_MS;
  let last: unknown;
  for (;;) {
    try {
      last = await read();
      if (isThere(last as T)) return last as T;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${STATES_TIMEOUT_MS / 1000} s; last answer:\n${JSON.stringify(last, null, 1).slice(0, 3000)}\n--- closedloop's output ends:\n${system!.output().slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

const demoLines = () =>
  system!
    .output()
    .split('\n')
    .filter((l) => l.includes('demo order order-D-DEMO-'));

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'closedloop-demo-'));
  system = await startLikeNpmStart({ dataDir: path.join(root, 'data'), timeoutMs: START_TIMEOUT_MS });
}, START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await system?.stop(30_000);
  if (root && !process.env.KEEP_TEST_DATABASE) rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('demo orders on a fresh npm start', () => {
  it('answers the API while they run in the background', async () => {
    expect(system!.output()).toContain('Demo orders:');
    // Right after the banner the demo orders are not all there yet, and the API answers meanwhile.
    expect(demoLines().length).toBeLessThan(5);
    expect((await get('/v1/orders?limit=1')).items).toBeDefined();
  });

  it('stops one shipment at book-carrier: no demo carrier hauls hazard class 5.1', async () => {
    const timeline = await until(
      'order-D-DEMO-0001-S1 in needs_attention at book-carrier',
      () => get('/v1/orders/order-D-DEMO-0001/timeline'),
      (t: any) =>
        step(t.runs.find((r: any) => r.runId === 'order-D-DEMO-0001-S1')?.state, 'book-carrier')?.status ===
        'needs_attention',
    );
    const shipment = timeline.runs.find((r: any) => r.runId === 'order-D-DEMO-0001-S1').state;
    expect(shipment).toMatchObject({ needsAttention: true, status: 'packed' });
    expect(step(shipment, 'book-carrier').lastError).toMatch(
      /NoCarrier: no carrier rate fits \d+ g \(LTL\) with hazard classes 5\.1/,
    );
    const order = await get('/v1/orders/order-D-DEMO-0001');
    expect(order).toMatchObject({
      customer: { id: 'CUST-INITECH' },
      status: 'in_fulfillment',
      shipments: [{ shipmentId: 'order-D-DEMO-0001-S1', status: 'packed', trackingNumber: null }],
    });
  });

  it('holds one order for credit: the customer is on credit hold', async () => {
    const order = await until(
      'order-D-DEMO-0002 waiting at credit-approval',
      () => get('/v1/orders/order-D-DEMO-0002'),
      (o: any) => step(o.workflow, 'credit-approval')?.status === 'waiting',
    );
    expect(order).toMatchObject({
      customer: { id: 'CUST-HOOLI' },
      status: 'credit_hold',
      currentStep: 'credit-approval',
      shipments: [],
    });
  });

  it('backorders one order whole: 5 motors wanted, 1 in stock, complete shipment only', async () => {
    const order = await until(
      'order-D-DEMO-0003 backordered',
      () => get('/v1/orders/order-D-DEMO-0003'),
      (o: any) => o.status === 'partially_released',
    );
    expect(order.shipments).toEqual([]);
    const backorders = order.backorders;
    expect(backorders).toEqual([expect.objectContaining({ sku: 'MOTOR-TEFC-075', quantity: 5 })]);
    // No receipt is scheduled: the promise is the SKU's 28-day lead time, from today or later.
    expect(backorders[0].availableDate >= addCalendarDays(new Date().toISOString().slice(0, 10), 28)).toBe(true);
  });

  it('delivers one order and invoices it on NET1: due the day after its invoice date', async () => {
    const order = await until(
      'order-D-DEMO-0004 delivered and its invoice sent',
      () => get('/v1/orders/order-D-DEMO-0004'),
      (o: any) => o.status === 'fulfilled' && o.invoices[0]?.status === 'sent',
    );
    expect(order.shipments).toEqual([expect.objectContaining({ status: 'delivered' })]);
    const [invoice] = order.invoices;
    expect(invoice).toMatchObject({ customerId: 'CUST-ACME', amountDueMinor: invoice.totalMinor });
    expect(invoice.dueDate).toBe(addCalendarDays(invoice.issueDate, 1));
    expect((await get(`/v1/invoices/${invoice.invoiceId}`)).paymentTerms).toBe('NET1');
  });

  it('takes one return to received, approved by ops, waiting for inspection', async () => {
    const order = await until(
      'order-D-DEMO-0005 with a received return',
      () => get('/v1/orders/order-D-DEMO-0005'),
      (o: any) => o.returns[0]?.status === 'received',
    );
    expect(order).toMatchObject({
      status: 'fulfilled',
      shipments: [expect.objectContaining({ status: 'delivered' })],
      returns: [{ returnId: 'return-order-D-DEMO-0005-1' }],
    });
    const ret = await until(
      'return-order-D-DEMO-0005-1 waiting at inspect-return',
      () => get('/v1/returns/return-order-D-DEMO-0005-1'),
      (r: any) => step(r.workflow, 'inspect-return')?.status === 'waiting',
    );
    expect(step(ret.workflow, 'approve-return')).toMatchObject({ status: 'completed' });
    expect(step(ret.workflow, 'await-receipt')).toMatchObject({ status: 'completed' });
    // Approved by a person (the demo's ops key), not automatically: the value is above the limit.
    const audit = await get('/v1/audit?targetId=return-order-D-DEMO-0005-1');
    expect(JSON.stringify(audit)).toContain('return approve');
  });

  it('logs one line per demo order with the state it reached', async () => {
    await until(
      'five demo log lines',
      async () => demoLines(),
      (lines) => lines.length >= 5,
    );
    const lines = demoLines();
    expect(lines).toHaveLength(5);
    for (const id of ['0001', '0002', '0003', '0004', '0005'])
      expect(lines.filter((l) => l.includes(`demo order order-D-DEMO-${id} (`))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('did not reach its state');
  });

  it(
    'makes none again when restarted on the same data',
    async () => {
      const before = (await get('/v1/orders?limit=100')).items.map((o: any) => o.orderId).sort();
      const returnsBefore = (await get('/v1/returns?limit=100')).items.length;
      await system!.stop(30_000);
      // A restart makes no admin key (there is one already): the first start's key goes on working.
      system = await startLikeNpmStart({
        dataDir: path.join(root, 'data'),
        timeoutMs: START_TIMEOUT_MS,
        restartWithKey: system!.adminKey,
      });
      expect(system.output()).not.toContain('Demo orders:');
      expect((await get('/v1/orders?limit=100')).items.map((o: any) => o.orderId).sort()).toEqual(before);
      expect((await get('/v1/returns?limit=100')).items.length).toBe(returnsBefore);
    },
    START_TIMEOUT_MS + 60_000,
  );
});
