/**
 * Child process of `npm run bench:api` for the read phase: a worker with the real workflow code on the
 * API's task queue, so `GET /v1/orders/:id` gets its live state from a query answered by a worker, as
 * in production. Without one, Temporal holds each query until the API's 5 s deadline.
 *
 * It registers only the `recordTransition` local activity (the real one, on its own pool) and does
 * not poll for ordinary activities (`enableNonLocalActivities: false`): each order runs its first
 * workflow task, records its first step transition, schedules `recordOrder` and stays parked there,
 * so the read phase is not competing with thousands of orders doing their work. The distinct
 * workflows seen by `recordTransition` tell the benchmark when the backlog left by intake is done.
 */
import { DEMO_SELLER } from '../../lib/config';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createBuiltinAdapters } from '../../adapters/builtin';
import type { TransitionRecord } from '../../activities/contract';
import { createDb } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol';

const send = (message: FromWorker) => process.send?.(message);
const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

interface Parked {
  worker: Worker;
  running?: Promise<void>;
  close(): Promise<void>;
}

const workflowsSeen = new Set<string>();
let transitions = 0;

async function create(config: WorkerConfig): Promise<Parked> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const log = createLogger('silent');
  const db = createDb(config.databaseUrl);
  const { recordTransition } = createActivities({
    db,
    log,
    // Only recordTransition runs here, and it uses neither mail nor settings.
    mail: { send: async () => Promise.reject(new Error('no e-mail in the read benchmark')), close: () => undefined },
    adapters: createBuiltinAdapters(db),
    settings: {
      opsEmail: 'ops@closedloop.bench',
      financeEmail: 'finance@closedloop.bench',
      publicUrl: 'http://closedloop.bench',
      seller: DEMO_SELLER,
    },
  });
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowsPath: require.resolve('../../workflows'),
    activities: {
      recordTransition: async (t: TransitionRecord) => {
        await recordTransition(t);
        transitions += 1;
        workflowsSeen.add(t.workflowId);
      },
    },
    enableNonLocalActivities: false,
  }).catch(async (error: unknown) => {
    await connection.close();
    await db.$disconnect();
    throw error;
  });
  const parked: Parked = {
    worker,
    async close() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await parked.running?.catch(() => undefined);
      await connection.close();
      await db.$disconnect();
    },
  };
  return parked;
}

let parked: Parked | undefined;
const exit = async (code: number) => {
  await parked?.close().catch(() => undefined);
  process.exit(code);
};

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'start':
      create(message.config).then(
        (created) => {
          parked = created;
          send({ type: 'ready', maxCachedWorkflows: created.worker.options.maxCachedWorkflows });
        },
        (error: unknown) => {
          send({ type: 'failed', message: describe(error) });
          void exit(1);
        },
      );
      break;
    case 'run':
      if (!parked) return send({ type: 'failed', message: 'run before start' });
      parked.running = parked.worker.run().catch((error: unknown) => {
        send({ type: 'failed', message: `worker stopped: ${describe(error)}` });
      });
      send({ type: 'progress', workflowsSeen: workflowsSeen.size, transitions });
      break;
    case 'progress':
      send({ type: 'progress', workflowsSeen: workflowsSeen.size, transitions });
      break;
    case 'stop':
      void exit(0);
      break;
  }
});
process.on('disconnect', () => void exit(1));
