import type { FastifyRequest } from 'fastify';
import { auditRefusal } from '../../../api/audit';
import type { Db } from '../../../lib/db';

// A refusal is audited (api/run-kind.ts), but the caller's answer is the refusal: a failing audit write
// (database gone, table locked) must not turn the 404 into a 500 that tells the caller more.
describe('auditRefusal', () => {
  it('logs a failed audit write instead of throwing it at the route', async () => {
    const logged: unknown[] = [];
    const db = { auditLog: { create: () => Promise.reject(new Error('connection terminated')) } } as unknown as Db;
    const request = {
      method: 'POST',
      url: '/v1/orders/invoice-x/cancel',
      routeOptions: { url: '/v1/orders/:orderId/cancel' },
      body: { reason: 'probe' },
      principal: { role: 'ops', name: 'ops-key' },
      log: { error: (...args: unknown[]) => void logged.push(args) },
    } as unknown as FastifyRequest;
    await expect(
      auditRefusal(db, request, { targetType: 'invoice', targetId: 'invoice-x' }, 'an invoice run, not among orders'),
    ).resolves.toBeUndefined();
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged[0])).toContain('invoice-x');
  });
});
