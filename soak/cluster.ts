/**
 * The soak's system under test, one OS process per part so each can be killed with SIGKILL and
 * started again: the Temporal dev server (SQLite file, so workflows survive its death), worker
 * processes and the API process. PostgreSQL and the SMTP capture stay up: they are the witnesses the
 * invariants are read from.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_FLAGS } from '../runtime/temporal-server';

const ROOT = path.join(__dirname, '..');

export type PartKind = 'worker' | 'api' | 'temporal';

export interface Part {
  readonly name: string;
  readonly kind: PartKind;
  start(): Promise<void>;
  /** SIGKILL: no shutdown hook runs, in-flight work is cut wherever it is. */
  kill(): void;
  stop(): Promise<void>;
  isRunning(): boolean;
}

export interface PartSpec {
  name: string;
  kind: PartKind;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  ready(): Promise<void>;
}

/** Exits nobody asked for (a crash at start-up, an unhandled error): each is a finding. */
export const unexpectedExits: { part: string; code: number | null; signal: string | null; at: string }[] = [];

/**
 * Children alive right now. If the soak runner itself dies (an uncaught error skips its `finally`),
 * its exit takes them along: a dead runner must not leave a Temporal server, workers and an API
 * running against a database nobody checks.
 */
const liveChildren = new Set<ChildProcess>();
let isExitHookSet = false;
function track(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (isExitHookSet) return;
  isExitHookSet = true;
  process.once('exit', () => {
    for (const running of liveChildren) running.kill('SIGKILL');
  });
}

/** One part as its own process, started, killed and stopped on demand (exported for its test). */
export function managed(spec: PartSpec): Part {
  let child: ChildProcess | undefined;
  let log: WriteStream | undefined;
  let isExitExpected = false;
  const exited = () => !child || child.exitCode !== null || child.signalCode !== null;
  return {
    name: spec.name,
    kind: spec.kind,
    async start() {
      if (!exited()) return;
      log ??= createWriteStream(spec.logFile, { flags: 'a' });
      log.write(`\n--- start ${new Date().toISOString()}\n`);
      isExitExpected = false;
      child = spawn(spec.command, spec.args, { cwd: ROOT, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
      track(child);
      child.once('exit', (code, signal) => {
        if (!isExitExpected) unexpectedExits.push({ part: spec.name, code, signal, at: new Date().toISOString() });
      });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      const started = child;
      const died = new Promise<never>((_, reject) =>
        started.once('exit', (code, signal) =>
          reject(new Error(`${spec.name} exited (${signal ?? code}) while starting; see ${spec.logFile}`)),
        ),
      );
      died.catch(() => undefined);
      await Promise.race([spec.ready(), died]);
    },
    kill() {
      isExitExpected = true;
      if (!exited()) child!.kill('SIGKILL');
    },
    async stop() {
      isExitExpected = true;
      if (exited()) return;
      const running = child!;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => running.kill('SIGKILL'), 15_000);
        running.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        running.kill('SIGTERM');
      });
    },
    isRunning: () => !exited(),
  };
}

/** Three minutes: on a loaded 2-core machine a part that compiles its TypeScript at start can take over 90 s. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface ClusterOptions {
  runDir: string;
  cliPath: string;
  temporalPort: number;
  apiPort: number;
  databaseUrl: string;
  smtpUrl: string;
  crmSecret: string;
  taskQueue: string;
  workers: number;
  faultFailureRate: number;
}

export interface Cluster {
  temporal: Part;
  api: Part;
  workers: Part[];
  all(): Part[];
  temporalAddress: string;
  apiUrl: string;
}

export function defineCluster(o: ClusterOptions): Cluster {
  const temporalAddress = `127.0.0.1:${o.temporalPort}`;
  const apiUrl = `http://127.0.0.1:${o.apiPort}`;
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: o.taskQueue,
    DATABASE_URL: o.databaseUrl,
    SMTP_URL: o.smtpUrl,
    CRM_WEBHOOK_SECRET: o.crmSecret,
    DATA_DIR: path.join(o.runDir, 'data'),
    API_PORT: String(o.apiPort),
    RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const temporal = temporalPart(o, temporalAddress);
  const [apiCommand, apiArgs] = node('api/main.ts');
  const api = managed({
    name: 'api',
    kind: 'api',
    command: apiCommand,
    args: [...apiArgs],
    env: appEnv,
    logFile: path.join(o.runDir, 'api.log'),
    ready: () => until('API', async () => (await fetch(`${apiUrl}/healthz`)).ok),
  });
  const workers = Array.from({ length: o.workers }, (_, i) => workerPart(o, appEnv, i + 1));
  return { temporal, api, workers, all: () => [temporal, ...workers, api], temporalAddress, apiUrl };
}

const node = (script: string) => [process.execPath, ['--import', 'tsx', path.join(ROOT, script)]] as const;

/** The dev server keeps its state in a SQLite file, so workflows survive its death. */
function temporalPart(o: ClusterOptions, temporalAddress: string): Part {
  return managed({
    name: 'temporal',
    kind: 'temporal',
    command: o.cliPath,
    args: [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(o.temporalPort),
      '--headless',
      '--log-level',
      'error',
      '--db-filename',
      path.join(o.runDir, 'temporal.sqlite'),
      ...SEARCH_ATTRIBUTE_FLAGS,
    ],
    env: process.env,
    logFile: path.join(o.runDir, 'temporal.log'),
    ready: () =>
      until('Temporal dev server', async () => {
        const connection = await Connection.connect({ address: temporalAddress, connectTimeout: 1000 });
        try {
          await connection.workflowService.getSystemInfo({});
          return true;
        } finally {
          await connection.close();
        }
      }),
  });
}

function workerPart(o: ClusterOptions, appEnv: NodeJS.ProcessEnv, n: number): Part {
  const [command, args] = node('workers/main.ts');
  const logFile = path.join(o.runDir, `worker-${n}.log`);
  return managed({
    name: `worker-${n}`,
    kind: 'worker',
    command,
    args: [...args],
    env: { ...appEnv, FAULT_FAILURE_RATE: String(o.faultFailureRate) },
    logFile,
    // The worker has no port: it is ready once it says so (it migrates and loads its workflow code first).
    ready: () =>
      until(`worker-${n}`, async () =>
        readFileSync(logFile, 'utf8').split('--- start').pop()!.includes('closedloop is running'),
      ),
  });
}
