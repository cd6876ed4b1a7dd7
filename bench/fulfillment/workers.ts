/**
 * The two workers of the fulfillment benchmark, in this process: the real one (every activity as the
 * product registers it, built-in adapters) and the baseline's (no-op activities), each on its own task
 * queue, each activity timed by the stopwatch.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createBuiltinAdapters } from '../../adapters/builtin';
import type { MailAdapter } from '../../adapters/mail/mail-adapter';
import { DEMO_SELLER } from '../../lib/config';
import type { Db } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { createWorker } from '../../workers/worker';
import { createBaselineActivities } from '../baseline-activities';
import type { Cleanup } from '../harness';
import { NAMESPACE } from '../harness';
import type { Stopwatch } from '../stopwatch';

interface RunningWorker {
  /** Rejects if the worker stops before we stop it; never resolves. */
  failed: Promise<never>;
  stop(): Promise<void>;
}

function runWorker(worker: Worker, connection: NativeConnection, name: string): RunningWorker {
  let isStopping = false;
  const running = worker.run();
  const failed = running.then(
    () => {
      if (!isStopping) throw new Error(`the ${name} worker stopped on its own`);
      return new Promise<never>(() => undefined);
    },
    (error: unknown) => {
      throw new Error(`the ${name} worker failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  failed.catch(() => undefined); // observed through Promise.race in the caller's guard
  return {
    failed,
    async stop() {
      isStopping = true;
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

export interface WorkerSetup {
  temporalAddress: string;
  db: Db;
  mail: MailAdapter;
  log: Logger;
  stopwatch: Stopwatch;
  taskQueue: string;
  baselineQueue: string;
}

/** Starts both workers (stopped at clean-up); resolves with a promise that rejects when either fails. */
export async function startWorkers(w: WorkerSetup, cleanup: Cleanup): Promise<Promise<never>[]> {
  const settings = {
    opsEmail: 'ops@closedloop.bench',
    financeEmail: 'finance@closedloop.bench',
    publicUrl: 'http://closedloop.bench',
    seller: DEMO_SELLER,
  };
  const { db, mail, log } = w;
  const realActivities = createActivities({ db, mail, log, settings, adapters: createBuiltinAdapters(db) });
  const real = await createWorker({
    temporalAddress: w.temporalAddress,
    namespace: NAMESPACE,
    taskQueue: w.taskQueue,
    db,
    mail,
    log,
    settings,
    activityOverrides: w.stopwatch.wrapAll(realActivities),
  });
  const realWorker = runWorker(real.worker, real.connection, 'closedloop');
  cleanup.add('stop the closedloop worker', () => realWorker.stop());

  const baselineConnection = await NativeConnection.connect({ address: w.temporalAddress });
  const baseline = await Worker.create({
    connection: baselineConnection,
    namespace: NAMESPACE,
    taskQueue: w.baselineQueue,
    workflowsPath: require.resolve('../baseline-workflows'),
    activities: w.stopwatch.wrapAll(createBaselineActivities()),
  }).catch(async (error: unknown) => {
    await baselineConnection.close();
    throw error;
  });
  const baselineWorker = runWorker(baseline, baselineConnection, 'baseline');
  cleanup.add('stop the baseline worker', () => baselineWorker.stop());
  return [realWorker.failed, baselineWorker.failed];
}
