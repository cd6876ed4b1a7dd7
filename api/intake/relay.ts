/**
 * Starts workflows for inbox events that were accepted while Temporal was unreachable. Runs in the API
 * process; safe to run in several (starting is idempotent by workflow id).
 */
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { IntakeDeps } from './closed-won';
import { CLOSED_WON } from './closed-won';
import { startOrderWorkflow } from './start-order';
import { startPoller, type Poller } from '../../lib/poller';

export function startInboxRelay(deps: IntakeDeps, intervalMs = 2000): Poller {
  return startPoller({
    name: 'inbox relay',
    intervalMs,
    log: deps.log,
    async pass(isStopped) {
      const pending = await deps.db.inboundEvent.findMany({
        where: { kind: CLOSED_WON, startedAt: null },
        orderBy: { receivedAt: 'asc' },
        take: 100,
      });
      let started = 0;
      for (const row of pending) {
        if (isStopped()) break;
        try {
          await startOrderWorkflow(deps.temporal, deps.taskQueue, row.payload as unknown as ClosedWonEvent);
          await deps.db.inboundEvent.update({ where: { id: row.id }, data: { startedAt: new Date() } });
          started += 1;
          deps.log.info({ orderId: row.workflowId, workflowId: row.workflowId }, 'relay started order workflow from the inbox');
        } catch (error) {
          await deps.db.inboundEvent.update({
            where: { id: row.id },
            data: { attempts: { increment: 1 }, lastError: error instanceof Error ? error.message : String(error) },
          });
          break; // Temporal is probably still down: try again next tick
        }
      }
      return started;
    },
  });
}
