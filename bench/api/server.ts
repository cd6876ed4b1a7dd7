/**
 * Child process of `npm run bench:api`: the API under test (buildApp and the inbox relay, as `npm run
 * start:api` runs them) and the two bare-Fastify baselines, each on a free port of 127.0.0.1.
 * Both database clients are lib/db.ts createDb with its default pool, the API's production setting.
 *
 * Times each request's stages with Fastify hooks (added after the app's own, so each mark falls after
 * the app's hook of the same kind) and the database driver and Temporal calls with the wrappers of
 * instrument.ts; the parent takes the totals after each phase (`take-stages`). `isTimed: false`
 * (`--no-timing`) leaves all of it out.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../../api/app';
import { startInboxRelay } from '../../api/intake/relay';
import { createDb } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { timePgDriver, timeTemporal } from './instrument';
import { startProfiler } from './profile';
import type { FromServer, ServerConfig, ToServer } from './protocol';
import { StageClock } from './stages';
import { buildBareBaseline, buildInsertBaseline, buildSelectBaseline } from './targets';

/** Higher than any rate the benchmark reaches: the limiter still runs on every request, it never refuses. */
const RATE_LIMIT_PER_MINUTE = 1_000_000_000;

const ROUTE_LABELS: Record<string, string> = {
  '/v1/events/closed-won': 'intake',
  '/v1/orders/:orderId': 'read',
};

/** A request's way through Fastify, as marks of `reply.elapsedTime` (ms since Fastify took the request). */
function timeRequestStages(app: { addHook: FastifyInstance['addHook'] }, clock: StageClock): void {
  const marks = new WeakMap<FastifyRequest, number[]>();
  const mark = (request: FastifyRequest, elapsedMs: number) => marks.get(request)?.push(elapsedMs);
  app.addHook('preParsing', async (request, reply, payload) => {
    marks.set(request, [reply.elapsedTime]);
    return payload;
  });
  app.addHook('preValidation', async (request, reply) => void mark(request, reply.elapsedTime));
  app.addHook('preHandler', async (request, reply) => void mark(request, reply.elapsedTime));
  app.addHook('onSend', async (request, reply, payload) => {
    mark(request, reply.elapsedTime);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const label = ROUTE_LABELS[request.routeOptions.url ?? ''];
    const m = marks.get(request);
    if (!label || !m || m.length !== 4 || reply.statusCode >= 300) return;
    const [parsing, validation, handler, sending] = m as [number, number, number, number];
    const total = reply.elapsedTime;
    clock.add(`${label}: onRequest hooks (helmet, rate limit, API key check)`, parsing);
    clock.add(`${label}: body read + JSON.parse + preValidation (HMAC check)`, validation - parsing);
    clock.add(`${label}: zod validation`, handler - validation);
    clock.add(`${label}: handler + response serialization`, sending - handler);
    clock.add(`${label}: onSend to response written`, total - sending);
    clock.add(`${label}: total inside Fastify`, total);
  });
}

/**
 * Resolves once the requests the load generator left in flight have finished their database and
 * Temporal calls (none running at three checks in a row), so a phase's totals are complete.
 */
async function drained(clock: StageClock, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let idleChecks = 0; idleChecks < 3;) {
    if (Date.now() > deadline) throw new Error(`requests still running ${timeoutMs / 1000} s after the load stopped`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    idleChecks = clock.inFlight === 0 ? idleChecks + 1 : 0;
  }
}

async function listen(
  app: FastifyInstance | { listen: FastifyInstance['listen']; server: FastifyInstance['server'] },
): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

const send = (message: FromServer) => process.send?.(message);

