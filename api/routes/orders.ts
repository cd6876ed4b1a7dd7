import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { ProblemError } from '../problems';
import { orderIdSchema, problemResponses } from '../schemas';
import { orderViewJsonText, orderViewSchema } from '../views/order-view';
import { sendJsonText } from '../views/sql-json';

export const orderRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/orders/:orderId',
    {
      config: { auth: { roles: ['crm', 'ops', 'finance'] } },
      schema: {
        tags: ['crm'],
        summary: "An order's status: stored row and its steps, from the database (no workflow query)",
        params: z.object({ orderId: orderIdSchema }),
        response: { 200: orderViewSchema, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      // PostgreSQL writes the page in the schema's shape (api/views/sql-json.ts): sent as it comes.
      const view = await orderViewJsonText(deps.db, request.params.orderId);
      if (view === undefined) throw new ProblemError('notFound', `no order ${request.params.orderId}`);
      return sendJsonText(reply, view);
    },
  );
};
