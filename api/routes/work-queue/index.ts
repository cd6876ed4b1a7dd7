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
import type { AppDeps } from '../../app';
import { problemResponses } from '../../schemas';
import type { Role } from '../../auth/api-keys';
import type { RunKind } from '../../run-kind';
import { itemSchema, type Section } from './section';
import { needsAttention, onHold, slaBreached } from './run-sections';
import { backordersLate, creditHold, invoicesEscalated, returnsAwaiting, webhooksFailed } from './object-sections';
import { slaAtRisk } from './sla-at-risk';

export { ITEM_CAP } from './section';
export { AT_RISK_WITHIN_MS } from './sla-at-risk';

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

export const workQueueSchema = z.object({
  generatedAt: z.string(),
  sections: z.array(
    z.object({ key: z.string(), label: z.string(), count: z.number().int(), items: z.array(itemSchema) }),
  ),
});

export async function buildWorkQueue(deps: AppDeps, role: Exclude<Role, 'crm'>, now = new Date()) {
  const db = deps.db;
  const scope = WORK_QUEUE_SCOPE[role];
  const kinds = [...scope.runKinds];
  // Only the sections the role sees are read.
  const readers: Record<SectionKey, () => Promise<Section>> = {
    needs_attention: () => needsAttention(db, kinds),
    sla_breached: () => slaBreached(db, kinds),
    sla_at_risk: () => slaAtRisk(deps, kinds, now),
    credit_hold: () => creditHold(db),
    on_hold: () => onHold(db, kinds),
    backorders_late: () => backordersLate(db),
    returns_awaiting: () => returnsAwaiting(db),
    invoices_escalated: () => invoicesEscalated(db),
    webhooks_failed: () => webhooksFailed(db),
  };
  const visible = WORK_QUEUE_SECTIONS.filter((s) => scope.sections.includes(s.key));
  const sections = await Promise.all(
    visible.map(async (s) => ({ key: s.key, label: s.label, ...(await readers[s.key]()) })),
  );
  return { generatedAt: now.toISOString(), sections };
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
