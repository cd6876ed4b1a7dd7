/**
 * Intake of closed-won events. The event is stored in the inbox *before* the API answers, then the
 * workflow is started; if Temporal is unreachable the relay (relay.ts) starts it later. Idempotent by
 * deal id: the same payload again returns the existing order, a different one is a conflict.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../../lib/db';
import { Prisma } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json';
import { orderIdForDeal, type ClosedWonEvent } from '../../domain/closed-won';
import { ProblemError } from '../problems';
import { startOrderWorkflow } from './start-order';

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
  runId?: string;
  /** False when Temporal was unreachable: the event is safe in the inbox and the relay will start it. */
  isStarted: boolean;
}

export async function acceptClosedWon(deps: IntakeDeps, event: ClosedWonEvent): Promise<IntakeResult> {
  const payloadHash = sha256Hex(canonicalJson(event));
  const workflowId = orderIdForDeal(event.dealId);
  let isDuplicate = false;
  try {
    await deps.db.inboundEvent.create({
      data: { kind: CLOSED_WON, dealId: event.dealId, payloadHash, payload: event as object, workflowId },
    });
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
    const existing = await deps.db.inboundEvent.findUniqueOrThrow({ where: { kind_dealId: { kind: CLOSED_WON, dealId: event.dealId } } });
    if (existing.payloadHash !== payloadHash) {
      throw new ProblemError('conflict', `deal ${event.dealId} was already received with a different payload; a deal becomes one order`, {
        orderId: workflowId,
      });
    }
    isDuplicate = true;
  }
  const log = deps.log.child({ orderId: workflowId, workflowId, dealId: event.dealId });
  try {
    const { runId } = await startOrderWorkflow(deps.temporal, deps.taskQueue, event);
    // One statement (updateMany would wrap it in BEGIN/COMMIT: three round trips on the hot path).
    await deps.db.$executeRaw`UPDATE inbound_event SET started_at = now() WHERE kind = ${CLOSED_WON} AND deal_id = ${event.dealId} AND started_at IS NULL`;
    log.info({ runId, isDuplicate }, isDuplicate ? 'duplicate closed-won event: existing order returned' : 'order workflow started');
    return { isDuplicate, orderId: workflowId, workflowId, runId, isStarted: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.db.inboundEvent.update({
      where: { kind_dealId: { kind: CLOSED_WON, dealId: event.dealId } },
      data: { attempts: { increment: 1 }, lastError: message },
    });
    log.warn({ err: message }, 'could not start the order workflow now; the inbox relay will retry');
    return { isDuplicate, orderId: workflowId, workflowId, isStarted: false };
  }
}