async function start(config: ServerConfig): Promise<() => Promise<void>> {
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const clock = new StageClock();
    if (config.isTimed) timePgDriver(clock);
    const targets = await buildTargets(config, clock, closers);
    const ports = {
      app: await listen(targets.app),
      bare: await listen(targets.bare),
      insertBaseline: await listen(targets.insertBaseline),
      readSeed: await listen(targets.readSeed),
      selectBaseline: await listen(targets.selectBaseline),
    };
    send({ type: 'ready', ports });
    answerParent(targets.app, clock);
    return closeAll;
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The API under test with its relay, the read queue's app and the three baselines; each closed by `closers`. */
async function buildTargets(config: ServerConfig, clock: StageClock, closers: (() => Promise<unknown>)[]) {
  const log = createLogger('silent');
  const appDb = createDb(config.databaseUrl);
  closers.push(() => appDb.$disconnect());
  const connection = await Connection.connect({ address: config.temporalAddress });
  closers.push(() => connection.close());
  const temporal = new Client({ connection, namespace: config.namespace });
  if (config.isTimed) timeTemporal(temporal, clock);

  const app = await buildApp({
    db: appDb,
    temporal,
    taskQueue: config.taskQueue,
    log,
    crmWebhookSecret: config.crmWebhookSecret,
    rateLimitPerMinute: RATE_LIMIT_PER_MINUTE,
  });
  if (config.isTimed) timeRequestStages(app, clock);
  closers.push(() => app.close());
  const relay = startInboxRelay(
    { db: appDb, temporal, taskQueue: config.taskQueue, log },
    { dispatcher: app.startDispatcher },
  );
  closers.push(() => relay.stop());

  // The read orders come in through the same intake, on the read worker's queue. No relay: it could
  // start intake's events on this queue (the app's own relay covers the whole inbox).
  const readSeed = await buildApp({
    db: appDb,
    temporal,
    taskQueue: config.readTaskQueue,
    log,
    crmWebhookSecret: config.crmWebhookSecret,
    rateLimitPerMinute: RATE_LIMIT_PER_MINUTE,
  });
  closers.push(() => readSeed.close());

  const bare = buildBareBaseline();
  closers.push(() => bare.close());

  const baselineDb = createDb(config.databaseUrl);
  closers.push(() => baselineDb.$disconnect());
  const insertBaseline = buildInsertBaseline(baselineDb);
  closers.push(() => insertBaseline.close());
  const selectBaseline = buildSelectBaseline(baselineDb);
  closers.push(() => selectBaseline.close());
  return { app, readSeed, bare, insertBaseline, selectBaseline };
}

/** Answers the parent's requests between phases: the stage totals, and the CPU profile around a round. */
function answerParent(app: Awaited<ReturnType<typeof buildApp>>, clock: StageClock): void {
  let stopProfiler: ((file: string) => Promise<void>) | undefined;
  const fail = (error: unknown) =>
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.on('message', (message: ToServer) => {
    if (message.type === 'take-stages') {
      // Intake's starts run behind its answers: a phase ends when the dispatcher has started them all.
      const asked = performance.now();
      void app.startDispatcher
        .idle()
        .then(() => {
          const settleMs = performance.now() - asked;
          return drained(clock).then(() => send({ type: 'stages', stages: clock.take(), settleMs }));
        })
        .catch(fail);
    }
    if (message.type === 'profile-start') {
      startProfiler().then((stop) => {
        stopProfiler = stop;
        send({ type: 'profiling' });
      }, fail);
    }
    if (message.type === 'profile-stop') {
      if (!stopProfiler) return fail('profile-stop without profile-start');
      stopProfiler(message.file).then(() => send({ type: 'profile', file: message.file }), fail);
      stopProfiler = undefined;
    }
  });
}

let stop: (() => Promise<void>) | undefined;
const exit = async (code: number) => {
  await stop?.();
  process.exit(code);
};

process.on('message', (message: ToServer) => {
  if (message.type === 'start') {
    start(message.config).then(
      (closeAll) => void (stop = closeAll),
      (error: unknown) => {
        send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        void exit(1);
      },
    );
  }
  if (message.type === 'stop') void exit(0);
});
// The benchmark went away without stopping us (killed): do not outlive it.
process.on('disconnect', () => void exit(1));
