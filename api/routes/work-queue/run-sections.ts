/** Sections about runs, from the step-event mirror: stuck steps, SLA breaches, runs on hold. */
import { Prisma, type Db } from '../../../lib/db';
import { ENDED_ORDER } from '../../views/order-view';
import { ITEM_CAP, linkTo, objectOf, opt, sectionOf, STEP_DONE, type Item, type Section } from './section';

interface EventRow {
  run_kind: string;
  run_id: string;
  order_id: string;
  step: string;
  error: string | null;
  reason: string | null;
  occurred_at: Date;
  customer_id: string | null;
  total: bigint;
}

/** An event row as an item: a shipment's step links to its order, invoices and returns to their own pages. */
const eventItem = (r: EventRow, words: Pick<Item, 'title' | 'detail'>): Item => {
  const { objectType, objectId } = objectOf(r.run_kind, r.run_id, r.order_id);
  return { ...linkTo(objectType, objectId, r.order_id, opt(r.customer_id)), ...words, at: r.occurred_at.toISOString() };
};

/**
 * Step events of `status` on runs of `kinds` whose order has not ended, that no later event of the same
 * step has moved on from (`movedOn` tests that later event, `l`).
 */
const openStepEvents = (db: Db, kinds: string[], status: Prisma.Sql, movedOn: Prisma.Sql) =>
  db.$queryRaw<EventRow[]>`
        SELECT e.run_kind, e.run_id, e.order_id, e.step, e.error, e.reason, e.occurred_at, o.customer_id, count(*) OVER () AS total
        FROM step_event e LEFT JOIN "order" o ON o.id = e.order_id
        WHERE e.to_status = ${status} AND e.run_kind = ANY(${kinds})
          -- Runs recorded before cancellations were written to the stuck step: their order's status says it ended.
          AND (o.status IS NULL OR o.status <> ALL(${ENDED_ORDER}))
          AND NOT EXISTS (SELECT 1 FROM step_event l WHERE l.workflow_id = e.workflow_id AND l.step = e.step AND l.id > e.id AND ${movedOn})
        ORDER BY e.occurred_at ASC, e.id ASC LIMIT ${ITEM_CAP}`;

/** The latest transition of the step (an SLA breach aside) is needs_attention. */
export async function needsAttention(db: Db, kinds: string[]): Promise<Section> {
  return sectionOf(
    openStepEvents(db, kinds, Prisma.sql`'needs_attention'`, Prisma.sql`l.to_status <> 'sla_breached'`),
    (r) => eventItem(r, { title: `${r.run_id}: ${r.step} needs attention`, detail: r.error ?? 'no error recorded' }),
  );
}

/** Breached and the step is still open (not completed, skipped, cancelled...), on a run not ended. */
export async function slaBreached(db: Db, kinds: string[]): Promise<Section> {
  return sectionOf(
    openStepEvents(db, kinds, Prisma.sql`'sla_breached'`, Prisma.sql`l.to_status = ANY(${STEP_DONE})`),
    (r) => eventItem(r, { title: `${r.run_id}: ${r.step} breached its SLA`, detail: r.reason ?? 'deadline missed' }),
  );
}

/** The latest hold or release of the run is a hold. */
export async function onHold(db: Db, kinds: string[]): Promise<Section> {
  return sectionOf(
    db.$queryRaw<(EventRow & { actor: string })[]>`
        WITH latest AS (
          SELECT DISTINCT ON (workflow_id) run_kind, run_id, order_id, step, error, reason, actor, occurred_at, to_status
          FROM step_event WHERE step = '*' AND (to_status = 'on_hold' OR from_status = 'on_hold')
          ORDER BY workflow_id, id DESC)
        SELECT l.*, o.customer_id, count(*) OVER () AS total
        FROM latest l LEFT JOIN "order" o ON o.id = l.order_id
        WHERE l.to_status = 'on_hold' AND l.run_kind = ANY(${kinds}) AND (o.status IS NULL OR o.status <> ALL(${ENDED_ORDER}))
        ORDER BY l.occurred_at ASC LIMIT ${ITEM_CAP}`,
    (r) => eventItem(r, { title: `${r.run_id} on hold`, detail: `${r.reason ?? 'no reason'} (by ${r.actor})` }),
  );
}
