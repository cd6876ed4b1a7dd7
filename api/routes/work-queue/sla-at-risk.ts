/** The sla_at_risk section: open SLA steps whose deadline falls within the next hour. */
import type { Duration } from '@temporalio/common';
import type { AppDeps } from '../../app';
import { Prisma } from '../../../lib/db';
import { ENDED_ORDER } from '../../views/order-view';
import { durationToMs } from '../../../workflows/shared/duration';
import { FULFILLMENT_STEPS } from '../../../workflows/fulfillment/steps';
import { SHIPMENT_STEPS } from '../../../workflows/shipping/steps';
import { RETURN_STEPS } from '../../../workflows/returns/steps';
import { ISSUE_STEPS } from '../../../workflows/billing/steps';
import type { StepDefinition } from '../../../workflows/engine/step';
import { ITEM_CAP, objectOf, opt, STEP_DONE, type Section } from './section';

/** A deadline this close and not yet missed puts the step in `sla_at_risk`. */
export const AT_RISK_WITHIN_MS = 60 * 60 * 1000;

const SLA_STEPS = new Map<string, StepDefinition>(
  [...FULFILLMENT_STEPS, ...SHIPMENT_STEPS, ...RETURN_STEPS, ...ISSUE_STEPS]
    .filter((s) => s.sla)
    .map((s) => [s.name, s]),
);

/**
 * Open SLA steps whose deadline falls within the next hour. The deadline is not stored: it is the one
 * the engine computes (workflows/engine/sla.ts startSla), from the same inputs: the step's SLA
 * (its declaration, or the duration in the customer's SLA profile), anchored at the order's creation
 * or at the step's first `waiting`/`running` transition. A deadline in (now, now + 1 h] puts the
 * anchor in (now - d, now - d + 1 h] for the step's duration d, so each query reads one hour-wide
 * window per step and duration through an index (order creation, or step start), never the history.
 */
export async function slaAtRisk(deps: AppDeps, kinds: string[], now: Date): Promise<Section> {
  const profiles = await deps.db.slaProfile.findMany({ select: { id: true, stepDurations: true } });
  const durations = new Map(profiles.map((p) => [p.id, (p.stepDurations ?? {}) as Record<string, Duration>]));
  const withinOf = (step: StepDefinition, profileId: string | null): number =>
    durationToMs((profileId ? durations.get(profileId)?.[step.name] : undefined) ?? step.sla!.within);
  /** The anchor windows that can put a deadline of `step` within the hour, one per distinct duration. */
  const windows = (step: StepDefinition) =>
    [...new Set([withinOf(step, null), ...profiles.map((p) => withinOf(step, p.id))])].map((d) => ({
      after: new Date(now.getTime() - d),
      until: new Date(now.getTime() - d + AT_RISK_WITHIN_MS),
    }));
  const steps = [...SLA_STEPS.values()];
  const fromStart = steps.filter((s) => s.sla!.from === 'step.started');
  const fromOrder = steps.filter((s) => s.sla!.from === 'order.created');
  // Once breached (at any time: a retry may start after the breach), the step is in sla_breached instead.
  const stillOpen = Prisma.sql`NOT EXISTS (SELECT 1 FROM step_event l WHERE l.workflow_id = e.workflow_id AND l.step = e.step
    AND ((l.id > e.id AND l.to_status = ANY(${STEP_DONE})) OR l.to_status = 'sla_breached'))`;
  type Row = {
    run_kind: string;
    run_id: string;
    order_id: string;
    step: string;
    started_at: Date;
    customer_id: string | null;
    order_created_at: Date | null;
    sla_profile_id: string | null;
  };

  const startWindows = fromStart.flatMap((s) =>
    windows(s).map(
      (w) => Prisma.sql`(e.step = ${s.name} AND e.occurred_at > ${w.after} AND e.occurred_at <= ${w.until})`,
    ),
  );
  const orderWindows = fromOrder
    .flatMap(windows)
    .map((w) => Prisma.sql`(o.created_at > ${w.after} AND o.created_at <= ${w.until})`);
  const [started, ordered] = await Promise.all([
    startWindows.length === 0
      ? []
      : deps.db.$queryRaw<Row[]>`
      SELECT e.run_kind, e.run_id, e.order_id, e.step, min(e.occurred_at) AS started_at, o.customer_id, o.created_at AS order_created_at, c.sla_profile_id
      FROM step_event e LEFT JOIN "order" o ON o.id = e.order_id LEFT JOIN customer c ON c.id = o.customer_id
      WHERE e.to_status IN ('waiting', 'running') AND (${Prisma.join(startWindows, ' OR ')}) AND e.run_kind = ANY(${kinds})
        AND (o.status IS NULL OR o.status <> ALL(${ENDED_ORDER})) AND ${stillOpen}
      GROUP BY e.run_kind, e.run_id, e.order_id, e.step, o.customer_id, o.created_at, c.sla_profile_id`,
    // Fulfillment steps run on the order's own workflow (workflow id = order id).
    orderWindows.length === 0 || !kinds.includes('order')
      ? []
      : deps.db.$queryRaw<Row[]>`
      SELECT e.run_kind, e.run_id, e.order_id, e.step, min(e.occurred_at) AS started_at, o.customer_id, o.created_at AS order_created_at, c.sla_profile_id
      FROM "order" o JOIN step_event e ON e.workflow_id = o.id LEFT JOIN customer c ON c.id = o.customer_id
      WHERE (${Prisma.join(orderWindows, ' OR ')}) AND o.status <> ALL(${ENDED_ORDER})
        AND e.step = ANY(${fromOrder.map((s) => s.name)}) AND e.to_status IN ('waiting', 'running') AND ${stillOpen}
      GROUP BY e.run_kind, e.run_id, e.order_id, e.step, o.customer_id, o.created_at, c.sla_profile_id`,
  ]);

  const atRisk = [...started, ...ordered]
    .map((r) => {
      const step = SLA_STEPS.get(r.step)!;
      const anchor = step.sla!.from === 'order.created' && r.order_created_at ? r.order_created_at : r.started_at;
      return { r, deadline: anchor.getTime() + withinOf(step, r.sla_profile_id) };
    })
    .filter(({ deadline }) => deadline > now.getTime() && deadline <= now.getTime() + AT_RISK_WITHIN_MS)
    .sort((a, b) => a.deadline - b.deadline);
  return {
    count: atRisk.length,
    items: atRisk.slice(0, ITEM_CAP).map(({ r, deadline }) => ({
      ...objectOf(r.run_kind, r.run_id, r.order_id),
      orderId: r.order_id,
      customerId: opt(r.customer_id),
      title: `${r.run_id}: ${r.step} due in ${Math.max(1, Math.round((deadline - now.getTime()) / 60_000))} min`,
      detail: `SLA deadline ${new Date(deadline).toISOString()}`,
      at: new Date(deadline).toISOString(),
    })),
  };
}
