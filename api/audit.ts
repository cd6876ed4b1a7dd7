/**
 * The audit log: every ops and finance action through the API, with who, what, when, why, the state
 * before and after, and whether it was carried out or refused (and why).
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../lib/db';

export interface AuditEntry {
  action: string;
  targetType: 'order' | 'shipment' | 'receipt' | 'invoice' | 'return' | 'api-key' | 'customer';
  targetId: string;
  reason?: string;
}

/** The actor recorded in step events and the audit log: `<role>:<key name>`. */
export const actorOf = (request: FastifyRequest): string =>
  request.principal ? `${request.principal.role}:${request.principal.name}` : 'anonymous';

/**
 * Records an attempt refused before anything was touched (e.g. a control route given a run of another
 * kind): who tried which route on what, and why it was refused. The caller's answer says none of this.
 * `action` is the route as declared (`POST /v1/orders/:orderId/cancel`), so the log groups by route.
 */
export async function auditRefusal(
  db: Db,
  request: FastifyRequest,
  target: Pick<AuditEntry, 'targetType' | 'targetId'>,
  why: string,
): Promise<void> {
  const stated = (request.body as { reason?: unknown } | undefined)?.reason;
  // The caller's answer is the refusal whatever happens here: a failed audit write is logged, never
  // turned into a 500 that would tell the caller more than the 404 does.
  await db.auditLog
    .create({
      data: {
        actor: actorOf(request),
        role: request.principal?.role ?? 'none',
        action: `${request.method} ${request.routeOptions.url ?? request.url}`,
        targetType: target.targetType,
        targetId: target.targetId,
        reason: typeof stated === 'string' ? stated : null,
        outcome: `refused: ${why}`,
      },
    })
    .catch((error: unknown) =>
      request.log.error({ err: error, targetId: target.targetId }, 'could not audit a refused request'),
    );
}

export async function audited<T>(
  db: Db,
  request: FastifyRequest,
  entry: AuditEntry,
  before: () => Promise<unknown>,
  act: () => Promise<T>,
): Promise<T> {
  const stateBefore = await before().catch(() => null);
  const write = (outcome: string, after: unknown) =>
    db.auditLog.create({
      data: {
        actor: actorOf(request),
        role: request.principal?.role ?? 'none',
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        reason: entry.reason ?? null,
        before: (stateBefore ?? undefined) as object | undefined,
        after: (after ?? undefined) as object | undefined,
        outcome,
      },
    });
  try {
    const result = await act();
    await write('done', result);
    return result;
  } catch (error) {
    await write(`refused: ${error instanceof Error ? error.message : String(error)}`, null);
    throw error;
  }
}
