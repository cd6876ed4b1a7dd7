/** GET /audit: the audit log of ops and finance actions, newest first. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { AUDIT_ID, decodeCursor, page, pageQuery, pageSchema } from '../../pagination';
import { problemResponses } from '../../schemas';
import type { RouteApp } from '../route-app';

const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  reason: z.string().nullable(),
  outcome: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export function registerAuditLog(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/audit',
    {
      config: { auth: { roles: ['finance'] as const } },
      schema: {
        tags: ['finance'],
        summary: 'The audit log of ops and finance actions (admins and finance), newest first',
        querystring: z.object({
          targetId: z.string().max(120).optional(),
          actor: z.string().max(120).optional(),
          ...pageQuery,
        }),
        response: { 200: pageSchema(auditEntrySchema), ...problemResponses(400) },
      },
    },
    async (req) => {
      const cursor = decodeCursor(req.query.cursor, { id: AUDIT_ID });
      const rows = await deps.db.auditLog.findMany({
        where: {
          ...(req.query.targetId ? { targetId: req.query.targetId } : {}),
          ...(req.query.actor ? { actor: req.query.actor } : {}),
          ...(cursor ? { id: { lt: BigInt(cursor.id) } } : {}),
        },
        orderBy: { id: 'desc' },
        take: req.query.limit + 1,
      });
      const { items, nextCursor } = page(rows, req.query.limit, (r) => ({ at: r.at.toISOString(), id: String(r.id) }));
      return {
        items: items.map((a) => ({ ...a, id: String(a.id), at: a.at.toISOString() })),
        nextCursor,
      };
    },
  );
}
