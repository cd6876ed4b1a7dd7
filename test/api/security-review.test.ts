/**
 * Findings of the security review (issue 14) that the API answers: the order timeline shows only that
 * order's actions, a crafted cursor is a 400 naming the field, and /readyz says up or down without the
 * driver's error text (which goes to the log) and is rate limited like any route.
 */
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { useHarness } from '../support/harness';
import { buildApp } from '../../api/app';
import { createDb } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { problemType } from '../../api/problems';

const h = useHarness();

async function insertOrder(id: string): Promise<void> {
  await h.db.order.create({
    data: {
      id,
      dealId: `deal-${id}`,
      customerId: `cust-${id}`,
      customerName: 'Acme',
      poNumber: 'PO-1',
      currency: 'USD',
      totalMinor: 100n,
      status: 'received',
      event: {},
    },
  });
}

const audit = (targetId: string, action: string) =>
  h.db.auditLog.create({
    data: { actor: 'test', role: 'ops', action, targetType: 'order', targetId, outcome: 'done' },
  });

describe('order timeline', () => {
  it('shows the actions on this order only, not on orders whose id starts the same or matches a LIKE pattern', async () => {
    const base = `order-D-${randomUUID().slice(0, 8)}`;
    const short = `${base}-1`;
    const longer = `${base}-1042`;
    const underscore = `${base}_1`; // `_` is a LIKE wildcard: a pattern match would take `-1` for `_1`
    for (const id of [short, longer, underscore]) await insertOrder(id);
    await audit(short, 'hold');
    await audit(longer, 'cancel');
    await audit(`${short}0`, 'retry erp');
    await audit(underscore, 'release');

    const actionsOf = async (orderId: string) => {
      const res = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/timeline` });
      expect(res.statusCode).toBe(200);
      return res.json().actions.map((a: { action: string }) => a.action);
    };
    expect(await actionsOf(short)).toEqual(['hold']);
    expect(await actionsOf(longer)).toEqual(['cancel']);
    expect(await actionsOf(underscore)).toEqual(['release']);
  });
});

describe('audit cursor', () => {
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const shapes: Record<string, string> = {
    'an id that is not a number': cursor({ at: new Date().toISOString(), id: 'abc' }),
    'a fractional id': cursor({ at: new Date().toISOString(), id: '1.5' }),
    'an id beyond a bigint': cursor({ at: new Date().toISOString(), id: '9'.repeat(40) }),
    'a negative id': cursor({ at: new Date().toISOString(), id: '-1' }),
    'an empty id': cursor({ at: new Date().toISOString(), id: '' }),
    'JSON null': cursor(null),
    'a number': cursor(42),
    'not JSON': Buffer.from('{"at":').toString('base64url'),
  };

  it.each(Object.entries(shapes))('answers 400 naming cursor for %s', async (_name, token) => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/audit?cursor=${token}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: problemType('validation'), errors: [{ field: 'cursor' }] });
  });

  it('answers 400 for a cursor with a NUL byte or an out-of-range date on lists keyed by text ids', async () => {
    for (const token of [
      cursor({ at: new Date().toISOString(), id: 'order-\u0000' }),
      cursor({ at: '-271821-04-20T00:00:00.000Z', id: 'order-1' }),
    ]) {
      const res = await h.app.inject({ method: 'GET', url: `/v1/orders?cursor=${token}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('cursor');
    }
  });

  it('still pages with the cursors it hands out', async () => {
    for (let i = 0; i < 3; i++) await audit(`order-page-${randomUUID()}`, 'hold');
    const first = (await h.app.inject({ method: 'GET', url: '/v1/audit?limit=2' })).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await h.app.inject({ method: 'GET', url: `/v1/audit?limit=2&cursor=${first.nextCursor}` });
    expect(second.statusCode).toBe(200);
    expect(BigInt(second.json().items[0].id)).toBeLessThan(BigInt(first.items[1].id));
  });
});

