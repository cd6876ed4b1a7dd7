/**
 * Demo orders: on the first start of a fresh embedded database, `npm start` runs five orders on the demo
 * data set (prisma/seed-data.ts) into the states ops and finance work on, so a new user's first look at
 * the order lists and the work queue is not empty. Nothing here takes a shortcut: each deal is posted to
 * the closed-won webhook signed like a CRM posts it (the path of examples/closed-won.json), and is then
 * driven with the same API calls a person would make, under an `ops` key made for the purpose and
 * revoked when done.
 *
 * - stuck: an oxidizer (hazard class 5.1) that no built-in carrier is licensed to haul: the shipment is
 *   picked and packed, then waits in needs_attention at book-carrier with the TMS's reason;
 * - credit hold: a customer dunning put on credit hold: the order waits at credit-approval;
 * - backordered: five motors of a SKU stocked one at a time, for a customer who takes complete shipments
 *   only: the whole order waits on the replenishment lead time;
 * - invoiced, falling overdue: delivered, its invoice issued and e-mailed on NET1 terms. The invoice
 *   date is the day of issue (the workflow's clock, never back-dated), so no invoice can honestly be
 *   past due on the day it is made: this one is due tomorrow, past due (AR aging) the day after, and
 *   `overdue` once dunning's first overdue reminder fires;
 * - return awaiting inspection: delivered, a return of part of it requested, approved by ops (above the
 *   auto-approval value), its label booked and the goods received back at the warehouse.
 *
 * Runs in the background (the API answers meanwhile), logs one line per order with the state it
 * reached, and is idempotent: deal ids are fixed, the intake answers a known deal as a duplicate, and
 * each API call is made only when the order is in the state that calls for it (a return is requested
 * only when the order has none). DEMO_ORDERS=off disables it.
 */
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { createApiKey } from '../api/auth/api-keys';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../api/auth/signature';

export interface DemoOrdersOptions {
  /** Where this process's API listens, e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  crmWebhookSecret: string;
  db: Db;
  log: Logger;
  /** How long one order may take to reach its state. */
  timeoutMs?: number;
  /** How often the driver reads an order back while it waits. */
  pollMs?: number;
}

export interface DemoOrderOutcome {
  key: DemoOrderKey;
  orderId: string;
  /** What the order reached, as the log line says it; undefined when it did not get there. */
  state?: string;
  error?: string;
}

export interface DemoOrdersRun {
  /** Settles with one outcome per demo order (never rejects). */
  done: Promise<DemoOrderOutcome[]>;
  /** Stops driving (on shutdown) and waits for the driver to let go. */
  stop(): Promise<void>;
}

export type DemoOrderKey = 'stuck' | 'credit-hold' | 'backordered' | 'invoiced' | 'return';

const DEMO_KEY_NAME = 'demo-orders';
const ACME = { id: 'CUST-ACME', name: 'Acme Industrial Supply, Inc.' };
const ACME_CONTACTS = {
  billingContact: { name: 'Dana Whitfield', email: 'ap@acme-industrial.example' },
  shippingContact: { name: 'Luis Ortega', email: 'receiving@acme-industrial.example' },
};
const ACME_DOCK = {
  name: 'Acme Industrial Supply - Dock 2',
  line1: '1800 Commerce Parkway',
  city: 'Columbus',
  region: 'OH',
  postalCode: '43219',
  country: 'US',
};

