/**
 * What every `npm run bench*` shares: the clean-up list, the process frame around a run (Ctrl-C and
 * stray errors clean up too, one exit code), the scratch database and Temporal dev server a run stands
 * on, the machine it describes, the results file it writes and the throughput figures each report
 * opens with.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../lib/db';
import { redactUrl, type Logger } from '../lib/logger';
import { migrateDeploy } from '../runtime/migrate';
import { freePort } from '../runtime/ports';
import { startTemporalDevServer, type RunningTemporal } from '../runtime/temporal-server';
import { ratio, round, type LatencySummary } from './stats';

/** The PostgreSQL server a benchmark creates its scratch database on. */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const NAMESPACE = 'default';

/** Things to undo, newest first; each runs once even if cleanup is requested twice (failure + Ctrl-C). */
export class Cleanup {
  private readonly steps: { what: string; run: () => Promise<void> | void }[] = [];

  constructor(private readonly say: (message: string) => void) {}

  add(what: string, run: () => Promise<void> | void): void {
    this.steps.push({ what, run });
  }

  /** Runs every step, newest first; false when one of them failed (each failure is reported). */
  async runAll(): Promise<boolean> {
    let isClean = true;
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        isClean = false;
        this.say(`cleanup: ${step.what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return isClean;
  }
}

/**
 * Runs a benchmark and exits: 0 when it and its clean-up succeeded, 1 otherwise, 130 on SIGINT/SIGTERM
 * (after cleaning up). A stray error from a call a failure left behind is reported and fails the run
 * without cutting the clean-up short.
 */
export async function runBench(
  say: (message: string) => void,
  body: (cleanup: Cleanup) => Promise<void>,
): Promise<never> {
  const cleanup = new Cleanup(say);
  let isInterrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (isInterrupted) return;
    isInterrupted = true;
    say(`${signal}: cleaning up`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let isFailed = false;
  const stray = (error: unknown) => {
    isFailed = true;
    say(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };
  process.on('uncaughtException', stray);
  process.on('unhandledRejection', stray);

  try {
    await body(cleanup);
  } catch (error) {
    isFailed = true;
    say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  if (!(await cleanup.runAll())) isFailed = true;
  process.exit(isFailed ? 1 : 0);
}

/** A measured phase: runs per second and their latency. */
export interface ThroughputPhase {
  perSecond: number;
  latency: LatencySummary;
}

/** The figures every throughput report opens with: the measured runs beside the same-run baseline. */
export function throughputFigures(orders: number, measured: ThroughputPhase, base: ThroughputPhase) {
  return {
    orders,
    ordersPerSecond: round(measured.perSecond, 2),
    baselinePerSecond: round(base.perSecond, 2),
    ratio: round(ratio(measured.perSecond, base.perSecond), 3),
    p50Ms: round(measured.latency.p50Ms),
    p95Ms: round(measured.latency.p95Ms),
    p99Ms: round(measured.latency.p99Ms),
    baseline: { p50Ms: round(base.latency.p50Ms), p95Ms: round(base.latency.p95Ms), p99Ms: round(base.latency.p99Ms) },
  };
}

export interface ScratchDatabase {
  /** A client of the admin database: it created the scratch one and drops it at clean-up. */
  admin: Db;
  databaseName: string;
  databaseUrl: URL;
}

/** A fresh database `<prefix>_<time>_<pid>` on ADMIN_URL, dropped at clean-up unless KEEP_BENCH_DATABASE. */
export async function createScratchDatabase(
  prefix: string,
  cleanup: Cleanup,
  say: (message: string) => void,
): Promise<ScratchDatabase> {
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
  return { admin, databaseName, databaseUrl };
}

/** The PostgreSQL server's version, as `SHOW server_version` answers it. */
export async function postgresVersionOf(admin: Db): Promise<string> {
  const [{ server_version: version } = { server_version: 'unknown' }] =
    await admin.$queryRawUnsafe<{ server_version: string }[]>('SHOW server_version');
  return version;
}

/** Where the scratch databases live, without credentials or database name, for the report's method. */
export const postgresServer = (): string => redactUrl(ADMIN_URL).replace(/\/[^/]*$/, '');

/**
 * Starts a Temporal dev server (free port, in memory, headless) while `databaseUrl` is migrated.
 * allSettled, not all: when the migration fails first, the server still starting must be stopped too.
 */
export async function startTemporalAndMigrate(
  databaseUrl: URL,
  cleanup: Cleanup,
  log: Logger,
): Promise<RunningTemporal> {
  const port = await freePort();
  const [started, migrated] = await Promise.allSettled([
    startTemporalDevServer({ port, namespace: NAMESPACE, cliPath: process.env.TEMPORAL_CLI_PATH, log }),
    migrateDeploy(databaseUrl.toString()),
  ]);
  if (started.status === 'fulfilled') cleanup.add('stop the Temporal dev server', () => started.value.stop());
  if (started.status === 'rejected') throw started.reason;
  if (migrated.status === 'rejected') throw migrated.reason;
  return started.value;
}

/** The machine a report's figures were measured on. */
export function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

/** Writes `result` as JSON to `file` in one rename, so a reader never sees half a file. */
export function writeResults(file: string, result: object, say: (message: string) => void): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(tmp, file);
  say(`wrote ${path.relative(process.cwd(), file)}`);
}
