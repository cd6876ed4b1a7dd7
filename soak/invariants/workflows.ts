/**
 * Workflow invariants: every accepted event became one order workflow, none failed or threw a workflow
 * task, and every order still open is waiting on something a person or a receipt will provide.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Db } from '../../lib/db';
import { ORDER_ENDS } from '../snapshot';
import { add, type Checker, customerPrefix, type InvariantInputs, orderPrefix } from './checker';

const EventType = temporal.api.enums.v1.EventType;
const TaskFailedCause = temporal.api.enums.v1.WorkflowTaskFailedCause;
/** Causes that are the server's normal bookkeeping, not a workflow throwing. */
const BENIGN_TASK_FAILURES = new Set<number>([
  TaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
  TaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW,
  TaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND,
  TaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE,
]);

type Order = Awaited<ReturnType<Db['order']['findMany']>>[number];
type LatestStep = { order_id: string; workflow_id: string; step: string; to_status: string };

export async function workflowInvariants(
  c: Checker,
  { db, temporal: client, catalogue }: InvariantInputs,
): Promise<void> {
  const tag = catalogue.tag;
  const events = await db.inboundEvent.findMany({
    where: { dealId: { startsWith: `SOAK-${tag}-` } },
    select: { dealId: true, workflowId: true },
  });
  const orders = await db.order.findMany({ where: { id: { startsWith: orderPrefix(tag) } } });
  const runIds = [...events.map((e) => e.workflowId), ...(await childRunIds(db, tag))];
  const { missing, failed, taskFailures } = await inspectRuns(c, client, runIds);

  const byDeal = new Map<string, number>();
  for (const e of events) add(byDeal, e.dealId, 1);
  c.check('every accepted event is one order workflow', events.length, [
    ...[...byDeal].filter(([, n]) => n > 1).map(([dealId, n]) => ({ dealId, events: n })),
    ...missing,
  ]);
  c.check('no workflow failed', runIds.length, failed);
  c.check('no history holds a failed workflow task', runIds.length, taskFailures);

  const latest = await db.$queryRaw<LatestStep[]>`
    SELECT DISTINCT ON (workflow_id, step) order_id, workflow_id, step, to_status FROM step_event
    WHERE order_id LIKE ${`order-SOAK-${tag}-%`} ORDER BY workflow_id, step, id DESC`;
  await openOrdersWaitOnSomething(c, db, orders, latest);
  endedOrdersOfferNoWork(c, orders, latest);
}

/** The shipment, invoice and return workflows a soak's orders started: their ids are their rows' ids. */
async function childRunIds(db: Db, tag: string): Promise<string[]> {
  const [shipments, invoices, returns] = await Promise.all([
    db.shipment.findMany({ where: { orderId: { startsWith: orderPrefix(tag) } }, select: { id: true } }),
    db.invoice.findMany({ where: { customerId: { startsWith: customerPrefix(tag) } }, select: { id: true } }),
    db.returnRequest.findMany({ where: { orderId: { startsWith: orderPrefix(tag) } }, select: { id: true } }),
  ]);
  return [...shipments.map((s) => s.id), ...invoices.map((i) => i.id), ...returns.map((r) => r.id)];
}

/** Describes every run and reads its history: which are missing, which failed, which threw a task. */
async function inspectRuns(c: Checker, client: Client, runIds: string[]) {
  const missing: unknown[] = [];
  const failed: unknown[] = [];
  const taskFailures: unknown[] = [];
  for (const workflowId of runIds) {
    let description;
    try {
      description = await client.workflow.getHandle(workflowId).describe();
    } catch (error) {
      missing.push({ workflowId, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(description.status.name))
      failed.push({ workflowId, status: description.status.name });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    for (const event of history.events ?? []) {
      if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        c.activityRetries += Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
      if (event.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) continue;
      const cause = event.workflowTaskFailedEventAttributes?.cause ?? 0;
      if (BENIGN_TASK_FAILURES.has(cause)) continue;
      taskFailures.push({
        workflowId,
        eventId: String(event.eventId),
        cause: TaskFailedCause[cause],
        message: event.workflowTaskFailedEventAttributes?.failure?.message,
      });
    }
  }
  return { missing, failed, taskFailures };
}

async function openOrdersWaitOnSomething(c: Checker, db: Db, orders: Order[], latest: LatestStep[]): Promise<void> {
  const openOrders = orders.filter((o) => !ORDER_ENDS.has(o.status));
  // Backordered lines wait for the named input "receipt arrived" (POST /v1/receipts).
  // 'received': its receipt arrived and holds the units, the order releases it with the rest.
  const waitingForReceipt = new Set(
    (
      await db.backorder.findMany({
        where: { orderId: { in: openOrders.map((o) => o.id) }, status: { in: ['waiting', 'received'] } },
        select: { orderId: true },
      })
    ).map((b) => b.orderId),
  );
  const unexplained = openOrders.filter((o) => {
    if (o.needsAttention || waitingForReceipt.has(o.id)) return false;
    const own = latest.filter(
      (s) => s.order_id === o.id && !s.workflow_id.startsWith('invoice-') && !s.workflow_id.startsWith('return-'),
    );
    return !own.some((s) => s.to_status === 'waiting' || s.to_status === 'needs_attention');
  });
  c.check(
    'every order not ended waits on a named input or needs attention',
    openOrders.length,
    unexplained.map((o) => ({ orderId: o.id, status: o.status, currentStep: o.currentStep })),
  );
}

/** An ended order's steps must not still offer work to a person (a credit decision, a retry). */
function endedOrdersOfferNoWork(c: Checker, orders: Order[], latest: LatestStep[]): void {
  const endedOrders = new Set(orders.filter((o) => ORDER_ENDS.has(o.status)).map((o) => o.id));
  const stale = latest.filter(
    (s) =>
      s.workflow_id === s.order_id &&
      endedOrders.has(s.order_id) &&
      ['waiting', 'running', 'needs_attention'].includes(s.to_status),
  );
  c.check(
    'no step of an ended order still shows waiting, running or needs attention',
    endedOrders.size,
    stale.map((s) => ({ orderId: s.order_id, step: s.step, status: s.to_status })),
  );
}
