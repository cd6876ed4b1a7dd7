/**
 * Per test file: real Temporal (shared dev server, own task queue), real PostgreSQL (shared fresh
 * database), a real SMTP capture server on its own port, a worker with the real activities, and the
 * Fastify app. Ids are unique per test, so no test depends on another's data.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { createDb, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { createSmtpMailAdapter } from '../../adapters/mail/smtp';
import { buildApp, type App } from '../../api/app';
import { startMailCapture, type MailCapture } from '../../runtime/mail-capture';
import { createWorker, type WorkerDeps } from '../../workers/worker';
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { RunState } from '../../workflows/engine/state';
import { getState } from '../../workflows/engine/messages';
import example from '../../examples/closed-won.json';

export interface HarnessOptions {
  activityOverrides?: WorkerDeps['activityOverrides'];
}

export interface Harness {
  db: Db;
  temporal: Client;
  taskQueue: string;
  mail: MailCapture;
  app: App;
  startWorker(overrides?: WorkerDeps['activityOverrides']): Promise<void>;
  stopWorker(): Promise<void>;
  waitForState(workflowId: string, predicate: (s: RunState) => boolean, timeoutMs?: number): Promise<RunState>;
  stop(): Promise<void>;
}

export const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests with npm test (global setup starts the services)`);
  return value;
};

/** A fresh, valid closed-won event with a unique deal id (based on examples/closed-won.json). */
export function makeEvent(overrides: Partial<ClosedWonEvent> = {}): ClosedWonEvent {
  return {
    ...(structuredClone(example) as ClosedWonEvent),
    dealId: `T-${randomUUID().slice(0, 13)}`,
    ...overrides,
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const db = createDb(env('CLOSEDLOOP_TEST_DATABASE_URL'));
  const mail = await startMailCapture(0);
  const mailAdapter = createSmtpMailAdapter(mail.url, 'closedloop <orders@closedloop.test>');
  const temporalAddress = env('CLOSEDLOOP_TEST_TEMPORAL_ADDRESS');
  const connection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection });
  const taskQueue = `test-${randomUUID()}`;
  const app = await buildApp({ db, temporal, taskQueue, log, mailCapture: mail });

  let current: { worker: Worker; running: Promise<void>; close(): Promise<void> } | undefined;

  const startWorker = async (overrides = options.activityOverrides) => {
    if (current) throw new Error('a worker is already running');
    const { worker, connection: workerConnection } = await createWorker({
      temporalAddress,
      namespace: 'default',
      taskQueue,
      db,
      mail: mailAdapter,
      log,
      settings: { opsEmail: 'ops@closedloop.test', financeEmail: 'finance@closedloop.test', publicUrl: 'http://closedloop.test' },
      workflowBundlePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE'),
      activityOverrides: overrides,
    });
    current = { worker, running: worker.run(), close: () => workerConnection.close() };
  };

  const stopWorker = async () => {
    if (!current) return;
    const { worker, running, close } = current;
    current = undefined;
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await close();
  };

  await startWorker();

  return {
    db,
    temporal,
    taskQueue,
    mail,
    app,
    startWorker,
    stopWorker,
    async waitForState(workflowId, predicate, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: RunState | undefined;
      while (Date.now() < deadline) {
        try {
          last = await temporal.workflow.getHandle(workflowId).query(getState);
          if (predicate(last)) return last;
        } catch {
          // not started yet, or no worker at this moment
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`timed out waiting for ${workflowId}; last state: ${JSON.stringify(last, null, 2)}`);
    },
    async stop() {
      await app.close();
      await stopWorker();
      mailAdapter.close();
      await mail.stop();
      await connection.close();
      await db.$disconnect();
    },
  };
}
