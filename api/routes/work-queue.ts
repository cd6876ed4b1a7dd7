/**
 * The console's home: what needs a person now, in sections, from PostgreSQL only (the step-event
 * mirror and the rows the workflows keep current; no Temporal query). Each section is one indexed
 * query that counts every match and returns the first ITEM_CAP of them.
 *
 * Which sections a role sees is what it can act on or must follow:
 * - ops: stuck order, shipment and return runs, SLA breaches and risks, holds, late backorders,
 *   returns awaiting approval or inspection, failed CRM webhook deliveries;
 * - finance: stuck invoice runs, orders on credit hold (finance decides them), escalated invoices;
 * - admin: every section, every kind of run.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { Prisma } from '../../lib/db';
import { problemResponses } from '../schemas';
import type { Role } from '../auth/api-keys';
import type { RunKind } from '../run-kind';
import { ENDED_ORDER } from '../views/order-view';
import { durationToMs } from '../../workflows/shared/duration';
import { FULFILLMENT_STEPS } from '../../workflows/fulfillment/steps';
import { SHIPMENT_STEPS } from '../../workflows/shipping/steps';
import { RETURN_STEPS } from '../../workflows/returns/steps';
import { ISSUE_STEPS } from '../../workflows/billing/steps';
import type { StepDefinition } from '../../workflows/engine/step';
import type { Duration } from '@temporalio/common';

export const ITEM_CAP = 50;
/** A deadline this close and not yet missed puts the step in `sla_at_risk`. */
export const AT_RISK_WITHIN_MS = 60 * 60 * 1000;

export const WORK_QUEUE_SECTIONS = [
  { key: 'needs_attention', label: 'Steps that need attention' },
  { key: 'sla_breached', label: 'SLA breached' },
  { key: 'sla_at_risk', label: 'SLA deadline within the hour' },
  { key: 'credit_hold', label: 'Orders on credit hold' },
  { key: 'on_hold', label: 'Runs on hold' },
  { key: 'backorders_late', label: 'Backorders past their promised date' },
  { key: 'returns_awaiting', label: 'Returns awaiting approval or inspection' },
  { key: 'invoices_escalated', label: 'Escalated invoices' },
  { key: 'webhooks_failed', label: 'Failed CRM webhook deliveries' },
] as const;
export type SectionKey = (typeof WORK_QUEUE_SECTIONS)[number]['key'];

/** What each role sees, and the kinds of runs whose steps it sees (it can retry or skip those). */
export const WORK_QUEUE_SCOPE: Record<
  Exclude<Role, 'crm'>,
  { sections: readonly SectionKey[]; runKinds: readonly RunKind[] }
> = {
  ops: {
    sections: [
      'needs_attention',
      'sla_breached',
      'sla_at_risk',
      'on_hold',
      'backorders_late',
      'returns_awaiting',
      'webhooks_failed',
    ],
    runKinds: ['order', 'shipment', 'return'],
  },
  finance: { sections: ['needs_attention', 'credit_hold', 'invoices_escalated'], runKinds: ['invoice'] },
  admin: { sections: WORK_QUEUE_SECTIONS.map((s) => s.key), runKinds: ['order', 'shipment', 'invoice', 'return'] },
};

const itemSchema = z.object({
  objectType: z.enum(['order', 'invoice', 'return', 'webhook']),
  objectId: z
    .string()
    .describe('The id to link to: order, invoice, return id, or the milestone idempotency key of a webhook'),
  orderId: z.string().optional(),
  customerId: z.string().optional(),
  title: z.string(),
  detail: z.string(),
  at: z.string().describe('When it started needing attention (or the deadline, for SLA sections)'),
});
type Item = z.infer<typeof itemSchema>;
type Section = { count: number; items: Item[] };

export const workQueueSchema = z.object({
  generatedAt: z.string(),
  sections: z.array(
    z.object({ key: z.string(), label: z.string(), count: z.number().int(), items: z.array(itemSchema) }),
  ),
});

/** Step statuses after which a step no longer runs, waits or can breach. */
const STEP_DONE = ['completed', 'skipped', 'not_required', 'failed', 'compensated', 'cancelled'];

const SLA_STEPS = new Map<string, StepDefinition>(
  [...FULFILLMENT_STEPS, ...SHIPMENT_STEPS, ...RETURN_STEPS, ...ISSUE_STEPS]
    .filter((s) => s.sla)
    .map((s) => [s.name, s]),
);

