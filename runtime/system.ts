/**
 * Starts closedloop's parts in order and stops them in reverse: Temporal (cluster or dev server),
 * PostgreSQL (DATABASE_URL or embedded PGlite) with migrations, mail (SMTP_URL or capture server),
 * then the worker and/or the API. `npm start` runs all of it in one process; `npm run start:api` and
 * `npm run start:worker` run one role each against external services.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { adapterSettings, sellerIdentity, type Config } from '../lib/config';
import { createAdapters } from '../adapters/select';
import { createDb, type Db } from '../lib/db';
import { redactUrl, type Logger } from '../lib/logger';
import { withProgress } from '../lib/progress';
import { createSmtpMailAdapter } from '../adapters/mail/smtp';
import { buildApp } from '../api/app';
import { startInboxRelay } from '../api/intake/relay';
import { startCrmWebhookRelay } from '../api/crm-webhook-relay';
import { createWorker } from '../workers/worker';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startMailCapture, type MailCapture } from './mail-capture';
import { migrateDeploy } from './migrate';
import { seedDemoData } from '../prisma/seed-data';
import { ensurePrivateDataDir, firstAdminKey, localCrmWebhookSecret } from './local-secrets';
import { startDemoOrders, type DemoOrdersRun } from './demo-orders';
import { assertPortFree } from './ports';
import { ensureSearchAttributes, startTemporalDevServer } from './temporal-server';
import { dataConverterFor, payloadCodecFor } from '../lib/payload-encryption';

export interface SystemOptions {
  config: Config;
  log: Logger;
  runApi: boolean;
  runWorker: boolean;
}

export interface RunningSystem {
  apiUrl?: string;
  docsUrl?: string;
  /** The ops and finance console (sign in with an API key). */
  consoleUrl?: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  databaseUrl: string;
  mailCaptureUrl?: string;
  /** Printed once: the admin key made on first start of the embedded default. */
  firstAdminKey?: string;
  /** Where the embedded default keeps its generated CRM webhook secret. */
  crmSecretFile?: string;
  /** The demo orders a fresh embedded database gets, running in the background (runtime/demo-orders.ts). */
  demoOrders?: DemoOrdersRun;
  db: Db;
  stop(): Promise<void>;
}

/** A first start's slow steps (PGlite, migrations, seed) say what they do, then again every few seconds. */
const STEP_PROGRESS_EVERY_MS = 5_000;