/** The demo deals: fixed ids, so a second run finds the first one's orders. */
export const DEMO_DEALS: readonly {
  key: DemoOrderKey;
  dealId: string;
  event: (today: string) => Record<string, unknown>;
}[] = [
  {
    key: 'stuck',
    dealId: 'D-DEMO-0001',
    event: (today) => ({
      customer: {
        id: 'CUST-INITECH',
        name: 'Initech Facilities LLC',
        billingContact: { name: 'Bill Lumbergh', email: 'ap@initech.example' },
        shippingContact: { name: 'Milton Waddams', email: 'facilities@initech.example' },
      },
      poNumber: 'PO-IN-20418',
      lines: [{ sku: 'OXIDIZER-H2O2-20L', quantity: 4, unitPriceMinor: 8_900 }],
      shipTo: {
        name: 'Initech - Building 3 Cooling Plant',
        line1: '4120 Freidrich Lane',
        city: 'Austin',
        region: 'TX',
        postalCode: '78744',
        country: 'US',
      },
      requestedDeliveryDate: inDays(today, 14),
    }),
  },
  {
    key: 'credit-hold',
    dealId: 'D-DEMO-0002',
    event: (today) => ({
      customer: {
        id: 'CUST-HOOLI',
        name: 'Hooli Manufacturing Co.',
        billingContact: { name: 'Gavin Belson', email: 'ap@hooli.example' },
        shippingContact: { name: 'Jared Dunn', email: 'receiving@hooli.example' },
      },
      poNumber: 'PO-HM-5521',
      lines: [
        { sku: 'BEARING-6204-2RS', quantity: 200, unitPriceMinor: 640 },
        { sku: 'VALVE-BR-050', quantity: 24, unitPriceMinor: 2_450 },
      ],
      shipTo: {
        name: 'Hooli Manufacturing - Plant 1',
        line1: '1401 N Shoreline Blvd',
        city: 'Mountain View',
        region: 'CA',
        postalCode: '94043',
        country: 'US',
      },
      requestedDeliveryDate: inDays(today, 10),
    }),
  },
  {
    key: 'backordered',
    dealId: 'D-DEMO-0003',
    event: (today) => ({
      customer: { ...ACME, ...ACME_CONTACTS },
      poNumber: 'PO-778402',
      lines: [{ sku: 'MOTOR-TEFC-075', quantity: 5, unitPriceMinor: 98_500 }],
      shipTo: ACME_DOCK,
      requestedDeliveryDate: inDays(today, 21),
      allowsPartialShipment: false,
    }),
  },
  {
    key: 'invoiced',
    dealId: 'D-DEMO-0004',
    event: (today) => ({
      customer: { ...ACME, ...ACME_CONTACTS },
      poNumber: 'PO-778377',
      lines: [
        { sku: 'VALVE-BR-050', quantity: 40, unitPriceMinor: 'contract' },
        { sku: 'GASKET-NBR-050', quantity: 200, unitPriceMinor: 85 },
      ],
      shipTo: ACME_DOCK,
      requestedDeliveryDate: inDays(today, 7),
      // The shortest terms there are: due the day after the invoice date (see the module's comment).
      paymentTerms: 'NET1',
    }),
  },
  {
    key: 'return',
    dealId: 'D-DEMO-0005',
    event: (today) => ({
      customer: { ...ACME, ...ACME_CONTACTS },
      poNumber: 'PO-778390',
      lines: [{ sku: 'VALVE-BR-050', quantity: 60, unitPriceMinor: 'contract' }],
      shipTo: ACME_DOCK,
      requestedDeliveryDate: inDays(today, 7),
    }),
  },
];

/** The return of the `return` demo: 24 of its 60 valves ($516.00, above the $500.00 auto-approval limit). */
const DEMO_RETURN_LINES = [{ sku: 'VALVE-BR-050', quantity: 24, reasonCode: 'DEFECTIVE' }];

export const demoOrderId = (dealId: string): string => `order-${dealId}`;

