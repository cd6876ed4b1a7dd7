/**
 * `npm run bench:api` (or `npx tsx bench/api.ts --duration 3`): the API under concurrent HTTP load on
 * loopback with autocannon, beside two baselines measured the same way in the same run:
 * - intake: `POST /v1/events/closed-won`, a signed event with a unique deal id per request (inbox
 *   INSERT, then the answer; the start dispatcher makes the Temporal start RPC and the batched inbox
 *   UPDATE behind it, in the same process); successes are 2xx answers, and the run also reports how
 *   long the starts took to catch up after the load stopped;
 * - reads: `GET /v1/orders/:orderId` for orders intake created, with an API key (one SQL statement:
 *   the row and the run's state from its step events; no workflow query since issue 13);
 * - console reads (bench/api/screens.ts): 10,000 orders with invoices, each screen's read beside a
 *   bare Fastify route doing one indexed SELECT through the same driver; each must reach 0.5 of it;
 * - bare baseline: a Fastify route answering a small JSON;
 * - insert baseline: a Fastify route doing intake's inbox INSERT alone, through the same driver.
 *
 * Starts its own parts and removes them afterwards, also on failure or Ctrl-C: a Temporal dev server
 * (free port, in memory, headless), a fresh database on the PostgreSQL server at 127.0.0.1:5432
 * (BENCH_DATABASE_URL names another admin URL) with migrations applied, the API and its baselines in a
 * child process (bench/api/server.ts), and for the read phase a worker in another (read-worker.ts).
 * No worker runs during intake: a start only needs the server, so the workflows wait untouched.
 *
 * Prints the method and every figure beside the baselines, with where intake's time goes inside the
 * API process; writes bench-results/api.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { createApiKey } from '../api/auth/api-keys';
import { CLOSED_WON } from '../api/intake/closed-won';
import { DISPATCHER_DEFAULTS } from '../api/intake/dispatcher';
import { RELAY_DEFAULTS } from '../api/intake/relay';
import { createDb, type Db } from '../lib/db';
import { createLogger, redactUrl } from '../lib/logger';
import { migrateDeploy } from '../runtime/migrate';
import { freePort } from '../runtime/ports';
import { startTemporalDevServer } from '../runtime/temporal-server';
import { readVersion, temporalCliVersion } from './versions';
import { parseApiBenchArgs, type ApiBenchArgs } from './api/args';
import { ChildProcessHandle } from './api/child';
import { runBench, type Cleanup } from './harness';
import { cpuBetween, CPU_PARTS, OTHER_PART, sampleCpu, type CpuParts, type CpuUse } from './api/cpu';
import { fire, REQUEST_TIMEOUT_SECONDS, type LoadResult } from './api/load';
import type { FromServer, FromWorker, ServerPorts, ToServer, ToWorker } from './api/protocol';
import { compareProfiles, summarizeProfile, type PartComparison } from './api/profile';
import { closedWonRequests, orderReadRequests, signedClosedWon } from './api/requests';
import { signatureCheckMicros } from './api/signature-cost';
import type { StageTotal } from './api/stages';
import { INSERT_BASELINE_KIND } from './api/targets';
import { MIN_RATIO, measureScreens, screensTable, seedScreens } from './api/screens';
import { runWithConcurrency } from './load';
import { ratio, round } from './stats';
import type autocannon from 'autocannon';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const RESULTS_FILE = path.join(__dirname, '..', 'bench-results', 'api.json');
// `--profile`: the last round of each, so the two can be compared part by part.
const PROFILE_FILES = {
  intake: path.join(__dirname, '..', 'bench-results', 'api-intake.cpuprofile'),
  insertBaseline: path.join(__dirname, '..', 'bench-results', 'api-insert-baseline.cpuprofile'),
};
const NAMESPACE = 'default';
/** How long the read worker may take to run the first workflow task of every order intake started. */
const CATCH_UP_TIMEOUT_MS = 10 * 60_000;

const say = (message: string): void => void process.stderr.write(`[bench:api] ${message}\n`);

interface Phase {
  load: LoadResult;
  cpu: CpuUse;
  /** Stage totals inside the API process during the measured run (not the warm-up). */
  stages: StageTotal[];
  /** Seconds from the end of the load until the start dispatcher had started everything accepted. */
  settleSeconds: number;
  /** The measured load's window: inbox rows marked started within it were started under load. */
  loadStartedAt: Date;
  loadEndedAt: Date;
}

type ApiProcess = ChildProcessHandle<ToServer, FromServer>;
type WorkerProcess = ChildProcessHandle<ToWorker, FromWorker>;

async function takeStages(api: ApiProcess): Promise<{ stages: StageTotal[]; settleSeconds: number }> {
  const answer = await api.request({ type: 'take-stages' });
  if (answer.type !== 'stages') throw new Error(`API process: expected stage totals, got ${answer.type}`);
  return { stages: answer.stages, settleSeconds: answer.settleMs / 1000 };
}

/**
 * A warm-up of the same load (unmeasured; its stage totals are dropped), then the measured run with the
 * CPU used by each part around it.
 */
