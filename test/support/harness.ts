/**
 * Per test file: real Temporal (shared dev server, own task queue), real PostgreSQL (shared fresh
 * database), a real SMTP capture server on its own port, a worker with the real activities, and the
 * Fastify app. Ids are unique per test, so no test depends on another's data.
 */
import { DEMO_SELLER } from '../../lib/config';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { dataConverterFor } from '../../lib/payload-encryption';
import type { Worker } from '@temporalio/worker';
import { createDb, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { createSmtpMailAdapter } from '../../adapters/mail/smtp';
import { buildApp, type App } from '../../api/app';
import { createApiKey, type Role } from '../../api/auth/api-keys';
import { sign } from '../../api/auth/signature';
import { startMailCapture, type MailCapture } from '../../runtime/mail-capture';
import { createWorker, type WorkerDeps } from '../../workers/worker';
import { writeWorkflowBundle } from '../../workers/workflow-bundle';
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { RunState } from '../../workflows/engine/state';
import { getState } from '../../workflows/engine/messages';

export interface HarnessOptions {
  activityOverrides?: WorkerDeps['activityOverrides'];
  /** Deadline of the API's workflow calls (the app's default otherwise). */
  workflowCallTimeoutMs?: number;
  /** Payload encryption for the client, the worker and /v1/codec/* (off when omitted, as in `npm start`). */
  payloadCodec?: PayloadCodec;
  /** CORS origin of /v1/codec/* (the app's default when omitted). */
  codecCorsOrigin?: string;
}

import type { InjectOptions, LightMyRequestResponse as InjectResponse } from 'fastify';

export interface Harness {
  db: Db;
  temporal: Client;
  taskQueue: string;
  mail: MailCapture;
  /**
   * The API as a client with an admin key: adds `Authorization` unless the request sets it (set
   * `authorization: ''` to send none) and signs closed-won events with the test secret.
   */
  app: { inject(options: InjectOptions & { url: string }): Promise<InjectResponse> };
  /** The Fastify instance itself: requests go out exactly as written (auth and signature tests). */
  rawApp: App;
  /** A fresh API key with `role`. */
  apiKey(role: Role): Promise<string>;
  /**
   * Starts the worker; `workflowBundlePath` runs other workflow code (e.g. with an added step). By
   * default the test run's bundle, or with a payload codec the one that encodes failure messages.
   */
  startWorker(overrides?: WorkerDeps['activityOverrides'], workflowBundlePath?: string): Promise<void>;
  stopWorker(): Promise<void>;
  waitForState(workflowId: string, predicate: (s: RunState) => boolean, timeoutMs?: number): Promise<RunState>;
  stop(): Promise<void>;
}

export const TEST_CRM_SECRET = 'test-crm-webhook-secret-0123456789';

export const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests with npm test (global setup starts the services)`);
  return value;
};

export { makeEvent } from '../../fixtures/events';

/**
 * The workflow bundle a worker with a payload codec runs (failure messages encoded for the codec, see
 * workers/workflow-bundle.ts): built by the first test file that needs it, beside the plain bundle,
 * and reused by the others (written under a temporary name, then renamed, so none reads half a file).
 */
export async function encodedFailuresBundle(): Promise<string> {
  const file = path.join(path.dirname(env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE')), 'workflow-bundle-encoded-failures.js');
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.partial`;
    await writeWorkflowBundle(partial, { encodesFailures: true });
    renameSync(partial, file);
  }
  return file;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const db = createDb(env('CLOSEDLOOP_TEST_DATABASE_URL'));
  const mail = await startMailCapture(0);
  const mailAdapter = createSmtpMailAdapter(mail.url, 'closedloop <orders@closedloop.test>');
  const temporalAddress = env('CLOSEDLOOP_TEST_TEMPORAL_ADDRESS');
  const connection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection, dataConverter: dataConverterFor(options.payloadCodec) });
  const taskQueue = `test-${randomUUID()}`;
  const rawApp = await buildApp({
    db,
    temporal,
    taskQueue,
    log,
    mailCapture: mail,
    crmWebhookSecret: TEST_CRM_SECRET,
    rateLimitPerMinute: 100_000,
    workflowCallTimeoutMs: options.workflowCallTimeoutMs,
    payloadCodec: options.payloadCodec,
    codecCorsOrigin: options.codecCorsOrigin,
  });
  const apiKey = async (role: Role) => (await createApiKey(db, `test-${role}-${randomUUID().slice(0, 6)}`, role)).key;
  const adminKey = await apiKey('admin');
  const app: Harness['app'] = {
    inject(options) {
      const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
      if (headers.authorization === undefined) headers.authorization = `Bearer ${adminKey}`;
      if (headers.authorization === '') delete headers.authorization;
      let payload = options.payload;
      if (options.url.startsWith('/v1/events/closed-won') && payload !== undefined) {
        const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
        const timestamp = Math.floor(Date.now() / 1000);
        headers['content-type'] ??= 'application/json';
        headers['x-closedloop-timestamp'] ??= String(timestamp);
        headers['x-closedloop-signature'] ??= sign(TEST_CRM_SECRET, headers['x-closedloop-timestamp'], raw);
        payload = raw;
      }
      return rawApp.inject({ ...options, headers, payload });
    },
  };

  let current: { worker: Worker; running: Promise<void>; close(): Promise<void> } | undefined;

  const startWorker = async (overrides = options.activityOverrides, bundlePath?: string) => {
    if (current) throw new Error('a worker is already running');
    const workflowBundlePath =
      bundlePath ?? (options.payloadCodec ? await encodedFailuresBundle() : env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE'));
    const { worker, connection: workerConnection } = await createWorker({
      temporalAddress,
      namespace: 'default',
      taskQueue,
      db,
      mail: mailAdapter,
      log,
      settings: {
        opsEmail: 'ops@closedloop.test',
        financeEmail: 'finance@closedloop.test',
        publicUrl: 'http://closedloop.test',
        seller: DEMO_SELLER,
      },
      workflowBundlePath,
      activityOverrides: overrides,
      payloadCodec: options.payloadCodec,
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
    rawApp,
    apiKey,
    startWorker,
    stopWorker,
    async waitForState(workflowId, predicate, timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      let last: RunState | undefined;
      let lastError: unknown;
      while (Date.now() < deadline) {
        try {
          last = await temporal.workflow.getHandle(workflowId).query(getState);
          lastError = undefined;
          if (predicate(last)) return last;
        } catch (error) {
          // not started yet, or no worker at this moment; said on timeout (a replay failing hides here)
          lastError = error;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(
        `timed out waiting for ${workflowId}${lastError ? `; queries fail since the state below: ${String(lastError)}` : ''}; last state: ${JSON.stringify(last, null, 2)}`,
      );
    },
    async stop() {
      await rawApp.close();
      await stopWorker();
      mailAdapter.close();
      await mail.stop();
      // The Temporal client retries some failed calls after a backoff timer; closing the channel under a
      // pending retry throws "Channel has been shut down" from that timer and fails the test file.
      await new Promise((r) => setTimeout(r, 2000));
      await connection.close();
      await db.$disconnect();
    },
  };
}

/**
 * The usual set-up of a test file in one line: starts a harness before the file's tests and stops it
 * after them. The returned object stands for that harness (calls reach it once `beforeAll` ran), so
 * tests keep writing `h.db`, `h.app.inject(...)`. Hooks registered after this call run after the start.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(options);
  });
  afterAll(async () => {
    await harness?.stop();
  });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (!harness)
        throw new Error(`the harness starts in beforeAll: use h.${String(key)} inside a test or a later hook`);
      const value: unknown = Reflect.get(harness, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(harness) : value;
    },
  });
}