function inDays(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

class Stopped extends Error {}

// API answers are read as the documented JSON, untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a few fields of each answer, checked where read
type Json = any;

/** Starts the demo orders in the background; see the module's comment. */
export function startDemoOrders(options: DemoOrdersOptions): DemoOrdersRun {
  const { apiUrl, crmWebhookSecret, db, log } = options;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 2_000;
  const abort = new AbortController();
  let apiKey = '';

  const call = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json }> => {
    if (abort.signal.aborted) throw new Stopped();
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
      signal: abort.signal,
    });
    const text = await res.text();
    let parsed: Json = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the message
    }
    return { status: res.status, body: parsed };
  };
  const expectOk = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Json> => {
    const res = await call(method, path, body);
    if (res.status >= 300)
      throw new Error(
        `${method} ${path} answered ${res.status}: ${typeof res.body === 'string' ? res.body : (res.body?.detail ?? res.body?.title ?? JSON.stringify(res.body))}`,
      );
    return res.body;
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      abort.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new Stopped());
        },
        { once: true },
      );
    });
  /**
   * Reads `read` until `isThere` holds; throws naming `what` (and the last failed read) after the time
   * limit. A read that fails (a return still being checked answers 409, a busy moment 503) is tried again.
   */
  const until = async <T>(what: string, read: () => Promise<T>, isThere: (value: T) => boolean): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    for (;;) {
      try {
        const value = await read();
        if (isThere(value)) return value;
      } catch (error) {
        if (error instanceof Stopped || abort.signal.aborted) throw new Stopped();
        lastError = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline)
        throw new Error(
          `gave up waiting ${timeoutMs / 1000} s for ${what}${lastError ? ` (last read: ${lastError})` : ''}`,
        );
      await sleep(pollMs);
    }
  };
  const order = (orderId: string) => expectOk('GET', `/v1/orders/${orderId}`);
  const step = (view: Json, name: string): Json => view?.workflow?.steps?.find((s: Json) => s.name === name);

  /** Posts the deal as the CRM does: HMAC-SHA256 over "<timestamp>.<raw body>". 202 new, 200 known. */
  const postDeal = async (deal: (typeof DEMO_DEALS)[number], today: string): Promise<void> => {
    const event = {
      dealId: deal.dealId,
      closedAt: new Date().toISOString(),
      currency: 'USD',
      paymentTerms: 'CUSTOMER_DEFAULT',
      freightTerms: 'prepaid_and_add',
      allowsPartialShipment: true,
      ...deal.event(today),
    };
    const raw = JSON.stringify(event);
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await call('POST', '/v1/events/closed-won', raw, {
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: sign(crmWebhookSecret, timestamp, raw),
    });
    // 409: the deal is known with another payload (an earlier run on another day): it is that order.
    if (![200, 202, 409].includes(res.status))
      throw new Error(`closed-won ${deal.dealId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  };

  const shipped = (orderId: string) =>
    until(
      `${orderId} to ship`,
      () => order(orderId),
      (v) =>
        ['shipped', 'partially_delivered', 'delivered', 'fulfilled'].includes(v.status) ||
        v.shipments?.[0]?.status === 'delivered',
    );
  /** Proof of delivery for the order's one shipment, unless it is delivered already. */
  const deliver = async (orderId: string, signer: string): Promise<Json> => {
    const view = await shipped(orderId);
    const shipment = view.shipments[0];
    if (shipment.status !== 'delivered') {
      await expectOk('POST', `/v1/orders/${orderId}/delivery`, {
        shipmentId: shipment.shipmentId,
        signer,
        deliveredAt: new Date().toISOString(),
      });
    }
    return until(
      `${orderId} to be invoiced`,
      () => order(orderId),
      (v) => v.status === 'fulfilled' && ['sent', 'overdue', 'paid'].includes(v.invoices?.[0]?.status),
    );
  };

  const drive: Record<DemoOrderKey, (orderId: string) => Promise<string>> = {
    stuck: async (orderId) => {
      const shipmentId = `${orderId}-S1`;
      const timeline = await until(
        `${shipmentId} to stop at book-carrier`,
        () => expectOk('GET', `/v1/orders/${orderId}/timeline`),
        (t) =>
          t.runs?.some(
            (r: Json) =>
              r.runId === shipmentId &&
              step(r.state ? { workflow: r.state } : undefined, 'book-carrier')?.status === 'needs_attention',
          ),
      );
      const booking = step({ workflow: timeline.runs.find((r: Json) => r.runId === shipmentId).state }, 'book-carrier');
      return `shipment ${shipmentId} needs attention at book-carrier: ${booking.lastError}`;
    },
    'credit-hold': async (orderId) => {
      const view = await until(
        `${orderId} to wait for a credit decision`,
        () => order(orderId),
        (v) => step(v, 'credit-approval')?.status === 'waiting',
      );
      return `${view.status}: waiting at credit-approval for a credit decision (POST /v1/orders/${orderId}/credit-decision)`;
    },
    backordered: async (orderId) => {
      // Nothing to ship until the motors come in: no shipment is released, the order waits.
      const view = await until(
        `${orderId} to be backordered`,
        () => order(orderId),
        (v) => v.status === 'partially_released' && v.shipments?.length === 0,
      );
      const backorders = (view.workflow.results['reserve-stock']?.backorders ?? []) as {
        sku: string;
        quantity: number;
        availableDate: string;
      }[];
      return `${view.status}: ${backorders.map((b) => `${b.quantity} x ${b.sku} backordered until ${b.availableDate}`).join(', ') || 'nothing backordered'}`;
    },
    invoiced: async (orderId) => {
      const view = await deliver(orderId, 'Luis Ortega');
      const invoice = view.invoices[0];
      return `delivered, ${view.status}; invoice ${invoice.invoiceNumber} ${invoice.status} on ${invoice.issueDate}, NET1: due ${invoice.dueDate}, past due from the day after`;
    },
    return: async (orderId) => {
      await deliver(orderId, 'Luis Ortega');
      let returnId = (await expectOk('GET', `/v1/returns?orderId=${encodeURIComponent(orderId)}`)).items?.[0]
        ?.returnId as string | undefined;
      if (!returnId)
        returnId = (await expectOk('POST', `/v1/orders/${orderId}/returns`, { lines: DEMO_RETURN_LINES }))
          .returnId as string;
      const read = () => expectOk('GET', `/v1/returns/${returnId}`);
      const waiting = (v: Json, name: string) => step(v, name)?.status === 'waiting';
      let view = await until(
        `${returnId} to be checked`,
        read,
        (v) => waiting(v, 'approve-return') || waiting(v, 'await-receipt') || waiting(v, 'inspect-return'),
      );
      if (waiting(view, 'approve-return')) {
        await expectOk('POST', `/v1/returns/${returnId}/approve`, {
          decision: 'approve',
          reason: 'Demo: valves leak at the stem; replacement order follows',
        });
        view = await until(
          `${returnId} to await the goods`,
          read,
          (v) => waiting(v, 'await-receipt') || waiting(v, 'inspect-return'),
        );
      }
      if (waiting(view, 'await-receipt')) {
        await expectOk('POST', `/v1/returns/${returnId}/receive`, {
          warehouseId: 'WH-COLUMBUS',
          receivedAt: new Date().toISOString(),
        });
        view = await until(`${returnId} to await inspection`, read, (v) => waiting(v, 'inspect-return'));
      }
      return `delivered; return ${returnId} (${view.status}) approved and received, waiting at inspect-return (POST /v1/returns/${returnId}/inspect)`;
    },
  };

  const run = async (): Promise<DemoOrderOutcome[]> => {
    const today = new Date().toISOString().slice(0, 10);
    const key = await createApiKey(db, DEMO_KEY_NAME, 'ops');
    apiKey = key.key;
    try {
      for (const deal of DEMO_DEALS) await postDeal(deal, today);
      return await Promise.all(
        DEMO_DEALS.map(async (deal): Promise<DemoOrderOutcome> => {
          const orderId = demoOrderId(deal.dealId);
          try {
            const state = await drive[deal.key](orderId);
            log.info({ demoOrder: deal.key, orderId }, `demo order ${orderId} (${deal.key}): ${state}`);
            return { key: deal.key, orderId, state };
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (!(error instanceof Stopped) && !abort.signal.aborted)
              log.warn(
                { demoOrder: deal.key, orderId },
                `demo order ${orderId} (${deal.key}) did not reach its state: ${message}`,
              );
            return { key: deal.key, orderId, error: message };
          }
        }),
      );
    } finally {
      // The key served this run only: nobody holds it afterwards.
      await db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } }).catch(() => undefined);
    }
  };

  const done = run().catch((error): DemoOrderOutcome[] => {
    if (!abort.signal.aborted)
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'demo orders could not be started');
    return [];
  });
  return {
    done,
    async stop() {
      abort.abort();
      await done;
    },
  };
}