/** A shipment's steps belong to its order on screen; invoices and returns have their own pages. */
const objectOf = (runKind: string, runId: string, orderId: string): Pick<Item, 'objectType' | 'objectId'> =>
  runKind === 'invoice'
    ? { objectType: 'invoice', objectId: runId }
    : runKind === 'return'
      ? { objectType: 'return', objectId: runId }
      : { objectType: 'order', objectId: orderId };

const opt = (value: string | null | undefined) => (value ? value : undefined);
const money = (minor: bigint | number, currency: string) => `${currency} ${(Number(minor) / 100).toFixed(2)}`;
const total = (rows: { total: bigint }[]) => Number(rows[0]?.total ?? 0);

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

export async function buildWorkQueue(deps: AppDeps, role: Exclude<Role, 'crm'>, now = new Date()) {
  const db = deps.db;
  const scope = WORK_QUEUE_SCOPE[role];
  const kinds = [...scope.runKinds];

  const readers: Record<SectionKey, () => Promise<Section>> = {
    // The latest transition of the step (an SLA breach aside) is needs_attention.
    needs_attention: async () => {
      const rows = await db.$queryRaw<EventRow[]>`
        SELECT e.run_kind, e.run_id, e.order_id, e.step, e.error, e.reason, e.occurred_at, o.customer_id, count(*) OVER () AS total
        FROM step_event e LEFT JOIN "order" o ON o.id = e.order_id
        WHERE e.to_status = 'needs_attention' AND e.run_kind = ANY(${kinds})
          -- Runs recorded before cancellations were written to the stuck step: their order's status says it ended.
          AND (o.status IS NULL OR o.status <> ALL(${ENDED_ORDER}))
          AND NOT EXISTS (SELECT 1 FROM step_event l WHERE l.workflow_id = e.workflow_id AND l.step = e.step AND l.id > e.id AND l.to_status <> 'sla_breached')
        ORDER BY e.occurred_at ASC, e.id ASC LIMIT ${ITEM_CAP}`;
      return {
        count: total(rows),
        items: rows.map((r) => ({
          ...objectOf(r.run_kind, r.run_id, r.order_id),
          orderId: r.order_id,
          customerId: opt(r.customer_id),
          title: `${r.run_id}: ${r.step} needs attention`,
          detail: r.error ?? 'no error recorded',
          at: r.occurred_at.toISOString(),
        })),
      };
    },

    // Breached and the step is still open (not completed, skipped, cancelled...), on a run not ended.
    sla_breached: async () => {
      const rows = await db.$queryRaw<EventRow[]>`
        SELECT e.run_kind, e.run_id, e.order_id, e.step, e.error, e.reason, e.occurred_at, o.customer_id, count(*) OVER () AS total
        FROM step_event e LEFT JOIN "order" o ON o.id = e.order_id
        WHERE e.to_status = 'sla_breached' AND e.run_kind = ANY(${kinds})
          AND (o.status IS NULL OR o.status <> ALL(${ENDED_ORDER}))
          AND NOT EXISTS (SELECT 1 FROM step_event l WHERE l.workflow_id = e.workflow_id AND l.step = e.step AND l.id > e.id AND l.to_status = ANY(${STEP_DONE}))
        ORDER BY e.occurred_at ASC, e.id ASC LIMIT ${ITEM_CAP}`;
      return {
        count: total(rows),
        items: rows.map((r) => ({
          ...objectOf(r.run_kind, r.run_id, r.order_id),
          orderId: r.order_id,
          customerId: opt(r.customer_id),
          title: `${r.run_id}: ${r.step} breached its SLA`,
          detail: r.reason ?? 'deadline missed',
          at: r.occurred_at.toISOString(),
        })),
      };
    },

    sla_at_risk: async () => slaAtRisk(deps, kinds, now),

    credit_hold: async () => {
      const rows = await db.$queryRaw<
        {
          id: string;
          customer_id: string;
          customer_name: string;
          total_minor: bigint;
          currency: string;
          updated_at: Date;
          total: bigint;
        }[]
      >`
        SELECT id, customer_id, customer_name, total_minor, currency, updated_at, count(*) OVER () AS total
        FROM "order" WHERE status = 'credit_hold' ORDER BY updated_at ASC, id ASC LIMIT ${ITEM_CAP}`;
      return {
        count: total(rows),
        items: rows.map((r) => ({
          objectType: 'order' as const,
          objectId: r.id,
          orderId: r.id,
          customerId: r.customer_id,
          title: `${r.id} on credit hold`,
          detail: `${r.customer_name}: ${money(r.total_minor, r.currency)} waiting for a credit decision`,
          at: r.updated_at.toISOString(),
        })),
      };
    },

    // The latest hold or release of the run is a hold.
    on_hold: async () => {
      const rows = await db.$queryRaw<(EventRow & { actor: string })[]>`
        WITH latest AS (
          SELECT DISTINCT ON (workflow_id) run_kind, run_id, order_id, step, error, reason, actor, occurred_at, to_status
          FROM step_event WHERE step = '*' AND (to_status = 'on_hold' OR from_status = 'on_hold')
          ORDER BY workflow_id, id DESC)
        SELECT l.*, o.customer_id, count(*) OVER () AS total
        FROM latest l LEFT JOIN "order" o ON o.id = l.order_id
        WHERE l.to_status = 'on_hold' AND l.run_kind = ANY(${kinds}) AND (o.status IS NULL OR o.status <> ALL(${ENDED_ORDER}))
        ORDER BY l.occurred_at ASC LIMIT ${ITEM_CAP}`;
      return {
        count: total(rows),
        items: rows.map((r) => ({
          ...objectOf(r.run_kind, r.run_id, r.order_id),
          orderId: r.order_id,
          customerId: opt(r.customer_id),
          title: `${r.run_id} on hold`,
          detail: `${r.reason ?? 'no reason'} (by ${r.actor})`,
          at: r.occurred_at.toISOString(),
        })),
      };
    },

    // One item per order: its waiting backorder lines whose available (promised) date has passed.
    backorders_late: async () => {
      const rows = await db.$queryRaw<
        {
          order_id: string;
          customer_id: string;
          customer_name: string;
          lines: bigint;
          units: bigint;
          promised: Date;
          skus: string[];
          total: bigint;
        }[]
      >`
        SELECT b.order_id, o.customer_id, o.customer_name, count(*) AS lines, sum(b.quantity) AS units, min(b.available_date) AS promised,
               array_agg(DISTINCT b.sku) AS skus, count(*) OVER () AS total
        FROM backorder b JOIN "order" o ON o.id = b.order_id
        WHERE b.status = 'waiting' AND b.available_date < (now() AT TIME ZONE 'UTC')::date
        GROUP BY b.order_id, o.customer_id, o.customer_name
        ORDER BY promised ASC, b.order_id ASC LIMIT ${ITEM_CAP}`;
      return {
        count: total(rows),
        items: rows.map((r) => ({
          objectType: 'order' as const,
          objectId: r.order_id,
          orderId: r.order_id,
          customerId: r.customer_id,
          title: `${r.order_id}: backorder past its promised date`,
          detail: `${r.customer_name}: ${Number(r.units)} units of ${r.skus.join(', ')} promised ${r.promised.toISOString().slice(0, 10)}`,
          at: r.promised.toISOString(),
        })),
      };
    },

    returns_awaiting: async () => {
      const rows = await db.$queryRaw<
        {
          id: string;
          order_id: string;
          customer_id: string;
          status: string;
          value_minor: bigint;
          currency: string;
          updated_at: Date;
          total: bigint;
        }[]
      >`
        SELECT id, order_id, customer_id, status, value_minor, currency, updated_at, count(*) OVER () AS total
        FROM return_request WHERE status IN ('pending_approval', 'received') ORDER BY updated_at ASC, id ASC LIMIT ${ITEM_CAP}`;
      return {
        count: total(rows),
        items: rows.map((r) => ({
          objectType: 'return' as const,
          objectId: r.id,
          orderId: r.order_id,
          customerId: r.customer_id,
          title: `${r.id} awaiting ${r.status === 'received' ? 'inspection' : 'approval'}`,
          detail: `${money(r.value_minor, r.currency)} at invoiced prices`,
          at: r.updated_at.toISOString(),
        })),
      };
    },

    invoices_escalated: async () => {
      const rows = await db.$queryRaw<
        {
          id: string;
          invoice_number: string | null;
          order_id: string;
          customer_id: string;
          status: string;
          currency: string;
          due_date: Date | null;
          balance: bigint;
          updated_at: Date;
          total: bigint;
        }[]
      >`
        SELECT id, invoice_number, order_id, customer_id, status, currency, due_date, updated_at,
               total_minor - paid_minor - discount_taken_minor - credited_minor AS balance, count(*) OVER () AS total
        FROM invoice WHERE is_escalated AND status IN ('issued', 'sent', 'partially_paid', 'overdue')
        ORDER BY due_date ASC NULLS LAST, id ASC LIMIT ${ITEM_CAP}`;
      return {
        count: total(rows),
        items: rows.map((r) => ({
          objectType: 'invoice' as const,
          objectId: r.id,
          orderId: r.order_id,
          customerId: r.customer_id,
          title: `${r.invoice_number ?? r.id} escalated`,
          detail: `${r.status}, ${money(r.balance, r.currency)} open${r.due_date ? `, due ${r.due_date.toISOString().slice(0, 10)}` : ''}`,
          at: r.updated_at.toISOString(),
        })),
      };
    },

    // Milestones not delivered after at least one attempt, with the last attempt's outcome.
    webhooks_failed: async () => {
      const rows = await db.$queryRaw<
        {
          idempotency_key: string;
          order_id: string;
          milestone: string;
          attempts: number;
          next_attempt_at: Date;
          customer_id: string | null;
          status_code: number | null;
          error: string | null;
          attempted_at: Date | null;
          total: bigint;
        }[]
      >`
        SELECT m.idempotency_key, m.order_id, m.milestone, m.attempts, m.next_attempt_at, o.customer_id, d.status_code, d.error, d.attempted_at,
               count(*) OVER () AS total
        FROM crm_milestone m
        LEFT JOIN "order" o ON o.id = m.order_id
        LEFT JOIN LATERAL (SELECT status_code, error, attempted_at FROM webhook_delivery w WHERE w.milestone_key = m.idempotency_key ORDER BY w.id DESC LIMIT 1) d ON true
        WHERE m.delivered_at IS NULL AND m.attempts > 0
        ORDER BY m.created_at ASC, m.idempotency_key ASC LIMIT ${ITEM_CAP}`;
      return {
        count: total(rows),
        items: rows.map((r) => ({
          objectType: 'webhook' as const,
          objectId: r.idempotency_key,
          orderId: r.order_id,
          customerId: opt(r.customer_id),
          title: `${r.order_id}: CRM milestone ${r.milestone} not delivered`,
          detail: `${r.attempts} attempt(s); last: ${r.status_code !== null ? `HTTP ${r.status_code}` : (r.error ?? 'no answer')}; next try ${r.next_attempt_at.toISOString()}`,
          at: (r.attempted_at ?? r.next_attempt_at).toISOString(),
        })),
      };
    },
  };

  const visible = WORK_QUEUE_SECTIONS.filter((s) => scope.sections.includes(s.key));
  const sections = await Promise.all(
    visible.map(async (s) => ({ key: s.key, label: s.label, ...(await readers[s.key]()) })),
  );
  return { generatedAt: now.toISOString(), sections };
}

/**
 * Open SLA steps whose deadline falls within the next hour. The deadline is not stored: it is the one
 * the engine computes (workflows/engine/sla.ts startSla), from the same inputs: the step's SLA
 * (its declaration, or the duration in the customer's SLA profile), anchored at the order's creation
 * or at the step's first `waiting`/`running` transition. A deadline in (now, now + 1 h] puts the
 * anchor in (now - d, now - d + 1 h] for the step's duration d, so each query reads one hour-wide
 * window per step and duration through an index (order creation, or step start), never the history.
 */
async function slaAtRisk(deps: AppDeps, kinds: string[], now: Date): Promise<Section> {
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

export const workQueueRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/work-queue',
    {
      config: { auth: { roles: ['ops', 'finance'] as const } },
      schema: {
        tags: ['console'],
        summary:
          'What needs a person now, by section (ops: stuck runs, SLA, holds, backorders, returns, webhooks; finance: stuck invoices, credit holds, escalated invoices; admin: all). Items capped at 50 per section; count is the true total',
        response: { 200: workQueueSchema, ...problemResponses(401, 403) },
      },
    },
    async (req) => buildWorkQueue(deps, req.principal!.role as Exclude<Role, 'crm'>),
  );
};
