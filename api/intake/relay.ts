/**
 * The inbox's safety net: starts workflows for events the start dispatcher could not start (Temporal
 * unreachable, start timed out) or never got to (the queue was full, or the API process stopped). The
 * dispatcher starts events within milliseconds of their INSERT, so this poll can be slow. Runs in the
 * API process; safe to run in several (starting is idempotent by workflow id).
 */
import type { ClosedWonEvent } from '../../domain/closed-won';
import { CLOSED_WON, type IntakeDeps } from './closed-won';
import type { StartDispatcher } from './dispatcher';
import { errorMessage, markStarted, recordStartFailure } from './inbox-marks';
import { startOrderWorkflow } from './start-order';
import { RELAY_DEFAULTS } from '../../lib/api-defaults';
import { startPoller, type Poller } from '../../lib/poller';

export interface InboxRelayOptions {
  intervalMs?: number;
  /**
   * An event never attempted is left alone this long after it arrived: the dispatcher of the process
   * that accepted it is on it (another API process's dispatcher is invisible from here).
   */
  graceMs?: number;
  /** This process's dispatcher: deals it holds are skipped. */
  dispatcher?: Pick<StartDispatcher, 'isHolding'>;
  /** A start that takes longer is given up until the next tick (a gRPC deadline, as in the dispatcher). */
  startTimeoutMs?: number;
}

export { RELAY_DEFAULTS };

export function startInboxRelay(deps: IntakeDeps, options: InboxRelayOptions = {}): Poller {
  const { intervalMs, graceMs, startTimeoutMs } = { ...RELAY_DEFAULTS, ...options };
  return startPoller({
    name: 'inbox relay',
    intervalMs,
    log: deps.log,
    async pass(isStopped) {
      const pending = await deps.db.inboundEvent.findMany({
        where: {
          kind: CLOSED_WON,
          startedAt: null,
          OR: [{ attempts: { gt: 0 } }, { receivedAt: { lt: new Date(Date.now() - graceMs) } }],
        },
        orderBy: { receivedAt: 'asc' },
        take: 100,
      });
      const started: string[] = [];
      try {
        for (const row of pending) {
          if (isStopped()) break;
          if (options.dispatcher?.isHolding(row.dealId)) continue;
          // The list was read before this loop's starts: the dispatcher may have started and marked the
          // event since. A read is far cheaper than a redundant start (RPC and Temporal's own work).
          const current = await deps.db.inboundEvent.findUnique({ where: { id: row.id }, select: { startedAt: true } });
          if (current?.startedAt) continue;
          try {
            const deadline = Date.now() + startTimeoutMs;
            await deps.temporal.withDeadline(deadline, () =>
              startOrderWorkflow(deps.temporal, deps.taskQueue, row.payload as unknown as ClosedWonEvent),
            );
            started.push(row.dealId);
            deps.log.info(
              { orderId: row.workflowId, workflowId: row.workflowId },
              'relay started order workflow from the inbox',
            );
          } catch (error) {
            deps.log.warn(
              { orderId: row.workflowId, workflowId: row.workflowId, err: errorMessage(error) },
              'relay could not start the order workflow; next tick',
            );
            await recordStartFailure(deps.db, row.dealId, error);
            break; // Temporal is probably still down: try again next tick
          }
        }
      } finally {
        await markStarted(deps.db, started);
      }
      return started.length;
    },
  });
}
