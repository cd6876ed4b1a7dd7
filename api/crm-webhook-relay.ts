/**
 * Delivers CRM milestones (stored by the workflows in crm_milestone) to CRM_WEBHOOK_URL, signed like
 * the inbound webhook, with retries and exponential backoff. Each attempt is recorded in
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

export function startCrmWebhookRelay(options: { db: Db; url: string; secret: string; log: Logger; intervalMs?: number; timeoutMs?: number }): Poller {
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
    const timestamp = Math.floor(Date.now() / 1000);
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'closedloop',
          'idempotency-key': row.idempotency_key,
          'x-closedloop-timestamp': String(timestamp),
          'x-closedloop-signature': sign(secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      statusCode = response.status;
      if (!response.ok) error = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const attempt = row.attempts + 1;
    const delivered = error === null;
    const backoffSeconds = Math.min(MAX_BACKOFF_SECONDS, 2 ** attempt);
    await db.$transaction([
      db.webhookDelivery.create({
        data: { milestoneKey: row.idempotency_key, orderId: row.order_id, url, attempt, statusCode, error, durationMs: Date.now() - started },
      }),
      db.crmMilestone.update({
        where: { idempotencyKey: row.idempotency_key },
        data: delivered ? { deliveredAt: new Date(), attempts: attempt } : { attempts: attempt, nextAttemptAt: new Date(Date.now() + backoffSeconds * 1000) },
      }),
    ]);
    if (!delivered) log.warn({ orderId: row.order_id, milestone: row.milestone, attempt, err: error }, 'CRM webhook delivery failed; will retry');
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