async function measurePhase(
  name: string,
  args: ApiBenchArgs,
  api: ApiProcess,
  parts: CpuParts,
  url: string,
  requests: (stage: 'warmup' | 'measured') => autocannon.Request[],
  profileFile?: string,
): Promise<Phase> {
  if (args.warmupSeconds > 0) {
    say(`${name}: ${args.warmupSeconds} s warm-up`);
    await fire({
      url,
      connections: args.connections,
      durationSeconds: args.warmupSeconds,
      requests: requests('warmup'),
    });
  }
  await takeStages(api);
  say(`${name}: measuring ${args.durationSeconds} s, ${args.connections} connections`);
  if (profileFile) await api.request({ type: 'profile-start' });
  const cpuStart = sampleCpu(parts);
  const loadStartedAt = new Date();
  const load = await fire({
    url,
    connections: args.connections,
    durationSeconds: args.durationSeconds,
    requests: requests('measured'),
  });
  const loadEndedAt = new Date();
  const cpu = cpuBetween(cpuStart, sampleCpu(parts));
  if (profileFile) await api.request({ type: 'profile-stop', file: profileFile });
  const { stages, settleSeconds } = await takeStages(api);
  if (load.successes === 0) {
    throw new Error(
      `${name}: no 2xx answer in ${load.durationSeconds} s (answers by status: ${JSON.stringify(load.statusCounts)}, socket errors ${load.errors})`,
    );
  }
  return { load, cpu, stages, settleSeconds, loadStartedAt, loadEndedAt };
}

/** The round with the median throughput (the lower middle one for an even count). */
function medianRound<P extends Phase>(rounds: P[]): P {
  const sorted = [...rounds].sort((a, b) => a.load.rps - b.load.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Waits until no inbox row of `dealPrefix` is still between its INSERT and its start (no started_at,
 * no failed attempt): the requests in flight when the load stopped have finished.
 */
async function inboxSettled(db: Db, dealPrefix: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await db.inboundEvent.count({
      where: { kind: CLOSED_WON, dealId: { startsWith: dealPrefix }, startedAt: null, attempts: 0 },
    });
    if (pending === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `intake: ${pending} inbox rows neither started nor failed ${timeoutMs / 1000} s after the load stopped`,
      );
    await sleep(250);
  }
}

/** Accepts `count` orders through the read queue's app (`<prefix>-<n>`), 10 at a time. */
async function seedReadOrders(count: number, appUrl: string, secret: string, prefix: string): Promise<void> {
  say(`reads: accepting ${count} orders on the read worker's task queue`);
  const refused = await runWithConcurrency(count, 10, async (i) => {
    const { body, headers } = signedClosedWon(secret, `${prefix}-${i + 1}`);
    const response = await fetch(`${appUrl}/v1/events/closed-won`, { method: 'POST', body, headers });
    return response.status === 202 ? undefined : `HTTP ${response.status}: ${await response.text()}`;
  });
  const problem = refused.find((r) => r !== undefined);
  if (problem) throw new Error(`reads: seeding an order was refused: ${problem}`);
}

/**
 * Starts the read worker and waits until it has run every seeded order up to its first step, then
 * until it goes quiet.
 */
async function catchUp(
  worker: WorkerProcess,
  db: Db,
  dealPrefix: string,
): Promise<{ workflows: number; seconds: number }> {
  const expected = await db.inboundEvent.count({
    where: { kind: CLOSED_WON, dealId: { startsWith: dealPrefix }, startedAt: { not: null } },
  });
  const started = performance.now();
  const progress = async () => {
    const answer = await worker.request({ type: 'progress' });
    if (answer.type !== 'progress') throw new Error(`read worker: expected progress, got ${answer.type}`);
    return answer;
  };
  await worker.request({ type: 'run' });
  say(`reads: the worker runs the ${expected} orders up to their first step`);
  let lastReport = started;
  let previous = -1;
  for (;;) {
    const { workflowsSeen, transitions } = await progress();
    if (workflowsSeen >= expected && transitions === previous) break;
    previous = workflowsSeen >= expected ? transitions : -1;
    const elapsed = performance.now() - started;
    if (elapsed > CATCH_UP_TIMEOUT_MS) {
      throw new Error(
        `reads: the worker reached ${workflowsSeen} of ${expected} orders in ${CATCH_UP_TIMEOUT_MS / 1000} s`,
      );
    }
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      say(`reads: ${workflowsSeen} of ${expected} orders at their first step (${(elapsed / 1000).toFixed(0)} s)`);
    }
    await sleep(500);
  }
  return { workflows: expected, seconds: (performance.now() - started) / 1000 };
}

/**
 * Picks the orders the read phase cycles through and reads each once: every one must answer with the
 * workflow's live state (not null), which also loads it into the worker's cache.
 */
