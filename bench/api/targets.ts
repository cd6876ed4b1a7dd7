/**
 * The two baselines the API is measured against, each a bare Fastify instance (the app's Fastify
 * version, logger off, no plugins):
 * - `GET /`: a small JSON answer, the ceiling of Fastify and the load generator on this machine;
 * - `POST /inbox`: the intake's inbox INSERT alone (the same `inboundEvent.create`, the same columns,
 *   the payload hash computed the same way) through the same driver and pool (lib/db.ts createDb).
 *   The deal ids are unique per request, like intake's; rows carry kind INSERT_BASELINE_KIND so they
 *   never collide with closed-won events and can be deleted after the phase;
 * - `GET /orders/:orderId`: one indexed SELECT (`order.findUnique` by primary key) through the same
 *   driver and pool, the baseline of the console's reads (screens.ts).
 */
import Fastify from 'fastify';
import type { Db } from '../../lib/db';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json';
import { orderIdForDeal } from '../../domain/closed-won';

export const INSERT_BASELINE_KIND = 'bench-insert-baseline';

export function buildBareBaseline() {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  return app;
}

export function buildInsertBaseline(db: Db) {
  const app = Fastify({ logger: false });
  app.post('/inbox', async (request, reply) => {
    const event = request.body as { dealId: string };
    await db.inboundEvent.create({
      data: {
        kind: INSERT_BASELINE_KIND,
        dealId: event.dealId,
        payloadHash: sha256Hex(canonicalJson(event)),
        payload: event as object,
        workflowId: orderIdForDeal(event.dealId),
      },
    });
    return reply.status(202).send({ dealId: event.dealId });
  });
  return app;
}

export function buildSelectBaseline(db: Db) {
  const app = Fastify({ logger: false });
  app.get('/orders/:orderId', async (request, reply) => {
    const order = await db.order.findUnique({ where: { id: (request.params as { orderId: string }).orderId } });
    if (!order) return reply.status(404).send({ error: 'no such order' });
    return { id: order.id, status: order.status, currentStep: order.currentStep, totalMinor: Number(order.totalMinor) };
  });
  return app;
}
