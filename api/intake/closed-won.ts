/**
 * Intake of closed-won events. The event is stored in the inbox and the API answers right after the
 * INSERT: the workflow is started off the request path by the start dispatcher (dispatcher.ts), and by
 * the relay (relay.ts) for whatever the dispatcher could not start. Idempotent by deal id: the same
 * payload again returns the existing order, a different one is a conflict.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../../lib/db';
import { Prisma } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json';
import { orderIdForDeal, type ClosedWonEvent } from '../../domain/closed-won';
import { ProblemError } from '../problems';
import type { StartDispatcher } from './dispatcher';

export const CLOSED_WON = 'closed-won';

export interface IntakeDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  log: Logger;
}

export interface IntakeResult {
  isDuplicate: boolean;
  orderId: string;
  workflowId: string;
  /** When the inbox first accepted this deal. */
  receivedAt: Date;
  /** When its workflow was known to be started; null until then (always null on a first 202). */
  startedAt: Date | null;
}

/**
 * Stores the event (one INSERT for a new deal) and hands it to `dispatcher`; never calls Temporal. A
 * duplicate whose start is still pending is handed over again (the dispatcher ignores deals it holds).
 */
export async function acceptClosedWon(
  deps: { db: Db; dispatcher: StartDispatcher },
  event: ClosedWonEvent,
): Promise<IntakeResult> {
  const payloadHash = sha256Hex(canonicalJson(event));
  const workflowId = orderIdForDeal(event.dealId);
  try {
    const row = await deps.db.inboundEvent.create({
      data: { kind: CLOSED_WON, dealId: event.dealId, payloadHash, payload: event as object, workflowId },
      select: { receivedAt: true },
    });
    deps.dispatcher.kick(event);
    return { isDuplicate: false, orderId: workflowId, workflowId, receivedAt: row.receivedAt, startedAt: null };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
  }
  const existing = await deps.db.inboundEvent.findUniqueOrThrow({
    where: { kind_dealId: { kind: CLOSED_WON, dealId: event.dealId } },
    select: { payloadHash: true, receivedAt: true, startedAt: true },
  });
  if (existing.payloadHash !== payloadHash) {
    throw new ProblemError(
      'conflict',
      `deal ${event.dealId} was already received with a different payload; a deal becomes one order`,
      {
        orderId: workflowId,
      },
    );
  }
  if (!existing.startedAt) deps.dispatcher.kick(event);
  return {
    isDuplicate: true,
    orderId: workflowId,
    workflowId,
    receivedAt: existing.receivedAt,
    startedAt: existing.startedAt,
  };
}
