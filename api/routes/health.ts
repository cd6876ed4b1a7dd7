import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import type { AppDeps } from '../app';

const dependency = z.enum(['up', 'down']);
const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: dependency, temporal: dependency }),
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
        summary: 'Temporal and the database are reachable (503 saying which is down; why is in the log)',
        response: { 200: readiness, 503: readiness },
      },
    },
    async (request, reply) => {
      // The answer is public: up or down only. Why a dependency is down (driver messages carry hosts,
      // users, sometimes more) goes to the log.
      const check = async (name: string, probe: () => Promise<unknown>) => {
        try {
          await Promise.race([
            probe(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000)),
          ]);
          return 'up' as const;
        } catch (error) {
          request.log.warn({ err: error, dependency: name }, `readiness: ${name} unreachable`);
          return 'down' as const;
        }
      };
      const [database, temporal] = await Promise.all([
        check('database', () => deps.db.$queryRaw`SELECT 1`),
        check('temporal', () => deps.temporal.connection.workflowService.getSystemInfo({})),
      ]);
      const ready = database === 'up' && temporal === 'up';
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { database, temporal } });
    },
  );
};
