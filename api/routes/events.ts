import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { closedWonEventSchema } from '../../domain/closed-won';
import { acceptClosedWon } from '../intake/closed-won';
import type { StartDispatcher } from '../intake/dispatcher';
import type { AppDeps } from '../app';
import { problemResponses } from '../schemas';

export const intakeResponse = z.object({
  status: z
    .literal('accepted')
    .describe('the event is stored; the order workflow starts asynchronously (follow links.order)'),
  orderId: z.string(),
  workflowId: z.string().describe('always `order-<dealId>`'),
  isDuplicate: z.boolean().describe('true when this deal was already received with the same payload'),
  receivedAt: z.string().datetime().describe('when the deal was first accepted'),
  startedAt: z
    .string()
    .datetime()
    .nullable()
    .describe('when the order workflow was known to be started; null on a first 202 and while the start is pending'),
  links: z.object({ order: z.string() }),
});

export const eventRoutes: FastifyPluginAsyncZod<{ deps: AppDeps & { dispatcher: StartDispatcher } }> = async (
  app,
  { deps },
) => {
  app.post(
    '/events/closed-won',
    {
      config: { auth: 'signature' },
      // The hottest route: its answer is built field by field from typed values below, so it is written
      // as is; the zod schema still documents it (OpenAPI) and the contract test checks it.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        security: [{ crmSignature: [] }],
        tags: ['crm'],
        summary: 'A deal was won: accept it as an order (idempotent by dealId)',
        description:
          'Stores the event and answers 202 without waiting for the workflow engine; workflow `order-<dealId>` starts ' +
          'asynchronously, normally within milliseconds, and also when the engine was unreachable at the time (once it is back). ' +
          '`Location` and `links.order` point at the order, which reads `accepted` until its workflow runs. ' +
          'Posting the same deal with the same payload again returns the existing order (200); ' +
          'a different payload for the same deal is a conflict (409).',
        body: closedWonEventSchema,
        response: { 200: intakeResponse, 202: intakeResponse, ...problemResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const result = await acceptClosedWon(deps, request.body);
      const links = { order: `/v1/orders/${result.orderId}` };
      reply.header('location', links.order);
      return reply.status(result.isDuplicate ? 200 : 202).send({
        status: 'accepted' as const,
        orderId: result.orderId,
        workflowId: result.workflowId,
        isDuplicate: result.isDuplicate,
        receivedAt: result.receivedAt.toISOString(),
        startedAt: result.startedAt?.toISOString() ?? null,
        links,
      });
    },
  );
};
