/**
 * Bookkeeping of the inbox after a start attempt, shared by the dispatcher and the relay. Each is one
 * statement: no BEGIN/COMMIT round trips, and rows already marked are left as they are.
 */
import type { Db } from '../../lib/db';
import { CLOSED_WON } from './closed-won';

/** Marks the events of `dealIds` as started, in one UPDATE however many there are. */
export async function markStarted(db: Db, dealIds: readonly string[]): Promise<void> {
  if (dealIds.length === 0) return;
  await db.$executeRaw`UPDATE inbound_event SET started_at = now() WHERE kind = ${CLOSED_WON} AND deal_id = ANY(${dealIds as string[]}::text[]) AND started_at IS NULL`;
}

/** Counts a failed start and keeps its message, for the relay and for ops reading the inbox. */
export async function recordStartFailure(db: Db, dealId: string, error: unknown): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  await db.$executeRaw`UPDATE inbound_event SET attempts = attempts + 1, last_error = ${message} WHERE kind = ${CLOSED_WON} AND deal_id = ${dealId} AND started_at IS NULL`;
}

/** The error's message only: gRPC errors can carry metadata, which never goes to the log. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
