/**
 * Which kind of run a workflow id names, read from what is stored, never from the id's shape: each
 * control route acts only on the runs it is named for (orders and shipments under /orders, invoices
 * under /invoices, returns under /returns), so a role cannot reach another domain's workflow by
 * passing its id to a route that admits the role.
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../lib/db';
import { ProblemError } from './problems';
import { auditRefusal } from './audit';
import { CLOSED_WON } from './intake/closed-won';

export const RUN_KINDS = ['order', 'shipment', 'invoice', 'return'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** The stored run kind of `id`, or undefined when nothing is stored under it. */
export async function runKindOf(db: Db, id: string): Promise<RunKind | undefined> {
  const [order, accepted, shipment, invoice, returnRequest] = await Promise.all([
    db.order.findUnique({ where: { id }, select: { id: true } }),
    // An accepted closed-won event names its order's workflow before the order row is recorded.
    db.inboundEvent.findFirst({ where: { workflowId: id, kind: CLOSED_WON }, select: { id: true } }),
    db.shipment.findUnique({ where: { id }, select: { id: true } }),
    db.invoice.findUnique({ where: { id }, select: { id: true } }),
    db.returnRequest.findUnique({ where: { id }, select: { id: true } }),
  ]);
  if (order || accepted) return 'order';
  if (shipment) return 'shipment';
  if (invoice) return 'invoice';
  if (returnRequest) return 'return';
  // A run whose own row is not written yet (stuck before its first recording step) has step events,
  // each recorded by the workflow with its kind.
  const event = await db.stepEvent.findFirst({
    where: { workflowId: id },
    select: { runKind: true },
    orderBy: { id: 'desc' },
  });
  return RUN_KINDS.find((kind) => kind === event?.runKind);
}

const article = (kind: RunKind) => (/^[aeiou]/.test(kind) ? 'an' : 'a');

/**
 * Refuses (404, before any workflow is called) an id that is not a stored run of one of `kinds`: to
 * the caller a run of another kind does not exist on this route. A run of another kind is someone
 * reaching across domains (or probing ids), so that refusal goes to the audit log; an unknown id
 * does not.
 */
export async function requireRunKind(
  db: Db,
  request: FastifyRequest,
  id: string,
  kinds: readonly RunKind[],
  noun: string,
): Promise<RunKind> {
  const kind = await runKindOf(db, id);
  if (kind && kinds.includes(kind)) return kind;
  if (kind) await refuseWrongKind(db, request, id, kind, noun);
  throw new ProblemError('notFound', `no run ${id} among ${noun}`);
}

/** Audits a run of `kind` refused by a route for `noun`. */
export function refuseWrongKind(
  db: Db,
  request: FastifyRequest,
  id: string,
  kind: RunKind,
  noun: string,
): Promise<void> {
  return auditRefusal(
    db,
    request,
    { targetType: kind, targetId: id },
    `${article(kind)} ${kind} run, not among ${noun}`,
  );
}
