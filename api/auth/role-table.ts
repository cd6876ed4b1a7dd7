/**
 * The README's role table, written from the app's own route table (`app.routeAccess`), so the document
 * and the rules the auth hook enforces cannot drift apart: test/api/access-rules.test.ts compares them.
 */
import type { FastifyInstance } from 'fastify';
import { ROLES } from './api-keys';

export function roleTable(routeAccess: FastifyInstance['routeAccess']): string {
  const rows = routeAccess
    // /v1/dev/* exists only on the embedded system (its mail capture), never on a deployment.
    .filter((r) => r.url.startsWith('/v1') && !r.url.startsWith('/v1/dev/'))
    .map((r) => {
      const cells = ROLES.map((role) => {
        if (r.auth === 'public') return 'yes';
        if (r.auth === 'signature') return role === 'crm' ? 'signed' : '';
        if (r.auth === 'admin-only') return role === 'admin' ? 'yes' : '';
        return role === 'admin' || r.auth.roles.includes(role) ? 'yes' : '';
      });
      return `| \`${r.method} ${r.url}\` | ${cells.join(' | ')} |`;
    })
    .sort((a, b) => a.localeCompare(b));
  return [`| route | ${ROLES.join(' | ')} |`, `|---|${ROLES.map(() => '---').join('|')}|`, ...rows].join('\n');
}
