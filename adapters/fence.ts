/**
 * Fencing of late commits in the built-in adapters.
 *
 * Cancellation waits for a running attempt to end, but an attempt the Temporal server already timed
 * out (start-to-close or heartbeat) may still be running on a slow or partitioned worker: a zombie.
 * The workflow compensates, and the zombie's commit would land after the undo (stock reserved for a
 * cancelled order for good, an ERP order left open). Idempotency does not help: the zombie's commit
 * is the first one for its key.
 *
 * So each effect has a fence row keyed by the effect's identity, the same for every attempt. Both the
 * commit and the compensation take that row first in their transaction, through its unique key: an
 * INSERT waits for another transaction's uncommitted INSERT of the same key, and FOR UPDATE / ON
 * CONFLICT DO UPDATE wait for its row lock. Whichever comes second sees what the first committed. A
 * compensation always leaves the row marked compensated, even when it found nothing to undo, and a
 * commit that finds the mark refuses with `EffectCompensated` (non-retryable) and writes nothing.
 *
 * Take the fence before any other lock of the transaction (stock rows, lots): every transaction takes
 * at most one fence row and takes it first, so fences add no lock-order cycle.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../domain/failures';
import type { Prisma } from '../lib/db';

type Tx = Prisma.TransactionClient;

/** Fence keys, one per kind of effect; each names what the built-in adapter is idempotent on. */
export const fenceKey = {
  reservation: (orderId: string): string => `reserve:${orderId}`,
  pick: (shipmentId: string): string => `pick:${shipmentId}`,
  erpOrder: (orderId: string): string => `erp-order:${orderId}`,
  carrierBooking: (shipmentId: string): string => `carrier-booking:${shipmentId}`,
};

/**
 * For a commit: takes the effect's fence row, and refuses (EffectCompensated) when its compensation
 * has run. Call first in the commit's transaction; the row stays locked until it ends.
 */
export async function enterCommit(tx: Tx, effectKey: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO effect_fence (effect_key) VALUES (${effectKey}) ON CONFLICT (effect_key) DO NOTHING`;
  const [row] = await tx.$queryRaw<{ compensated_at: Date | null }[]>`
    SELECT compensated_at FROM effect_fence WHERE effect_key = ${effectKey} FOR UPDATE`;
  if (row?.compensated_at)
    throw ApplicationFailure.nonRetryable(
      `${effectKey}: compensated at ${row.compensated_at.toISOString()}, so this late commit (an attempt timed out meanwhile) is refused`,
      FAILURES.EffectCompensated.type,
    );
}

/**
 * For a compensation: marks the effect compensated (the first time only) and holds its fence row, so a
 * commit running meanwhile has either committed (and this undo sees it) or will be refused.
 */
export async function markCompensated(tx: Tx, effectKey: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO effect_fence (effect_key, compensated_at) VALUES (${effectKey}, now())
    ON CONFLICT (effect_key) DO UPDATE SET compensated_at = COALESCE(effect_fence.compensated_at, EXCLUDED.compensated_at)`;
}
