/**
 * What an API benchmark run stands on: a scratch database migrated while a Temporal dev server starts,
 * then the API process (server.ts) and, for the full run, the read worker (read-worker.ts), each a
 * child process stopped at clean-up.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { createApiKey } from '../../api/auth/api-keys';
import { createDb, type Db } from '../../lib/db';
import { createLogger, type Logger } from '../../lib/logger';
import { createScratchDatabase, NAMESPACE, postgresVersionOf, startTemporalAndMigrate, type Cleanup } from '../harness';
import type { ApiBenchArgs } from './args';
import { ChildProcessHandle } from './child';
import type { CpuParts } from './cpu';
import type { ApiProcess, WorkerProcess } from './phase';
import type { ServerPorts } from './protocol';
import { say } from './settings';

/**
 * A fresh database (dropped at the end unless KEEP_BENCH_DATABASE) migrated while a Temporal dev server
 * starts: what every bench:api run stands on.
 */
export async function scratchStack(prefix: string, cleanup: Cleanup, log: Logger) {
  const scratch = await createScratchDatabase(prefix, cleanup, say);
  say(`starting the Temporal dev server and migrating ${scratch.databaseName}`);
  const temporal = await startTemporalAndMigrate(scratch.databaseUrl, cleanup, log);
  return { ...scratch, temporal };
}

/** The API process, stopped at clean-up; it starts serving on its `start` message. */
export function spawnApi(cleanup: Cleanup): ApiProcess {
  const api: ApiProcess = new ChildProcessHandle('API', path.join(__dirname, 'server.ts'));
  cleanup.add('stop the API process', () => api.stop({ type: 'stop' }));
  return api;
}

export const urlOf = (port: number) => `http://127.0.0.1:${port}`;

export interface ApiStack {
  runTag: string;
  crmWebhookSecret: string;
  databaseName: string;
  postgresVersion: string;
  serverVersion: string | null | undefined;
  db: Db;
  apiKey: string;
  api: ApiProcess;
  worker: WorkerProcess;
  ports: ServerPorts;
  /** The processes whose CPU each phase reports. */
  parts: CpuParts;
  maxCachedWorkflows: number;
  /** Fails as soon as either child process fails. */
  guard: <T>(work: Promise<T>) => Promise<T>;
}

export async function startApiStack(args: ApiBenchArgs, cleanup: Cleanup): Promise<ApiStack> {
  const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
  const runTag = randomBytes(4).toString('hex');
  const crmWebhookSecret = randomBytes(24).toString('hex');
  const taskQueue = `bench-api-${runTag}`;

  // PostgreSQL: a fresh database, dropped at the end; a Temporal dev server beside it.
  const { admin, databaseName, databaseUrl, temporal } = await scratchStack('closedloop_bench_api', cleanup, log);
  const postgresVersion = await postgresVersionOf(admin);
  const connection = await Connection.connect({ address: temporal.address });
  const { serverVersion } = await connection.workflowService.getSystemInfo({}).finally(() => connection.close());

  const db = createDb(databaseUrl.toString(), 2);
  cleanup.add('disconnect the database client', () => db.$disconnect());
  const { key: apiKey } = await createApiKey(db, 'bench:api reads', 'admin');

  say('starting the API process and the read worker (bundling workflows)');
  const api = spawnApi(cleanup);
  const worker: WorkerProcess = new ChildProcessHandle('read worker', path.join(__dirname, 'read-worker.ts'));
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
  return {
    runTag,
    crmWebhookSecret,
    databaseName,
    postgresVersion,
    serverVersion,
    db,
    apiKey,
    api,
    worker,
    ports: apiReady.ports,
    parts: { apiPid: api.pid, workerPid: worker.pid, databaseName },
    maxCachedWorkflows: workerReady.maxCachedWorkflows,
    guard: <T>(work: Promise<T>) => Promise.race([work, api.failed, worker.failed]),
  };
}
