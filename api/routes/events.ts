import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { closedWonEventSchema } from '../../domain/closed-won';
import { acceptClosedWon } from '../intake/closed-won';
import type { AppDeps } from '../app';
import { problemSchema } from '../schemas';

const intakeResponse = z.object({
  orderId: z.string(),
  workflowId: z.string(),
  runId: z.string().optional(),
  isDuplicate: z.boolean(),
  isStarted: z.boolean().describe('false when the workflow engine was unreachable: the event is stored and will start'),
  links: z.object({ order: z.string() }),
});

export const eventRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/events/closed-won',
    {
      config: { auth: 'signature' },
      schema: {
        security: [{ crmSignature: [] }],
        tags: ['crm'],
        summary: 'A deal was won: start its order (idempotent by dealId)',
        description:
          'Starts workflow `order-<dealId>`. Posting the same deal with the same payload again returns the existing order (200); ' +
          'a different payload for the same deal is a conflict (409).',
        body: closedWonEventSchema,
        response: { 200: intakeResponse, 202: intakeResponse, 400: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const result = await acceptClosedWon(deps, request.body);
      const links = { order: `/v1/orders/${result.orderId}` };
      reply.header('location', links.order);
      return reply.status(result.isDuplicate ? 200 : 202).send({ ...result, links });
    },
  );
};
