/**
 * The console reads of `npm run bench:api` (bench/api/screens.ts), as a phase of the full run and on
 * their own with `--screens-only`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createApiKey } from '../../api/auth/api-keys';
import { createDb, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { NAMESPACE, writeResults, type Cleanup } from '../harness';
import { round } from '../stats';
import type { ApiBenchArgs } from './args';
import { MIN_RATIO, measureScreens, screensTable, seedScreens } from './screens';
import { RESULTS_FILE, say } from './settings';
import { scratchStack, spawnApi, urlOf } from './stack';

/**
 * The console reads (bench/api/screens.ts): seeds `--screen-orders` orders with their invoices into
 * the run's database, measures the select baseline and each screen. `check` throws when a screen is
 * below MIN_RATIO of the baseline (the run then exits non-zero, after the results are written).
 */
export async function screensPhase(
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
export async function screensOnly(args: ApiBenchArgs, cleanup: Cleanup): Promise<void> {
  const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
  const runTag = randomBytes(4).toString('hex');
  const { databaseUrl, temporal } = await scratchStack('closedloop_bench_screens', cleanup, log);
  const db = createDb(databaseUrl.toString(), 2);
  cleanup.add('disconnect the database client', () => db.$disconnect());
  const { key: apiKey } = await createApiKey(db, 'bench:api screens', 'admin');
  const api = spawnApi(cleanup);
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
  const screens = await Promise.race([
    screensPhase(args, db, apiKey, urlOf(ready.ports.app), urlOf(ready.ports.selectBaseline), runTag),
    api.failed,
  ]);
  process.stdout.write(`${screens.table.join('\n')}\n`);
  let previous: object = {};
  try {
    previous = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as object;
  } catch {
    // No earlier full run: the file holds the screens alone.
  }
  writeResults(
    RESULTS_FILE,
    {
      ...previous,
      screens: {
        ...screens.result,
        measuredAt: new Date().toISOString(),
        loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
      },
    },
    say,
  );
  screens.check();
}
