/**
 * What the fulfillment benchmark stands on: a scratch database with master data and stock for every
 * order, a Temporal dev server and a client of it, an SMTP capture, and the two workers. Everything it
 * starts is stopped by the clean-up, also on failure or Ctrl-C.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Client, Connection } from '@temporalio/client';
import { createSmtpMailAdapter } from '../../adapters/mail/smtp';
import type { MailAdapter } from '../../adapters/mail/mail-adapter';
import { createFixture, type Fixture } from '../../fixtures/master-data';
import { createDb, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { startMailCapture } from '../../runtime/mail-capture';
import type { BenchArgs } from '../args';
import { createScratchDatabase, NAMESPACE, postgresVersionOf, startTemporalAndMigrate, type Cleanup } from '../harness';
import { Stopwatch } from '../stopwatch';
import { DB_POOL, ORDER_VALUE_MINOR, RUN_TIMEOUT_MS, say, SETTLE_QUIET_MS } from './settings';
import { startWorkers } from './workers';

export interface Stack {
  runTag: string;
  databaseName: string;
  /** The scratch database, for processes of the benchmark's own (bench/documents/attempt.ts). */
  databaseUrl: string;
  postgresVersion: string;
  serverVersion: string | null | undefined;
  client: Client;
  db: Db;
  /** E-mails the SMTP capture received. */
  mails: () => unknown[];
  fixture: Fixture;
  stopwatch: Stopwatch;
  taskQueue: string;
  baselineQueue: string;
  /** Runs a client call that the benchmark's clean-up can abort. */
  abortable: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Fails as soon as either worker fails. */
  guard: <T>(work: Promise<T>) => Promise<T>;
  /** Waits until neither worker has done anything for a while. */
  settle: () => Promise<void>;
}

export async function setUp(args: BenchArgs, cleanup: Cleanup): Promise<Stack> {
  const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn');
  const runTag = randomUUID().slice(0, 8);
  const ordersNeeded = 1 + args.warmup + args.orders; // the shape sample, the warm-up, the measured runs

  // PostgreSQL: a fresh database, dropped at the end.
  const { admin, databaseName, databaseUrl } = await createScratchDatabase('closedloop_bench', cleanup, say);
  const postgresVersion = await postgresVersionOf(admin);
  say(`starting Temporal dev server and migrating ${databaseName}`);
  const server = await startTemporalAndMigrate(databaseUrl, cleanup, log);
  const { client, abortable, serverVersion } = await connectClient(server.address, cleanup);

  const db = createDb(databaseUrl.toString(), DB_POOL);
  cleanup.add('disconnect the database client', () => db.$disconnect());
  const stopwatch = new Stopwatch();
  const { mails, timedMail } = await captureMail(stopwatch, cleanup);

  // Twice what the orders need (the fixture's event: 240 valves, 1,200 gaskets, 12 drums of solvent):
  // no order is ever backordered or short of lots with the shelf life the customer requires. Each
  // order (USD 7,284) adds to the customer's open receivables once invoiced, so the credit limit must
  // cover every order too, or the later ones wait on credit hold for finance.
  const fixture: Fixture = await createFixture(db, {
    stock: {
      primary: { valve: 2 * 240 * ordersNeeded, gasket: 2 * 1200 * ordersNeeded, solvent: 2 * 12 * ordersNeeded + 6 },
    },
    creditLimitMinor: 2 * ORDER_VALUE_MINOR * ordersNeeded,
  });

  say('bundling workflows and starting the workers');
  const taskQueue = `bench-${runTag}`;
  const baselineQueue = `bench-baseline-${runTag}`;
  const workersFailed = await startWorkers(
    { temporalAddress: server.address, db, mail: timedMail, log, stopwatch, taskQueue, baselineQueue },
    cleanup,
  );
  const guard = <T>(work: Promise<T>) => Promise.race([work, ...workersFailed]);
  const settle = () => guard(stopwatch.settle(SETTLE_QUIET_MS, RUN_TIMEOUT_MS));
  return {
    runTag,
    databaseName,
    databaseUrl: databaseUrl.toString(),
    postgresVersion,
    serverVersion,
    client,
    db,
    mails,
    fixture,
    stopwatch,
    taskQueue,
    baselineQueue,
    abortable,
    guard,
    settle,
  };
}

async function connectClient(address: string, cleanup: Cleanup) {
  const connection = await Connection.connect({ address });
  cleanup.add('close the client connection', () => connection.close());
  // Runs still in flight when the benchmark fails have long-polls pending: end them before the close.
  const inFlight = new AbortController();
  setMaxListeners(0, inFlight.signal); // one listener per pending call, hundreds at a time
  cleanup.add('abort client calls still in flight', () => inFlight.abort());
  const abortable = <T>(fn: () => Promise<T>) => connection.withAbortSignal(inFlight.signal, fn);
  const client = new Client({ connection, namespace: NAMESPACE });
  const { serverVersion } = await connection.workflowService.getSystemInfo({});
  return { client, abortable, serverVersion };
}

/** An in-process SMTP capture, sent to through nodemailer with each send timed by the stopwatch. */
async function captureMail(stopwatch: Stopwatch, cleanup: Cleanup) {
  const mail = await startMailCapture(0);
  cleanup.add('stop the SMTP capture', () => mail.stop());
  const smtp = createSmtpMailAdapter(mail.url, 'closedloop bench <orders@closedloop.bench>');
  cleanup.add('close the SMTP transport', () => smtp.close());
  const timedMail: MailAdapter = {
    send: (m) => stopwatch.time('(SMTP send, inside the e-mail activities)', () => smtp.send(m)),
    close: () => smtp.close(),
  };
  return { mails: () => mail.messages(), timedMail };
}
