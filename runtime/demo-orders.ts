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
import { createDemoApi, Stopped, type DemoApi } from './demo-orders/api-client';
import { DEMO_DEALS, demoOrderId, type DemoOrderKey } from './demo-orders/deals';
import { demoDrivers } from './demo-orders/drivers';

export { DEMO_DEALS, demoOrderId, type DemoOrderKey } from './demo-orders/deals';

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

const DEMO_KEY_NAME = 'demo-orders';

/** Starts the demo orders in the background; see the module's comment. */
export function startDemoOrders(options: DemoOrdersOptions): DemoOrdersRun {
  const { db, log } = options;
  const abort = new AbortController();
  const api = createDemoApi({
    apiUrl: options.apiUrl,
    signal: abort.signal,
    timeoutMs: options.timeoutMs ?? 5 * 60_000,
    pollMs: options.pollMs ?? 2_000,
  });
  const drive = demoDrivers(api);

  /** One deal driven to its state; a failure is its outcome, logged unless the run was stopped. */
  const driveDeal = async (deal: (typeof DEMO_DEALS)[number]): Promise<DemoOrderOutcome> => {
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
  };

  const run = async (): Promise<DemoOrderOutcome[]> => {
    const today = new Date().toISOString().slice(0, 10);
    const key = await createApiKey(db, DEMO_KEY_NAME, 'ops');
    api.useKey(key.key);
    try {
      for (const deal of DEMO_DEALS) await postDeal(api, options.crmWebhookSecret, deal, today);
      return await Promise.all(DEMO_DEALS.map(driveDeal));
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

/** Posts the deal as the CRM does: HMAC-SHA256 over "<timestamp>.<raw body>". 202 new, 200 known. */
async function postDeal(api: DemoApi, crmWebhookSecret: string, deal: (typeof DEMO_DEALS)[number], today: string) {
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
  const res = await api.call('POST', '/v1/events/closed-won', raw, {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: sign(crmWebhookSecret, timestamp, raw),
  });
  // 409: the deal is known with another payload (an earlier run on another day): it is that order.
  if (![200, 202, 409].includes(res.status))
    throw new Error(`closed-won ${deal.dealId} answered ${res.status}: ${JSON.stringify(res.body)}`);
}
