/**
 * Delivers CRM milestones (stored by the workflows in crm_milestone) to CRM_WEBHOOK_URL, signed like
 * the inbound webhook but with the outbound secret (CRM_OUTBOUND_SECRET), with retries and exponential
 * backoff. Redirects are not followed (a 3xx is a failed attempt) and only the start of an error body
 * is read (lib/outbound-http.ts). Each attempt is recorded in
 * webhook_delivery, so integrators can see per order what was sent and what the CRM answered.
 *
 * Rows are claimed with FOR UPDATE SKIP LOCKED and a lease (next_attempt_at moved ahead), so several
 * API processes can run the relay without sending a milestone twice at the same time; receivers get an
 * Idempotency-Key for the rare resend after a crash.
 */
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { sign } from './auth/signature';
import { startPoller, type Poller } from '../lib/poller';
import { isRedirect, readTextCapped, redirectTarget } from '../lib/outbound-http';

interface Claimed {
  idempotency_key: string;
  order_id: string;
  deal_id: string;
  milestone: string;
  payload: unknown;
  created_at: Date;
  attempts: number;
}

const BATCH_SIZE = 20;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Time for the writes after each delivery and for a slow database; generous on purpose. */
const LEASE_MARGIN_SECONDS = 60;
const MAX_BACKOFF_SECONDS = 3600;

/**
 * A claim must outlive the slowest pass over its batch: rows are delivered one after another, each
 * may take the whole request timeout, so the last row of a batch is sent up to BATCH_SIZE timeouts
 * after the claim. A shorter lease lets another API process claim that row again and send it twice.
 */
export function leaseSecondsFor(timeoutMs: number): number {
  return Math.ceil((BATCH_SIZE * timeoutMs) / 1000) + LEASE_MARGIN_SECONDS;
}

/** One signed POST of a milestone; `error` is null when the receiver answered 2xx. */
export async function postSigned(call: {
  url: string;
  secret: string;
  body: string;
  idempotencyKey: string;
  timeoutMs: number;
}): Promise<{ statusCode: number | null; error: string | null }> {
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(call.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'closedloop',
        'idempotency-key': call.idempotencyKey,
        'x-closedloop-timestamp': String(timestamp),
        'x-closedloop-signature': sign(call.secret, timestamp, call.body),
      },
      body: call.body,
      // Following it would hand the signed body and its key to whatever the Location names.
      redirect: 'manual',
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    const statusCode = response.status;
    if (isRedirect(statusCode)) {
      await response.body?.cancel();
      return {
        statusCode,
        error: `HTTP ${statusCode}: a redirect to ${redirectTarget(response)}; redirects are not followed: set CRM_WEBHOOK_URL to the final address`,
      };
    }
    if (!response.ok)
      return { statusCode, error: `HTTP ${statusCode}: ${(await readTextCapped(response)).slice(0, 200)}` };
    await response.body?.cancel();
    return { statusCode, error: null };
  } catch (e) {
    return { statusCode: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** `secret` signs the requests: CRM_OUTBOUND_SECRET, never an inbound secret when one is configured. */
export function startCrmWebhookRelay(options: {
  db: Db;
  url: string;
  secret: string;
  log: Logger;
  intervalMs?: number;
  timeoutMs?: number;
}): Poller {
  const { db, url, secret, log } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const leaseSeconds = leaseSecondsFor(timeoutMs);

  const deliver = async (row: Claimed): Promise<void> => {
    const body = JSON.stringify({
      orderId: row.order_id,
      dealId: row.deal_id,
      milestone: row.milestone,
      detail: row.payload,
      occurredAt: row.created_at.toISOString(),
      idempotencyKey: row.idempotency_key,
    });
    const started = Date.now();
    const { statusCode, error } = await postSigned({
      url,
      secret,
      body,
      idempotencyKey: row.idempotency_key,
      timeoutMs,
    });
    const attempt = row.attempts + 1;
    const delivered = error === null;
    const backoffSeconds = Math.min(MAX_BACKOFF_SECONDS, 2 ** attempt);
    await db.$transaction([
      db.webhookDelivery.create({
        data: {
          milestoneKey: row.idempotency_key,
          orderId: row.order_id,
          url,
          attempt,
          statusCode,
          error,
          durationMs: Date.now() - started,
        },
      }),
      db.crmMilestone.update({
        where: { idempotencyKey: row.idempotency_key },
        data: delivered
          ? { deliveredAt: new Date(), attempts: attempt }
          : { attempts: attempt, nextAttemptAt: new Date(Date.now() + backoffSeconds * 1000) },
      }),
    ]);
    if (!delivered)
      log.warn(
        { orderId: row.order_id, milestone: row.milestone, attempt, err: error },
        'CRM webhook delivery failed; will retry',
      );
  };

  return startPoller({
    name: 'CRM webhook relay',
    intervalMs: options.intervalMs ?? 1000,
    log,
    async pass(isStopped) {
      const claimed = await db.$queryRaw<Claimed[]>`
        UPDATE crm_milestone SET next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
        WHERE idempotency_key IN (
          SELECT idempotency_key FROM crm_milestone
          WHERE delivered_at IS NULL AND next_attempt_at <= now()
          ORDER BY created_at LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)
        RETURNING idempotency_key, order_id, deal_id, milestone, payload, created_at, attempts`;
      claimed.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
      for (const row of claimed) {
        if (isStopped()) break;
        await deliver(row);
      }
      return claimed.length;
    },
  });
}
