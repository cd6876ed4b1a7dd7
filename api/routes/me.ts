/**
 * Who the caller is and what it may do: the console shows only the actions a key's role may take.
 * The permissions come from `app.routeAccess`, the table the auth hook enforces, so the answer cannot
 * drift from what the routes really allow.
 */
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../schemas';
import { ROLES, type Role } from '../auth/api-keys';

const ANY_ROLE = { auth: { roles: ROLES.filter((r) => r !== 'admin') } };

/**
 * Every `/v1` route a bearer key of `role` passes authorization on, as `"METHOD /v1/path/:param"`:
 * admin passes every route that takes a key (those declaring roles, and undeclared ones, which are
 * admin-only); other roles the routes listing them. Public and signed routes take no key: not listed.
 */
export function permissionsOf(routeAccess: FastifyInstance['routeAccess'], role: Role): string[] {
  return routeAccess
    .filter((r) => r.url.startsWith('/v1/'))
    .filter((r) =>
      r.auth === 'admin-only'
        ? role === 'admin'
        : typeof r.auth === 'object' && (role === 'admin' || r.auth.roles.includes(role)),
    )
    .map((r) => `${r.method} ${r.url}`)
    .filter((p, i, all) => all.indexOf(p) === i)
    .sort();
}

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/me',
    {
      config: ANY_ROLE,
      schema: {
        tags: ['console'],
        summary:
          'The calling key: its name, role and every route it may call ("METHOD /v1/path/:param", from the same table the auth check uses)',
        response: {
          200: z.object({
            keyId: z.string(),
            name: z.string(),
            role: z.enum(ROLES),
            permissions: z
              .array(z.string())
              .describe(
                '"METHOD /v1/path/:param" exactly as each route is registered, e.g. "POST /v1/orders/:orderId/steps/:step/retry"',
              ),
          }),
          ...problemResponses(401),
        },
      },
    },
    async (req) => {
      const { keyId, name, role } = req.principal!;
      return { keyId, name, role, permissions: permissionsOf(app.routeAccess, role) };
    },
  );
};
