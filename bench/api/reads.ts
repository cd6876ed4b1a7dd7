/**
 * The read phase's preparation, and the wait that ends each intake round: orders accepted on the read
 * worker's queue, run by the worker up to their first step, then a sample of them read once each.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOSED_WON } from '../../api/intake/closed-won';
import type { Db } from '../../lib/db';
import { runWithConcurrency } from '../load';
import type { WorkerProcess } from './phase';
import { signedClosedWon } from './requests';
import { CATCH_UP_TIMEOUT_MS, say } from './settings';

/**
 * Waits until no inbox row of `dealPrefix` is still between its INSERT and its start (no started_at,
 * no failed attempt): the requests in flight when the load stopped have finished.
 */
export async function inboxSettled(db: Db, dealPrefix: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await db.inboundEvent.count({
      where: { kind: CLOSED_WON, dealId: { startsWith: dealPrefix }, startedAt: null, attempts: 0 },
    });
    if (pending === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `intake: ${pending} inbox rows neither started nor failed ${timeoutMs / 1000} s after the load stopped`,
      );
    await sleep(250);
  }
}

/** Accepts `count` orders through the read queue's app (`<prefix>-<n>`), 10 at a time. */
export async function seedReadOrders(count: number, appUrl: string, secret: string, prefix: string): Promise<void> {
  say(`reads: accepting ${count} orders on the read worker's task queue`);
  const refused = await runWithConcurrency(count, 10, async (i) => {
    const { body, headers } = signedClosedWon(secret, `${prefix}-${i + 1}`);
    const response = await fetch(`${appUrl}/v1/events/closed-won`, { method: 'POST', body, headers });
    return response.status === 202 ? undefined : `HTTP ${response.status}: ${await response.text()}`;
  });
  const problem = refused.find((r) => r !== undefined);
  if (problem) throw new Error(`reads: seeding an order was refused: ${problem}`);
}

/**
 * Starts the read worker and waits until it has run every seeded order up to its first step, then
 * until it goes quiet.
 */
export async function catchUp(
  worker: WorkerProcess,
  db: Db,
  dealPrefix: string,
): Promise<{ workflows: number; seconds: number }> {
  const expected = await db.inboundEvent.count({
    where: { kind: CLOSED_WON, dealId: { startsWith: dealPrefix }, startedAt: { not: null } },
  });
  const started = performance.now();
  const progress = async () => {
    const answer = await worker.request({ type: 'progress' });
    if (answer.type !== 'progress') throw new Error(`read worker: expected progress, got ${answer.type}`);
    return answer;
  };
  await worker.request({ type: 'run' });
  say(`reads: the worker runs the ${expected} orders up to their first step`);
  let lastReport = started;
  let previous = -1;
  for (;;) {
    const { workflowsSeen, transitions } = await progress();
    if (workflowsSeen >= expected && transitions === previous) break;
    previous = workflowsSeen >= expected ? transitions : -1;
    const elapsed = performance.now() - started;
    if (elapsed > CATCH_UP_TIMEOUT_MS) {
      throw new Error(
        `reads: the worker reached ${workflowsSeen} of ${expected} orders in ${CATCH_UP_TIMEOUT_MS / 1000} s`,
      );
    }
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      say(`reads: ${workflowsSeen} of ${expected} orders at their first step (${(elapsed / 1000).toFixed(0)} s)`);
    }
    await sleep(500);
  }
  return { workflows: expected, seconds: (performance.now() - started) / 1000 };
}

/**
 * Picks the orders the read phase cycles through and reads each once: every one must answer with the
 * workflow's live state (not null), which also loads it into the worker's cache.
 */
export async function pickReadTargets(
  db: Db,
  count: number,
  dealPrefix: string,
  appUrl: string,
  apiKey: string,
): Promise<string[]> {
  const rows = await db.$queryRaw<{ workflow_id: string }[]>`
    SELECT workflow_id FROM inbound_event
    WHERE kind = ${CLOSED_WON} AND deal_id LIKE ${`${dealPrefix}%`} AND started_at IS NOT NULL
    ORDER BY random() LIMIT ${count}`;
  const orderIds = rows.map((r) => r.workflow_id);
  if (orderIds.length === 0) throw new Error('reads: intake started no order to read');
  const withoutLiveState = await runWithConcurrency(orderIds.length, 10, async (i) => {
    const orderId = orderIds[i]!;
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`${appUrl}/v1/orders/${encodeURIComponent(orderId)}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const body = (await response.json()) as { workflow?: unknown };
      if (response.ok && body.workflow) return undefined;
      if (attempt === 3)
        return `${orderId}: HTTP ${response.status}, workflow ${JSON.stringify(body.workflow ?? null)}`;
      await sleep(1000);
    }
  });
  const missing = withoutLiveState.filter((m): m is string => m !== undefined);
  if (missing.length > 0)
    throw new Error(
      `reads: ${missing.length} of ${orderIds.length} orders answer without live state, e.g. ${missing[0]}`,
    );
  return orderIds;
}