export async function startSystem({ config, log, runApi, runWorker }: SystemOptions): Promise<RunningSystem> {
  const step = <T>(what: string, work: () => Promise<T>, expect?: string): Promise<T> => {
    log.info(`${what}${expect ? `; ${expect}` : ''}...`);
    return withProgress(work, {
      say: (line) => log.info(line),
      everyMs: STEP_PROGRESS_EVERY_MS,
      line: (elapsed) => `${what}: ${elapsed}`,
    });
  };
  const stack: { name: string; stop: () => Promise<unknown> | unknown }[] = [];
  const stopAll = async () => {
    for (const part of stack.reverse()) {
      try {
        await part.stop();
      } catch (error) {
        log.warn(
          { part: part.name, err: error instanceof Error ? error.message : String(error) },
          'error while stopping',
        );
      }
    }
  };

  try {
    // Fail fast, before starting anything, when a port we are about to take is busy.
    if (runApi) await assertPortFree(config.API_PORT, 'API', 'API_PORT', config.API_HOST);
    if (!config.TEMPORAL_ADDRESS) {
      await assertPortFree(config.TEMPORAL_DEV_PORT, 'Temporal dev server', 'TEMPORAL_DEV_PORT');
      await assertPortFree(config.TEMPORAL_UI_PORT, 'Temporal Web UI', 'TEMPORAL_UI_PORT');
    }
    if (!config.DATABASE_URL) await assertPortFree(config.EMBEDDED_PG_PORT, 'embedded PostgreSQL', 'EMBEDDED_PG_PORT');
    if (!config.SMTP_URL)
      await assertPortFree(config.MAIL_CAPTURE_PORT, 'mail capture SMTP server', 'MAIL_CAPTURE_PORT');
    ensurePrivateDataDir(config.DATA_DIR);

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      // No ticker here: making the CLI on a first run reports its own progress.
      log.info('starting the Temporal dev server...');
      const server = await startTemporalDevServer({
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFile: path.join(config.DATA_DIR, 'temporal.sqlite'),
        namespace: config.TEMPORAL_NAMESPACE,
        cliPath: config.TEMPORAL_CLI_PATH,
        log,
      });
      stack.push({ name: 'temporal dev server', stop: server.stop });
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
    }
    const connection = await Connection.connect({ address: temporalAddress });
    stack.push({ name: 'temporal client', stop: () => connection.close() });
    try {
      await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE, log);
    } catch (error) {
      log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'could not register search attributes; register them on the cluster (see README)',
      );
    }
    // Off unless PAYLOAD_KEYS is set (the embedded default); docker-compose.yml sets it.
    const payloadCodec = payloadCodecFor(config.PAYLOAD_KEYS);
    if (payloadCodec) log.info({ keyIds: payloadCodec.keyIds }, 'Temporal payloads are encrypted (PAYLOAD_KEYS)');
    const temporal = new Client({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: dataConverterFor(payloadCodec),
    });

    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      // PGlite compiles its WASM and, on a first start, creates the cluster while holding the event loop,
      // so no ticker line can appear meanwhile: the first line says how long to expect instead.
      const pg = await step(
        'starting embedded PostgreSQL (PGlite)',
        () => startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_PG_PORT, log),
        'a first start creates the database: up to a minute',
      );
      stack.push({ name: 'embedded PostgreSQL', stop: pg.stop });
      databaseUrl = pg.url;
    }
    await step('applying database migrations', () => migrateDeploy(databaseUrl));
    log.info({ database: redactUrl(databaseUrl) }, 'database migrated');
    const db = createDb(databaseUrl);
    stack.push({ name: 'database client', stop: () => db.$disconnect() });
    const isFreshEmbeddedDb = !config.DATABASE_URL && (await db.customer.count()) === 0;
    if (isFreshEmbeddedDb) {
      // The embedded default starts with the demo data set, so examples/closed-won.json runs as is.
      await step('loading the demo data set into the new embedded database (first start only)', () =>
        seedDemoData(db, { today: new Date().toISOString().slice(0, 10) }),
      );
      log.info('embedded database seeded with the demo data set (npm run seed)');
    }

    let smtpUrl = config.SMTP_URL;
    let mailCapture: MailCapture | undefined;
    if (!smtpUrl) {
      mailCapture = await startMailCapture(config.MAIL_CAPTURE_PORT);
      stack.push({ name: 'mail capture', stop: mailCapture.stop });
      smtpUrl = mailCapture.url;
    }

    const publicUrl = config.PUBLIC_URL ?? `http://${config.API_HOST}:${config.API_PORT}`;
    // One set for both roles: the API's receipts go to the same WMS as the worker's reservations.
    const adapters = createAdapters(db, adapterSettings(config));
    if (runWorker) {
      const mail = createSmtpMailAdapter(smtpUrl, config.MAIL_FROM);
      stack.push({ name: 'mail transport', stop: () => mail.close() });
      const { worker, connection: workerConnection } = await step(
        'bundling the workflow code and starting the worker',
        () =>
          createWorker({
            temporalAddress,
            namespace: config.TEMPORAL_NAMESPACE,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            db,
            mail,
            log,
            settings: {
              opsEmail: config.OPS_EMAIL,
              financeEmail: config.FINANCE_EMAIL,
              publicUrl,
              defaultTaxRateBp: config.DEFAULT_TAX_RATE_BP,
              seller: sellerIdentity(config),
            },
            adapters,
            payloadCodec,
          }),
      );
      stack.push({ name: 'worker connection', stop: () => workerConnection.close() });
      const running = worker.run();
      stack.push({
        name: 'worker',
        stop: async () => {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await running;
        },
      });
      running.catch((error) => log.error({ err: error }, 'worker stopped with an error'));
      log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
    }

    let apiUrl: string | undefined;
    let firstKey: string | undefined;
    let crmSecretFile: string | undefined;
    let demoOrders: DemoOrdersRun | undefined;
    if (runApi) {
      let crmWebhookSecret = config.CRM_WEBHOOK_SECRET;
      if (!crmWebhookSecret) {
        const local = localCrmWebhookSecret(config.DATA_DIR);
        crmWebhookSecret = local.secret;
        crmSecretFile = local.file;
      }
      if (!config.DATABASE_URL) firstKey = await firstAdminKey(db);
      const app = await buildApp({
        db,
        temporal,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        log,
        mailCapture,
        wms: adapters.wms,
        crmWebhookSecret,
        crmWebhookPreviousSecret: config.CRM_WEBHOOK_SECRET_PREVIOUS,
        bodyLimit: config.BODY_LIMIT_BYTES,
        rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
        authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
        seller: sellerIdentity(config),
        workflowCallTimeoutMs: config.WORKFLOW_CALL_TIMEOUT_MS,
        temporalUiUrl,
        temporalNamespace: config.TEMPORAL_NAMESPACE,
        payloadCodec,
        codecCorsOrigin: config.CODEC_CORS_ORIGIN ?? temporalUiUrl,
        startDispatcher: {
          concurrency: config.INTAKE_START_CONCURRENCY,
          maxQueued: config.INTAKE_MAX_QUEUED,
          startTimeoutMs: config.INTAKE_START_TIMEOUT_MS,
        },
      });
      await app.listen({ host: config.API_HOST, port: config.API_PORT });
      stack.push({ name: 'api', stop: () => app.close() });
      const relay = startInboxRelay(
        { db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, log },
        {
          dispatcher: app.startDispatcher,
          intervalMs: config.INBOX_RELAY_INTERVAL_MS,
          startTimeoutMs: config.INTAKE_START_TIMEOUT_MS,
        },
      );
      stack.push({ name: 'inbox relay', stop: relay.stop });
      if (config.CRM_WEBHOOK_URL) {
        const webhooks = startCrmWebhookRelay({
          db,
          url: config.CRM_WEBHOOK_URL,
          secret: outboundSecret(config, crmWebhookSecret, log),
          log,
        });
        stack.push({ name: 'CRM webhook relay', stop: webhooks.stop });
      }
      apiUrl = publicUrl;
      // Same condition as the seed: a fresh embedded database, never one named by DATABASE_URL. The
      // orders need this process's worker too; they run behind start-up, the API answering meanwhile.
      if (isFreshEmbeddedDb && runWorker && config.DEMO_ORDERS === 'on') {
        const run = startDemoOrders({
          apiUrl: `http://${loopbackHost(config.API_HOST)}:${config.API_PORT}`,
          crmWebhookSecret,
          db,
          log,
        });
        stack.push({ name: 'demo orders', stop: run.stop });
        demoOrders = run;
      }
    }

    return {
      apiUrl,
      docsUrl: apiUrl ? `${apiUrl}/docs` : undefined,
      consoleUrl: apiUrl ? `${apiUrl}/console/` : undefined,
      temporalAddress,
      temporalUiUrl,
      databaseUrl,
      mailCaptureUrl: mailCapture?.url,
      firstAdminKey: firstKey,
      crmSecretFile,
      demoOrders,
      db,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** An address this process can reach its own API at: a wildcard listen address is not one to connect to. */
function loopbackHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '::1') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The secret that signs outbound milestones. Without CRM_OUTBOUND_SECRET the inbound secret keeps
 * signing them, as before that variable existed: an upgrade must not silently break the CRM's check of
 * our milestones, but the operator is told, since whoever can verify them could then also forge orders.
 */
function outboundSecret(config: Config, inboundSecret: string, log: Logger): string {
  if (config.CRM_OUTBOUND_SECRET) return config.CRM_OUTBOUND_SECRET;
  log.warn(
    'CRM_OUTBOUND_SECRET is not set: milestones to CRM_WEBHOOK_URL are signed with the inbound CRM_WEBHOOK_SECRET, so the receiver could also sign closed-won events. Set CRM_OUTBOUND_SECRET to a separate secret and give it to the CRM.',
  );
  return inboundSecret;
}
