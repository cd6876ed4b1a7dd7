/**
 * Builds the Temporal worker: all workflows (workflows/index.ts) and all activities bound to their
 * dependencies. Used by the standalone worker (workers/main.ts), `npm start` and tests.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import { dataConverterFor } from '../lib/payload-encryption';
import type { Logger } from '../lib/logger';
import type { Db } from '../lib/db';
import type { MailAdapter } from '../adapters/mail/mail-adapter';
import { createActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import type { Adapters } from '../adapters/types';
import { createBuiltinAdapters } from '../adapters/builtin';
import { bundleEncodesFailures, prebuiltWorkflowBundle } from './workflow-bundle';

export interface WorkerDeps {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  db: Db;
  mail: MailAdapter;
  log: Logger;
  settings: ActivityDeps['settings'];
  /** Outside systems; the built-in PostgreSQL adapters when omitted. */
  adapters?: Adapters;
  /**
   * Pre-built workflow bundle (tests build it once); otherwise the build's own (dist/workflow-bundle.js,
   * or dist/workflow-bundle-encoded-failures.js with a payload codec) when running compiled, else
   * bundled from workflows/ at start. With a payload codec it must be built with `encodesFailures`.
   */
  workflowBundlePath?: string;
  /**
   * Encrypts and decrypts payloads (PAYLOAD_KEYS); none: payloads in the clear. Codecs run in the worker
   * outside the workflow sandbox; failure messages reach the codec through a failure converter that
   * is compiled into the workflow bundle, so the bundle differs (see workers/workflow-bundle.ts).
   */
  payloadCodec?: PayloadCodec;
  /** Overrides for tests (e.g. an activity that fails on purpose). */
  activityOverrides?: Record<string, (...args: never[]) => Promise<unknown>>;
}

let runtimeInstalled = false;

/** Routes the SDK's own logs through pino (once per process: the Runtime is global). */
function installRuntimeLogger(log: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (log.level === 'silent' ? 'ERROR' : log.level.toUpperCase()) as LogLevel;
  const sdkLog = log.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'].includes(level) ? level : 'INFO', (entry) => {
      const method =
        entry.level === 'TRACE'
          ? 'trace'
          : entry.level === 'DEBUG'
            ? 'debug'
            : entry.level === 'INFO'
              ? 'info'
              : entry.level === 'WARN'
                ? 'warn'
                : 'error';
      sdkLog[method](entry.meta ?? {}, entry.message);
    }),
    // Core's own warnings ("workflow task duration exceeded", nondeterminism) go through pino too,
    // instead of raw to stdout.
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
}

function workflowCode(deps: WorkerDeps): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const encodesFailures = deps.payloadCodec !== undefined;
  const codePath = deps.workflowBundlePath ?? prebuiltWorkflowBundle({ encodesFailures });
  if (codePath) {
    // A mismatch would not show until a failure: with encryption on, its message in the clear in the
    // history; off, every failure shown as "Encoded failure". Refuse to start instead.
    if (bundleEncodesFailures(codePath) !== encodesFailures) {
      throw new Error(
        encodesFailures
          ? `workflow bundle ${codePath} would write failure messages in the clear although payload encryption is on: build it with encodesFailures (workers/workflow-bundle.ts)`
          : `workflow bundle ${codePath} encodes failure messages for a payload codec, but payload encryption is off: use the bundle built without encodesFailures`,
      );
    }
    deps.log.info({ workflowBundle: codePath }, 'worker loads prebuilt workflow code');
    return { workflowBundle: { codePath } };
  }
  deps.log.info('worker bundles workflow code from workflows/ at start');
  return { workflowsPath: require.resolve('../workflows') };
}

export async function createWorker(deps: WorkerDeps): Promise<{ worker: Worker; connection: NativeConnection }> {
  installRuntimeLogger(deps.log);
  const code = workflowCode(deps);
  const connection = await NativeConnection.connect({ address: deps.temporalAddress });
  const activities = {
    ...createActivities({
      db: deps.db,
      mail: deps.mail,
      log: deps.log,
      settings: deps.settings,
      adapters: deps.adapters ?? createBuiltinAdapters(deps.db),
    }),
    ...deps.activityOverrides,
  };
  const worker = await Worker.create({
    connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities,
    dataConverter: dataConverterFor(deps.payloadCodec),
    ...code,
  });
  return { worker, connection };
}
