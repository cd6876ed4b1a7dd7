/**
 * The roles a process runs once the services are up: the worker (workflows and activities) and the
 * API (with the inbox relay, the CRM webhook relay and, on a fresh embedded database, the demo orders).
 */
import { sellerIdentity, type Config } from '../lib/config';
import type { Adapters } from '../adapters/types';
import type { Logger } from '../lib/logger';
import { createSmtpMailAdapter } from '../adapters/mail/smtp';
import { buildApp } from '../api/app';
import { startInboxRelay } from '../api/intake/relay';
import type { StartDispatcher } from '../api/intake/dispatcher';
import { startCrmWebhookRelay } from '../api/crm-webhook-relay';
import { createWorker } from '../workers/worker';
import { firstAdminKey, localCrmWebhookSecret } from './local-secrets';
import { startDemoOrders, type DemoOrdersRun } from './demo-orders';
import type { MailCapture } from './mail-capture';
import type { StartUp } from './start-up';
import type { DatabaseService, TemporalService } from './start-services';

export interface RoleServices {
  temporal: TemporalService;
  database: DatabaseService;
  smtpUrl: string;
  mailCapture?: MailCapture;
  adapters: Adapters;
  publicUrl: string;
}

export async function startWorkerRole({ config, log, started, step }: StartUp, services: RoleServices): Promise<void> {
  const mail = createSmtpMailAdapter(services.smtpUrl, config.MAIL_FROM);
  started('mail transport', () => mail.close());
  const { worker, connection: workerConnection } = await step(
    'bundling the workflow code and starting the worker',
    () =>
      createWorker({
        temporalAddress: services.temporal.temporalAddress,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        db: services.database.db,
        mail,
        log,
        settings: {
          opsEmail: config.OPS_EMAIL,
          financeEmail: config.FINANCE_EMAIL,
          publicUrl: services.publicUrl,
          defaultTaxRateBp: config.DEFAULT_TAX_RATE_BP,
          seller: sellerIdentity(config),
        },
        adapters: services.adapters,
        payloadCodec: services.temporal.payloadCodec,
      }),
  );
  started('worker connection', () => workerConnection.close());
  const running = worker.run();
  started('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  running.catch((error) => log.error({ err: error }, 'worker stopped with an error'));
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
}

export interface ApiRole {
  apiUrl: string;
  firstKey?: string;
  crmSecretFile?: string;
  demoOrders?: DemoOrdersRun;
}

export async function startApiRole(startUp: StartUp, services: RoleServices, runWorker: boolean): Promise<ApiRole> {
  const { config, log, started } = startUp;
  const { db } = services.database;
  const { temporal, temporalUiUrl } = services.temporal;
  const local = config.CRM_WEBHOOK_SECRET ? undefined : localCrmWebhookSecret(config.DATA_DIR);
  const crmWebhookSecret = config.CRM_WEBHOOK_SECRET ?? local!.secret;
  const firstKey = config.DATABASE_URL ? undefined : await firstAdminKey(db);
  const app = await buildApp({
    db,
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    log,
    mailCapture: services.mailCapture,
    wms: services.adapters.wms,
    crmWebhookSecret,
    crmWebhookPreviousSecret: config.CRM_WEBHOOK_SECRET_PREVIOUS,
    bodyLimit: config.BODY_LIMIT_BYTES,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
    seller: sellerIdentity(config),
    workflowCallTimeoutMs: config.WORKFLOW_CALL_TIMEOUT_MS,
    temporalUiUrl,
    temporalNamespace: config.TEMPORAL_NAMESPACE,
    payloadCodec: services.temporal.payloadCodec,
    codecCorsOrigin: config.CODEC_CORS_ORIGIN ?? temporalUiUrl,
    startDispatcher: {
      concurrency: config.INTAKE_START_CONCURRENCY,
      maxQueued: config.INTAKE_MAX_QUEUED,
      startTimeoutMs: config.INTAKE_START_TIMEOUT_MS,
    },
  });
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  started('api', () => app.close());
  startRelays(startUp, services, app.startDispatcher, crmWebhookSecret);
  // Same condition as the seed: a fresh embedded database, never one named by DATABASE_URL. The
  // orders need this process's worker too; they run behind start-up, the API answering meanwhile.
  let demoOrders: DemoOrdersRun | undefined;
  if (services.database.isFreshEmbeddedDb && runWorker && config.DEMO_ORDERS === 'on') {
    demoOrders = startDemoOrders({
      apiUrl: `http://${loopbackHost(config.API_HOST)}:${config.API_PORT}`,
      crmWebhookSecret,
      db,
      log,
    });
    started('demo orders', demoOrders.stop);
  }
  return { apiUrl: services.publicUrl, firstKey, crmSecretFile: local?.file, demoOrders };
}

/** The inbox relay (events accepted but not started) and, with CRM_WEBHOOK_URL, the milestone relay. */
function startRelays(
  { config, log, started }: StartUp,
  services: RoleServices,
  dispatcher: StartDispatcher,
  crmWebhookSecret: string,
): void {
  const { db } = services.database;
  const relay = startInboxRelay(
    { db, temporal: services.temporal.temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, log },
    {
      dispatcher,
      intervalMs: config.INBOX_RELAY_INTERVAL_MS,
      startTimeoutMs: config.INTAKE_START_TIMEOUT_MS,
    },
  );
  started('inbox relay', relay.stop);
  if (config.CRM_WEBHOOK_URL) {
    const webhooks = startCrmWebhookRelay({
      db,
      url: config.CRM_WEBHOOK_URL,
      secret: outboundSecret(config, crmWebhookSecret, log),
      log,
    });
    started('CRM webhook relay', webhooks.stop);
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
