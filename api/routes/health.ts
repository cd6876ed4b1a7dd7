import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import type { AppDeps } from '../app';

const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: z.string(), temporal: z.string() }),
});

export const healthRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'public' },
      schema: {
        security: [],
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: 'public' },
      schema: {
        security: [],
        tags: ['health'],
        summary: 'Temporal and the database are reachable (503 naming the one that is not)',
        response: { 200: readiness, 503: readiness },
      },
    },
    async (_request, reply) => {
      const check = async (probe: () => Promise<unknown>) => {
        try {
          await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000))]);
          return 'ok';
        } catch (error) {
          return `unreachable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
        }
      };
      const [database, temporal] = await Promise.all([
        check(() => deps.db.$queryRaw`SELECT 1`),
        check(() => deps.temporal.connection.workflowService.getSystemInfo({})),
      ]);
      const ready = database === 'ok' && temporal === 'ok';
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database, temporal } });
    },
  );
};