describe('/readyz', () => {
  const closedPort = async (): Promise<number> => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
  };

  it('says which dependency is down, and puts why only in the log', async () => {
    const lines: string[] = [];
    const log = createLogger('info', { destination: { write: (text: string) => lines.push(text) } });
    const db = createDb(`postgresql://closedloop:readyz-secret-pw@127.0.0.1:${await closedPort()}/nowhere`);
    const app = await buildApp({
      db,
      temporal: h.temporal,
      taskQueue: h.taskQueue,
      log,
      crmWebhookSecret: 'readyz-test-secret-0123456789',
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'not_ready', checks: { database: 'down', temporal: 'up' } });
      const logged = lines.join('');
      expect(logged).toContain('readiness: database unreachable');
      expect(logged).toMatch(/127\.0\.0\.1|ECONNREFUSED|reach/i);
    } finally {
      await app.close();
      await db.$disconnect();
    }
  });

  it('is rate limited like any route (each call queries the database and Temporal)', async () => {
    const log = createLogger('silent');
    const app = await buildApp({
      db: h.db,
      temporal: h.temporal,
      taskQueue: h.taskQueue,
      log,
      crmWebhookSecret: 'readyz-test-secret-0123456789',
      rateLimitPerMinute: 2,
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await app.inject({ method: 'GET', url: '/readyz' })).statusCode);
      expect(codes).toEqual([200, 200, 429]);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('rate limits', () => {
  const secret = 'rate-limit-test-secret-0123456789';
  const build = (limits: { rateLimitPerMinute?: number; authFailuresPerMinute?: number }) =>
    buildApp({
      db: h.db,
      temporal: h.temporal,
      taskQueue: h.taskQueue,
      log: createLogger('silent'),
      crmWebhookSecret: secret,
      ...limits,
    });
  const randomBearer = () => ({ authorization: `Bearer cl_${randomUUID()}` });

  it('refuses unsigned intake calls from one address after the failure limit, whatever bearer they carry', async () => {
    const app = await build({ authFailuresPerMinute: 5 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/events/closed-won',
          headers: { ...randomBearer(), 'content-type': 'application/json' },
          payload: '{}',
        });
        codes.push(res.statusCode);
      }
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(new Set(codes.slice(5))).toEqual(new Set([429]));
      const refused = await app.inject({
        method: 'POST',
        url: '/v1/events/closed-won',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      // Another address is not affected.
      const other = await app.inject({
        method: 'POST',
        url: '/v1/events/closed-won',
        remoteAddress: '10.9.8.7',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(other.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('refuses made-up keys after the failure limit without looking them up, yet a key in use keeps working', async () => {
    const app = await build({ authFailuresPerMinute: 5 });
    try {
      const key = await h.apiKey('ops');
      expect(
        (await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer ${key}` } }))
          .statusCode,
      ).toBe(200);
      const codes: number[] = [];
      for (let i = 0; i < 30; i++)
        codes.push((await app.inject({ method: 'GET', url: '/v1/orders', headers: randomBearer() })).statusCode);
      expect(codes.filter((c) => c === 401)).toHaveLength(5);
      expect(codes.slice(5).every((c) => c === 429)).toBe(true);
      expect((await app.inject({ method: 'GET', url: '/v1/orders' })).statusCode).toBe(429);
      expect(
        (await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer ${key}` } }))
          .statusCode,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("limits per key: random bearers do not share or reset a valid key's bucket", async () => {
    const app = await build({ rateLimitPerMinute: 3 });
    try {
      const [a, b] = [await h.apiKey('ops'), await h.apiKey('ops')];
      const get = (key: string) =>
        app
          .inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer ${key}` } })
          .then((r) => r.statusCode);
      expect([await get(a), await get(a), await get(a), await get(a)]).toEqual([200, 200, 200, 429]);
      expect(await get(b)).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('limits signed intake per CRM secret', async () => {
    const app = await build({ rateLimitPerMinute: 2 });
    try {
      const { sign } = await import('../../api/auth/signature');
      const post = async () => {
        const body = '{}';
        const ts = String(Math.floor(Date.now() / 1000));
        return (
          await app.inject({
            method: 'POST',
            url: '/v1/events/closed-won',
            payload: body,
            headers: {
              'content-type': 'application/json',
              'x-closedloop-timestamp': ts,
              'x-closedloop-signature': sign(secret, ts, body),
            },
          })
        ).statusCode;
      };
      // Signed but invalid events are answered (400) and counted against the secret's bucket.
      expect([await post(), await post(), await post()]).toEqual([400, 400, 429]);
    } finally {
      await app.close();
    }
  });
});

describe('API key cache', () => {
  it('keeps valid keys cached however many unknown keys are tried', async () => {
    const { createKeyVerifier, hashKey } = await import('../../api/auth/api-keys');
    const verify = createKeyVerifier(h.db, { ttlMs: 60_000, maxKeys: 5, maxUnknown: 3 });
    const key = await h.apiKey('finance');
    expect((await verify(key))?.role).toBe('finance');
    for (let i = 0; i < 50; i++) expect(await verify(`cl_${randomUUID()}`)).toBeNull();
    // Revoked in the database: the cached answer still stands (no lookup), so the 50 failures did not flush it.
    await h.db.apiKey.updateMany({ where: { keyHash: hashKey(key) }, data: { revokedAt: new Date() } });
    expect((await verify(key))?.role).toBe('finance');
    expect(verify.cached(key)?.role).toBe('finance');
  });
});

describe('indexes behind unbounded scans', () => {
  // With sequential scans priced out, the planner names the index the query can use; without one it
  // would still fall back to a scan, so the plan shows whether the index exists and fits the query.
  const planOf = (sql: string) =>
    h.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });

  it('retry-all finds the latest event of each run on a step through an index on step', async () => {
    const plan = await planOf(
      "SELECT DISTINCT ON (workflow_id) workflow_id, run_kind, to_status FROM step_event WHERE step = 'book-carrier' AND to_status <> 'sla_breached' ORDER BY workflow_id, id DESC",
    );
    expect(plan).toMatch(/Index (Only )?Scan (using|on) step_event_step_\w+_idx/); // one that leads with step
  });

  it.each([
    ['target', "target_id = 'order-x'", 'audit_log_target_id_id_idx'],
    ['actor', "actor = 'ops-key'", 'audit_log_actor_id_idx'],
  ])('the audit search by %s reads newest first through an index', async (_by, where, index) => {
    expect(await planOf(`SELECT * FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT 51`)).toContain(index);
  });
});