async function pickReadTargets(
  db: Db,
  count: number,
  dealPrefix: string,
  appUrl: string,
  apiKey: string,
): Promise<string[]> {
  const rows = await db.$queryRaw<{ workflow_id: string }[]>`
    SELECT workflow_id FROM inbound_event
    WHERE kind = ${CLOSED_WON} AND deal_id LIKE ${`${dealPrefix}%`} AND started_at IS NOT NULL
    ORDER BY random() LIMIT ${count}`;
  const orderIds = rows.map((r) => r.workflow_id);
  if (orderIds.length === 0) throw new Error('reads: intake started no order to read');
  const withoutLiveState = await runWithConcurrency(orderIds.length, 10, async (i) => {
    const orderId = orderIds[i]!;
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`${appUrl}/v1/orders/${encodeURIComponent(orderId)}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const body = (await response.json()) as { workflow?: unknown };
      if (response.ok && body.workflow) return undefined;
      if (attempt === 3)
        return `${orderId}: HTTP ${response.status}, workflow ${JSON.stringify(body.workflow ?? null)}`;
      await sleep(1000);
    }
  });
  const missing = withoutLiveState.filter((m): m is string => m !== undefined);
  if (missing.length > 0)
    throw new Error(
      `reads: ${missing.length} of ${orderIds.length} orders answer without live state, e.g. ${missing[0]}`,
    );
  return orderIds;
}

/**
 * A fresh database (dropped at the end unless KEEP_BENCH_DATABASE) migrated while a Temporal dev server
 * starts: what every bench:api run stands on.
 */
async function scratchStack(prefix: string, cleanup: Cleanup, log: ReturnType<typeof createLogger>) {
  const databaseName = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = createDb(ADMIN_URL, 1);
  cleanup.add('disconnect the admin client', () => admin.$disconnect());
  await admin.$executeRawUnsafe(`CREATE DATABASE "${databaseName}"`);
  cleanup.add(`drop database ${databaseName}`, async () => {
    if (process.env.KEEP_BENCH_DATABASE) return say(`kept database ${databaseName} (KEEP_BENCH_DATABASE)`);
    await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  });
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${databaseName}`;
  say(`starting the Temporal dev server and migrating ${databaseName}`);
  const [temporal] = await Promise.all([
    startTemporalDevServer({
      port: await freePort(),
      namespace: NAMESPACE,
      cliPath: process.env.TEMPORAL_CLI_PATH,
      log,
    }).then((server) => {
      cleanup.add('stop the Temporal dev server', () => server.stop());
      return server;
    }),
    migrateDeploy(databaseUrl.toString()),
  ]);
  return { admin, databaseName, databaseUrl, temporal };
}

async function main(args: ApiBenchArgs, cleanup: Cleanup): Promise<void> {
  const startedAt = new Date().toISOString();
  const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
  const runTag = randomBytes(4).toString('hex');
  const crmWebhookSecret = randomBytes(24).toString('hex');
  const taskQueue = `bench-api-${runTag}`;

  // PostgreSQL: a fresh database, dropped at the end; a Temporal dev server beside it.
  const { admin, databaseName, databaseUrl, temporal } = await scratchStack('closedloop_bench_api', cleanup, log);
  const [{ server_version: postgresVersion } = { server_version: 'unknown' }] =
    await admin.$queryRawUnsafe<{ server_version: string }[]>('SHOW server_version');
  const connection = await Connection.connect({ address: temporal.address });
  const { serverVersion } = await connection.workflowService.getSystemInfo({}).finally(() => connection.close());

  const db = createDb(databaseUrl.toString(), 2);
  cleanup.add('disconnect the database client', () => db.$disconnect());
  const { key: apiKey } = await createApiKey(db, 'bench:api reads', 'admin');

  say('starting the API process and the read worker (bundling workflows)');
  const api: ApiProcess = new ChildProcessHandle('API', path.join(__dirname, 'api', 'server.ts'));
  cleanup.add('stop the API process', () => api.stop({ type: 'stop' }));
  const worker: WorkerProcess = new ChildProcessHandle('read worker', path.join(__dirname, 'api', 'read-worker.ts'));
  cleanup.add('stop the read worker', () => worker.stop({ type: 'stop' }));
  const common = { databaseUrl: databaseUrl.toString(), temporalAddress: temporal.address, namespace: NAMESPACE };
  const readTaskQueue = `${taskQueue}-reads`;
  const [apiReady, workerReady] = await Promise.all([
    api.request({
      type: 'start',
      config: { ...common, taskQueue, readTaskQueue, crmWebhookSecret, isTimed: args.isTimed },
    }),
    worker.request({ type: 'start', config: { ...common, taskQueue: readTaskQueue } }),
  ]);
  if (apiReady.type !== 'ready' || workerReady.type !== 'ready')
    throw new Error('a child process did not report ready');
  const ports: ServerPorts = apiReady.ports;
  const parts: CpuParts = { apiPid: api.pid, workerPid: worker.pid, databaseName };
  const guard = <T>(work: Promise<T>) => Promise.race([work, api.failed, worker.failed]);
  const url = (port: number) => `http://127.0.0.1:${port}`;

  // The read orders first, so the worker is idle through every measured load.
  const readPrefix = `R${runTag}`;
  await guard(seedReadOrders(args.readOrders, url(ports.readSeed), crmWebhookSecret, readPrefix));
  await guard(inboxSettled(db, `${readPrefix}-`)); // every seeded order started, so catchUp knows how many to expect
  const caughtUp = await guard(catchUp(worker, db, readPrefix));

  const bare = await guard(
    measurePhase('bare baseline', args, api, parts, url(ports.bare), () => [{ method: 'GET', path: '/' }]),
  );

  // The two targets alternate, round by round, and each is reported by its median round: the INSERT
  // baseline alone swung by a third between quiet runs on this machine, intake far less.
  const intakePrefix = `B${runTag}`;
  const baselineRounds: Phase[] = [];
  const intakeRounds: (Phase & { measuredPrefix: string })[] = [];
  for (let round = 1; round <= args.rounds; round += 1) {
    baselineRounds.push(
      await guard(
        measurePhase(
          `insert baseline (round ${round}/${args.rounds})`,
          args,
          api,
          parts,
          url(ports.insertBaseline),
          (stage) => closedWonRequests('/inbox', crmWebhookSecret, `I${runTag}-r${round}-${stage}`),
          args.profile && round === args.rounds ? PROFILE_FILES.insertBaseline : undefined,
        ),
      ),
    );
    // Its rows would only make the inbox bigger for intake and slow the reads' inbox lookup: remove them.
    await db.inboundEvent.deleteMany({ where: { kind: INSERT_BASELINE_KIND } });
    await db.$executeRawUnsafe('VACUUM ANALYZE inbound_event');
    const roundPrefix = `${intakePrefix}-r${round}`;
    const phase = await guard(
      measurePhase(
        `intake (round ${round}/${args.rounds})`,
        args,
        api,
        parts,
        url(ports.app),
        (stage) => closedWonRequests('/v1/events/closed-won', crmWebhookSecret, `${roundPrefix}-${stage}`),
        args.profile && round === args.rounds ? PROFILE_FILES.intake : undefined,
      ),
    );
    // The next round's baseline starts once every start behind this round's answers is done.
    await inboxSettled(db, `${roundPrefix}-measured-`);
    intakeRounds.push({ ...phase, measuredPrefix: `${roundPrefix}-measured-` });
  }
  const insertBaseline = medianRound(baselineRounds);
  const intake = medianRound(intakeRounds);
  const profile = args.profile
    ? compareProfiles(
        { profile: summarizeProfile(PROFILE_FILES.intake), requests: intakeRounds.at(-1)!.load.successes },
        { profile: summarizeProfile(PROFILE_FILES.insertBaseline), requests: baselineRounds.at(-1)!.load.successes },
      )
    : undefined;
  const measuredPrefix = intake.measuredPrefix;
  const [inboxRows, notStarted, startErrors, startedUnderLoad] = await Promise.all([
    db.inboundEvent.count({ where: { kind: CLOSED_WON, dealId: { startsWith: measuredPrefix } } }),
    db.inboundEvent.count({ where: { kind: CLOSED_WON, dealId: { startsWith: measuredPrefix }, startedAt: null } }),
    db.inboundEvent.groupBy({
      by: ['lastError'],
      where: { kind: CLOSED_WON, dealId: { startsWith: measuredPrefix }, startedAt: null },
      _count: { _all: true },
    }),
    // Marks trail their starts by up to the dispatcher's markDelayMs: near enough for a 10 s window.
    db.inboundEvent.count({
      where: { kind: CLOSED_WON, startedAt: { gte: intake.loadStartedAt, lte: intake.loadEndedAt } },
    }),
  ]);
  const startFailures = startErrors.map((e) => ({ error: e.lastError ?? '(none recorded)', count: e._count._all }));
  const accepted = intake.load.statusCounts['202'] ?? 0;
  if (inboxRows < accepted) throw new Error(`intake: ${accepted} answers 202 but only ${inboxRows} inbox rows`);

  const targets = await guard(pickReadTargets(db, args.readOrders, readPrefix, url(ports.app), apiKey));
  const reads = await guard(
    measurePhase('reads', args, api, parts, url(ports.app), () => orderReadRequests(targets, apiKey)),
  );

  const screens = await guard(screensPhase(args, db, apiKey, url(ports.app), url(ports.selectBaseline), runTag));
  const signature = signatureCheckMicros(crmWebhookSecret);

  const result = {
    intakeRps: round(intake.load.rps, 1),
    insertBaselineRps: round(insertBaseline.load.rps, 1),
    bareRps: round(bare.load.rps, 1),
    intakeRatio: round(ratio(intake.load.rps, insertBaseline.load.rps), 3),
    intakeBareRatio: round(ratio(intake.load.rps, bare.load.rps), 4),
    // Every round, in the order measured: the figures above are each target's median round.
    rounds: baselineRounds.map((b, i) => ({
      insertBaselineRps: round(b.load.rps, 1),
      intakeRps: round(intakeRounds[i]!.load.rps, 1),
      intakeRatio: round(ratio(intakeRounds[i]!.load.rps, b.load.rps), 3),
    })),
    readRps: round(reads.load.rps, 1),
    intakeP50Ms: round(intake.load.p50Ms, 2),
    intakeP99Ms: round(intake.load.p99Ms, 2),
    insertBaselineP50Ms: round(insertBaseline.load.p50Ms, 2),
    insertBaselineP99Ms: round(insertBaseline.load.p99Ms, 2),
    bareP50Ms: round(bare.load.p50Ms, 2),
    bareP99Ms: round(bare.load.p99Ms, 2),
    readP50Ms: round(reads.load.p50Ms, 2),
    readP99Ms: round(reads.load.p99Ms, 2),
    non2xx: {
      intake: intake.load.non2xx,
      insertBaseline: insertBaseline.load.non2xx,
      bare: bare.load.non2xx,
      read: reads.load.non2xx,
    },
    socketErrors: {
      intake: intake.load.errors,
      insertBaseline: insertBaseline.load.errors,
      bare: bare.load.errors,
      read: reads.load.errors,
    },
    intakeAcceptedNotStarted: notStarted,
    // The starts behind the answers: all of the measured run's accepted events, over the run plus the catch-up.
    intakeStartCatchUpSeconds: round(intake.settleSeconds, 1),
    intakeStartsPerSecond: round((inboxRows - notStarted) / (intake.load.durationSeconds + intake.settleSeconds), 1),
    // Starts made while the load ran: the dispatcher paces them while the API is busy.
    intakeStartsPerSecondUnderLoad: round(startedUnderLoad / intake.load.durationSeconds, 1),
    intakeStartFailures: startFailures,
    signatureCheckMicros: round(signature.micros, 2),
    intakeStagesMs: perRequest(intake, 'intake: '),
    readStagesMs: perRequest(reads, 'read: '),
    insertBaselineStagesMs: perRequest(insertBaseline, ''),
    cpuMsPerRequest: {
      intake: cpuPerRequest(intake),
      insertBaseline: cpuPerRequest(insertBaseline),
      bare: cpuPerRequest(bare),
      read: cpuPerRequest(reads),
    },
    ...(profile
      ? {
          profiles: {
            files: {
              intake: path.relative(process.cwd(), PROFILE_FILES.intake),
              insertBaseline: path.relative(process.cwd(), PROFILE_FILES.insertBaseline),
            },
            cpuMicrosPerRequest: profile
              .slice(0, 20)
              .map((p) => ({ part: p.part, intake: round(p.intake, 1), insertBaseline: round(p.insertBaseline, 1) })),
          },
        }
      : {}),
    cpuCores: {
      intake: cpuShares(intake.cpu),
      insertBaseline: cpuShares(insertBaseline.cpu),
      bare: cpuShares(bare.cpu),
      read: cpuShares(reads.cpu),
    },
    screens: screens.result,
    startedAt,
    method: {
      durationSeconds: args.durationSeconds,
      rounds: args.rounds,
      connections: args.connections,
      warmupSeconds: args.warmupSeconds,
      pipelining: 1,
      requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS,
      readOrders: targets.length,
      machine: {
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
        os: `${os.platform()} ${os.release()}`,
        node: process.version,
      },
      autocannon: readVersion('autocannon'),
      fastify: readVersion('fastify'),
      prisma: readVersion('@prisma/client'),
      temporal: {
        cli: temporalCliVersion(),
        serverVersion,
        sdk: readVersion('@temporalio/client'),
        devServer: 'in memory, headless',
      },
      postgres: { version: postgresVersion, server: redactUrl(ADMIN_URL).replace(/\/[^/]*$/, '') },
      signatureBodyBytes: signature.bodyBytes,
      loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
      isProfiled: args.profile,
      isTimed: args.isTimed,
      readWorker: {
        maxCachedWorkflows: workerReady.maxCachedWorkflows,
        catchUpSeconds: round(caughtUp.seconds, 1),
        ordersCaughtUp: caughtUp.workflows,
      },
    },
  };

  printReport(
    args,
    result,
    { bare, insertBaseline, intake, reads },
    { inboxRows, notStarted, accepted, startFailures },
    databaseName,
    profile,
  );
  process.stdout.write(`${screens.table.join('\n')}\n`);
  writeResults(result);
  screens.check();
}

function writeResults(result: object): void {
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const tmp = `${RESULTS_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(tmp, RESULTS_FILE);
  say(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

/**
 * The console reads (bench/api/screens.ts): seeds `--screen-orders` orders with their invoices into
 * the run's database, measures the select baseline and each screen. `check` throws when a screen is
 * below MIN_RATIO of the baseline (the run then exits non-zero, after the results are written).
 */
async function screensPhase(
  args: ApiBenchArgs,
  db: Db,
  apiKey: string,
  appUrl: string,
  baselineUrl: string,
  runTag: string,
) {
  say(`seeding ${args.screenOrders} orders with their invoices for the console reads`);
  const data = await seedScreens(db, args.screenOrders, `S${runTag}`);
  const outcome = await measureScreens({
    appUrl,
    baselineUrl,
    data,
    apiKey,
    connections: args.connections,
    durationSeconds: args.durationSeconds,
    warmupSeconds: args.warmupSeconds,
    say,
  });
  const result = {
    orders: data.orderIds.length,
    seedSeconds: round(data.seedSeconds, 1),
    minRatio: MIN_RATIO,
    baseline: {
      request: 'GET /orders/:id on a bare Fastify route: order.findUnique by id, same driver and pool size',
      rps: round(outcome.baseline.rps, 1),
      p50Ms: round(outcome.baseline.p50Ms, 2),
      p99Ms: round(outcome.baseline.p99Ms, 2),
    },
    targets: outcome.screens.map((s) => ({
      name: s.name,
      request: s.request,
      rps: round(s.rps, 1),
      p50Ms: round(s.p50Ms, 2),
      p99Ms: round(s.p99Ms, 2),
      ratio: round(s.ratio, 3),
      non2xx: s.non2xx,
      errors: s.errors,
    })),
    connections: args.connections,
    durationSeconds: args.durationSeconds,
  };
  const below = outcome.screens.filter((s) => s.ratio < MIN_RATIO || s.non2xx > 0);
  return {
    result,
    table: screensTable(outcome, data, args.connections),
    check: () => {
      if (below.length > 0)
        throw new Error(
          `below ${MIN_RATIO} of the select baseline: ${below.map((s) => `${s.name} ${s.ratio.toFixed(3)}${s.non2xx ? ` (${s.non2xx} non-2xx)` : ''}`).join(', ')}`,
        );
    },
  };
}

/**
 * `--screens-only`: the console reads alone (a fresh database, a Temporal dev server for the API's
 * client, the API process; no read worker, no intake rounds). Their figures replace the `screens` part
 * of bench-results/api.json; the intake and read figures stay as the last full run left them.
 */
async function screensOnly(args: ApiBenchArgs, cleanup: Cleanup): Promise<void> {
  const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
  const runTag = randomBytes(4).toString('hex');
  const { databaseUrl, temporal } = await scratchStack('closedloop_bench_screens', cleanup, log);
  const db = createDb(databaseUrl.toString(), 2);
  cleanup.add('disconnect the database client', () => db.$disconnect());
  const { key: apiKey } = await createApiKey(db, 'bench:api screens', 'admin');
  const api: ApiProcess = new ChildProcessHandle('API', path.join(__dirname, 'api', 'server.ts'));
  cleanup.add('stop the API process', () => api.stop({ type: 'stop' }));
  const taskQueue = `bench-api-${runTag}`;
  const ready = await api.request({
    type: 'start',
    config: {
      databaseUrl: databaseUrl.toString(),
      temporalAddress: temporal.address,
      namespace: NAMESPACE,
      taskQueue,
      readTaskQueue: `${taskQueue}-reads`,
      crmWebhookSecret: randomBytes(24).toString('hex'),
      isTimed: args.isTimed,
    },
  });
  if (ready.type !== 'ready') throw new Error('the API process did not report ready');
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const screens = await Promise.race([
    screensPhase(args, db, apiKey, url(ready.ports.app), url(ready.ports.selectBaseline), runTag),
    api.failed,
  ]);
  process.stdout.write(`${screens.table.join('\n')}\n`);
  let previous: object = {};
  try {
    previous = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as object;
  } catch {
    // No earlier full run: the file holds the screens alone.
  }
  writeResults({
    ...previous,
    screens: {
      ...screens.result,
      measuredAt: new Date().toISOString(),
      loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    },
  });
  screens.check();
}

/** Calls intake makes in its start dispatcher (and relay), after the answer went out. */
const BEHIND_INTAKE_ANSWER = new Set(['temporal workflow.start RPC', 'pg UPDATE', 'pg SELECT']);

/** The call made exactly once by every request of a phase: intake and the insert baseline INSERT, a read queries the workflow. */
const ANCHOR_STAGE: Record<string, string> = {
  'intake: ': 'pg INSERT',
  'read: ': 'temporal query getState',
  '': 'pg INSERT',
};

/**
 * Requests whose handler ran during a measured run, counted by the anchor call. More than autocannon's
 * 2xx count by the requests still in flight when it stopped (the API finishes them; their times count).
 */
function requestCount(phase: Phase, prefix: string): number {
  return Math.max(1, phase.stages.find((s) => s.name === ANCHOR_STAGE[prefix])?.calls ?? phase.load.successes);
}

/**
 * Mean wall milliseconds per request of each stage, by name: a Fastify stage over the requests whose
 * answer was written (its own calls), a database or Temporal call over every request that ran.
 */
function perRequest(phase: Phase, prefix: string): Record<string, number> {
  const n = requestCount(phase, prefix);
  return Object.fromEntries(
    phase.stages.map((s) => [s.name, round(s.totalMs / (prefix && s.name.startsWith(prefix) ? s.calls : n), 3)]),
  );
}

function cpuShares(cpu: CpuUse): Record<string, number | null> {
  return Object.fromEntries([
    ['machine busy share', round(cpu.machine, 3)],
    ...[...CPU_PARTS, OTHER_PART].map((p) => [p, cpu.parts[p] === undefined ? null : round(cpu.parts[p]!, 2)]),
  ]);
}

/** CPU milliseconds each part spent per 2xx answer: what one request costs, whatever else ran. */
function cpuPerRequest(phase: Phase): Record<string, number | null> {
  const perSecond = phase.load.rps;
  return Object.fromEntries(
    CPU_PARTS.map((p) => [
      p,
      phase.cpu.parts[p] === undefined || perSecond === 0 ? null : round((phase.cpu.parts[p]! * 1000) / perSecond, 3),
    ]),
  );
}

type Result = {
  intakeRatio: number;
  rounds: { insertBaselineRps: number; intakeRps: number; intakeRatio: number }[];
  intakeStartCatchUpSeconds: number;
  intakeStartsPerSecond: number;
  intakeStartsPerSecondUnderLoad: number;
  intakeBareRatio: number;
  signatureCheckMicros: number;
  method: {
    machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string };
    autocannon: string;
    fastify: string;
    prisma: string;
    temporal: { cli: string; serverVersion?: string | null; sdk: string };
    postgres: { version: string; server: string };
    signatureBodyBytes: number;
    readOrders: number;
    loadAverageAtStart: number[];
    readWorker: { maxCachedWorkflows: number; catchUpSeconds: number; ordersCaughtUp: number };
  };
};

function printReport(
  args: ApiBenchArgs,
  result: Result,
  phases: { bare: Phase; insertBaseline: Phase; intake: Phase; reads: Phase },
  inbox: { inboxRows: number; notStarted: number; accepted: number; startFailures: { error: string; count: number }[] },
  databaseName: string,
  profile?: PartComparison[],
): void {
  const { machine, temporal, postgres, readWorker } = result.method;
  const columns = [
    ['intake', phases.intake],
    ['insert baseline', phases.insertBaseline],
    ['bare baseline', phases.bare],
    ['reads', phases.reads],
  ] as const;
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
  const row = (label: string, cells: string[], extra = '') =>
    `  ${label.padEnd(24)}${cells.map((c) => c.padStart(17)).join('')}${extra ? `  ${extra}` : ''}`;
  const cores = (v?: number) => (v === undefined ? 'n/a' : v.toFixed(2));
  const stageLines = (title: string, phase: Phase, prefix: string) => {
    const n = requestCount(phase, prefix);
    const fastify = prefix ? phase.stages.filter((s) => s.name.startsWith(prefix)) : [];
    const calls = phase.stages.filter((s) => !s.name.includes(': ') || s.name.startsWith('pg '));
    if (phase.stages.length === 0) return [`  ${title}: not timed (--no-timing)`];
    const handler = fastify.find((s) => s.name === `${prefix}handler + response serialization`);
    // Intake's handler waits for one pool connection and the INSERT; what it spends beyond them is its own.
    // (The start RPC and the UPDATE run in the start dispatcher, behind the answer.)
    const perCall = (name: string) => {
      const stage = calls.find((s) => s.name === name);
      return stage ? stage.totalMs / stage.calls : 0;
    };
    const rest =
      handler && prefix === 'intake: '
        ? handler.totalMs / handler.calls - perCall('pg pool: wait for a connection') - perCall('pg INSERT')
        : undefined;
    return [
      `  ${title} (wall ms per request, mean of ${n} requests; calls per request x ms per call in brackets)`,
      ...fastify.map(
        (s) => `    ${s.name.slice(prefix.length).padEnd(58)}${(s.totalMs / s.calls).toFixed(3).padStart(9)}`,
      ),
      ...calls.map((s) => {
        const name =
          prefix === 'intake: ' && BEHIND_INTAKE_ANSWER.has(s.name) ? `${s.name} (behind the answer)` : s.name;
        return `    ${name.padEnd(58)}${(s.totalMs / n).toFixed(3).padStart(9)}  [${(s.calls / n).toFixed(2)} x ${(s.totalMs / s.calls).toFixed(3)} ms]`;
      }),
      ...(rest === undefined
        ? []
        : [
            `    ${'rest of the handler (Prisma, clients, JSON; event loop)'.padEnd(58)}${rest.toFixed(3).padStart(9)}`,
          ]),
    ];
  };
  const lines = [
    '',
    'closedloop API benchmark',
    '',
    'method',
    `  load        autocannon ${result.method.autocannon} in the benchmark's own process (the API runs in a child process),`,
    `              ${args.connections} connections, one request in flight each (no pipelining), closed loop; ${args.warmupSeconds} s unmeasured`,
    `              warm-up then ${args.durationSeconds} s measured per target, one target at a time; request timeout ${REQUEST_TIMEOUT_SECONDS} s`,
    `              requests/s = 2xx answers / run time; latency p50/p99 over 2xx answers only, nearest rank, full precision`,
    `  machine     ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; everything on 127.0.0.1;`,
    `              load average at start ${result.method.loadAverageAtStart.join(' ')} (other users of the machine: "everything else" below)`,
    `  API         buildApp (api/app.ts), Fastify ${result.method.fastify}, pino logger at 'silent', rate limit 1e9/min (the limiter runs, never`,
    `              refuses), Prisma ${result.method.prisma} over pg, pool 10 (createDb default); one Temporal gRPC connection; the start`,
    `              dispatcher (${DISPATCHER_DEFAULTS.concurrency} starts at once) and the inbox relay (every ${RELAY_DEFAULTS.intervalMs / 1000} s), as npm run start:api runs them`,
    `  intake      examples/closed-won.json (${result.method.signatureBodyBytes} bytes) with a new dealId per request, signed per request`,
    `              (HMAC-SHA256, x-closedloop-timestamp / x-closedloop-signature); answered after the inbox INSERT, the workflow`,
    `              start runs behind the answer in the same process and a phase ends once every accepted event is started;`,
    `              no worker runs: the workflows wait untouched`,
    `  reads       GET /v1/orders/:id with an admin key, cycling through ${result.method.readOrders} orders accepted by intake before the load`,
    `              on the read worker's task queue (intake's own orders go to a queue no worker polls), each read once beforehand;`,
    `              the worker (workflow code, only the recordTransition local activity, no activity polling) ran each to its`,
    `              first step (${readWorker.ordersCaughtUp} orders, ${readWorker.catchUpSeconds} s); the page reads PostgreSQL only (the`,
    `              step events), no workflow query; recordOrder never runs, so the view comes from the inbox row`,
    `  baselines   bare Fastify ${result.method.fastify} instances, logger off, no plugins, in the API process: GET / -> {"hello":"world"};`,
    `              POST /inbox -> the same inboundEvent.create as intake (same columns, payload hash computed the same way),`,
    `              same signed bodies, own createDb pool of 10; its rows are deleted before intake runs`,
    `  Temporal    ${temporal.cli}; server ${temporal.serverVersion ?? '?'}; dev server in memory, headless; TypeScript SDK ${temporal.sdk}`,
    `  PostgreSQL  ${postgres.version} at ${postgres.server}, fresh database ${databaseName}`,
    `  timing      Fastify hooks (reply.elapsedTime) and wrappers around the pg driver under Prisma (pool wait, each statement)`,
    `              and the Temporal client, in the API process during the measured runs; the wrappers add no behaviour;`,
    `              times are wall time, so a statement's includes waiting for the API's event loop to read its answer`,
    ...(args.isTimed ? [] : [`              --no-timing: this run had no hooks and no wrappers, so no time breakdown`]),
    ...(args.profile
      ? [
          `  profile     the last round of intake and of the insert baseline were CPU-profiled (V8 sampling every 500 us): their figures include the profiler's cost`,
        ]
      : []),
    '',
    row(
      'results',
      columns.map(([name]) => name),
    ),
    row(
      'requests/second (2xx)',
      columns.map(([, p]) => p.load.rps.toFixed(1)),
    ),
    row(
      'latency p50 ms',
      columns.map(([, p]) => ms(p.load.p50Ms)),
    ),
    row(
      'latency p99 ms',
      columns.map(([, p]) => ms(p.load.p99Ms)),
    ),
    row(
      'latency mean ms',
      columns.map(([, p]) => ms(p.load.meanMs)),
    ),
    row(
      '2xx answers',
      columns.map(([, p]) => String(p.load.successes)),
    ),
    row(
      'non-2xx answers',
      columns.map(([, p]) => String(p.load.non2xx)),
    ),
    row(
      'socket errors/timeouts',
      columns.map(([, p]) => `${p.load.errors}/${p.load.timeouts}`),
    ),
    '',
    `  intake / insert baseline  ${result.intakeRatio.toFixed(3)}      intake / bare baseline  ${result.intakeBareRatio.toFixed(4)}`,
    `  rounds (baseline / intake requests/s, ratio; the medians are reported): ${result.rounds.map((r) => `${r.insertBaselineRps} / ${r.intakeRps} = ${r.intakeRatio}`).join(';  ')}`,
    `  intake answers by status ${JSON.stringify(phases.intake.load.statusCounts)}; inbox rows written ${inbox.inboxRows} (in-flight requests at the end`,
    `  of the run are written but not counted); accepted but not started (Temporal start failed, left to the relay): ${inbox.notStarted}`,
    `  starts behind the answers: all started ${result.intakeStartCatchUpSeconds} s after the load stopped, ${result.intakeStartsPerSecond} starts/s over the run`,
    `  and the catch-up, ${result.intakeStartsPerSecondUnderLoad} starts/s while the load ran (the inbox holds what the starts have not reached;`,
    `  CPU figures below cover the load window only)`,
    ...inbox.startFailures.map(
      (f) => `    ${String(f.count).padStart(6)} x ${f.error.replace(/\s+/g, ' ').slice(0, 140)}`,
    ),
    '',
    row(
      'CPU, cores busy',
      columns.map(([name]) => name),
    ),
    ...[...CPU_PARTS, OTHER_PART].map((part) =>
      row(
        `  ${part}`,
        columns.map(([, p]) => cores(p.cpu.parts[part])),
      ),
    ),
    row(
      '  machine, share',
      columns.map(([, p]) => `${(p.cpu.machine * 100).toFixed(0)} % of ${p.cpu.cores}`),
    ),
    row(
      'CPU ms per 2xx request',
      columns.map(([name]) => name),
    ),
    ...CPU_PARTS.map((part) =>
      row(
        `  ${part}`,
        columns.map(([, p]) =>
          p.cpu.parts[part] === undefined ? 'n/a' : ((p.cpu.parts[part]! * 1000) / p.load.rps).toFixed(3),
        ),
      ),
    ),
    '',
    ...stageLines('where intake time goes', phases.intake, 'intake: '),
    `    ${'signature check alone (checkSignature in a loop, this process)'.padEnd(58)}${(result.signatureCheckMicros / 1000).toFixed(3).padStart(9)}`,
    '',
    ...(profile
      ? [
          `  API process CPU profiles of the last measured round (self time, us per 2xx request; ${path.relative(process.cwd(), path.dirname(PROFILE_FILES.intake))}/api-*.cpuprofile)`,
          `    ${'part'.padEnd(44)}${'intake'.padStart(10)}${'insert baseline'.padStart(17)}${'difference'.padStart(12)}`,
          ...profile
            .slice(0, 20)
            .map(
              (p) =>
                `    ${p.part.padEnd(44)}${p.intake.toFixed(0).padStart(10)}${p.insertBaseline.toFixed(0).padStart(17)}${(p.intake - p.insertBaseline).toFixed(0).padStart(12)}`,
            ),
          '',
        ]
      : []),
    ...stageLines('insert baseline', phases.insertBaseline, ''),
    '',
    ...stageLines('where read time goes', phases.reads, 'read: '),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function entry(): Promise<void> {
  let args: ApiBenchArgs;
  try {
    args = parseApiBenchArgs(process.argv.slice(2));
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  await runBench(say, (cleanup) => (args.isScreensOnly ? screensOnly(args, cleanup) : main(args, cleanup)));
}

void entry();
