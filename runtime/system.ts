/**
 * Starts closedloop's parts in order and stops them in reverse: Temporal (cluster or dev server),
 * PostgreSQL (DATABASE_URL or embedded PGlite) with migrations, mail (SMTP_URL or capture server),
 * then the worker and/or the API. `npm start` runs all of it in one process; `npm run start:api` and
 * `npm run start:worker` run one role each against external services.
 */
import { adapterSettings, type Config } from '../lib/config';
import { createAdapters } from '../adapters/select';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { ensurePrivateDataDir } from './local-secrets';
import type { DemoOrdersRun } from './demo-orders';
import { createStartUp } from './start-up';
import { assertPortsFree, startDatabase, startMail, startTemporal } from './start-services';
import { startApiRole, startWorkerRole, type ApiRole } from './start-roles';

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

export async function startSystem({ config, log, runApi, runWorker }: SystemOptions): Promise<RunningSystem> {
  const startUp = createStartUp(config, log);
  try {
    await assertPortsFree(config, runApi);
    ensurePrivateDataDir(config.DATA_DIR);
    const temporal = await startTemporal(startUp);
    const database = await startDatabase(startUp);
    const { smtpUrl, mailCapture } = await startMail(startUp);
    const services = {
      temporal,
      database,
      smtpUrl,
      mailCapture,
      // One set for both roles: the API's receipts go to the same WMS as the worker's reservations.
      adapters: createAdapters(database.db, adapterSettings(config)),
      publicUrl: config.PUBLIC_URL ?? `http://${config.API_HOST}:${config.API_PORT}`,
    };
    if (runWorker) await startWorkerRole(startUp, services);
    const api: Partial<ApiRole> = runApi ? await startApiRole(startUp, services, runWorker) : {};
    return {
      apiUrl: api.apiUrl,
      docsUrl: api.apiUrl ? `${api.apiUrl}/docs` : undefined,
      consoleUrl: api.apiUrl ? `${api.apiUrl}/console/` : undefined,
      temporalAddress: temporal.temporalAddress,
      temporalUiUrl: temporal.temporalUiUrl,
      databaseUrl: database.databaseUrl,
      mailCaptureUrl: mailCapture?.url,
      firstAdminKey: api.firstKey,
      crmSecretFile: api.crmSecretFile,
      demoOrders: api.demoOrders,
      db: database.db,
      stop: startUp.stopAll,
    };
  } catch (error) {
    await startUp.stopAll();
    throw error;
  }
}
