/**
 * The services closedloop needs, each the configured one or its embedded default: Temporal (cluster or
 * dev server), PostgreSQL (DATABASE_URL or embedded PGlite) with migrations, mail (SMTP_URL or the
 * capture server).
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../lib/config';
import { createDb, type Db } from '../lib/db';
import { redactUrl } from '../lib/logger';
import { dataConverterFor, payloadCodecFor, type PayloadEncryptionCodec } from '../lib/payload-encryption';
import { seedDemoData } from '../prisma/seed-data';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startMailCapture, type MailCapture } from './mail-capture';
import { migrateDeploy } from './migrate';
import { assertPortFree } from './ports';
import type { StartUp } from './start-up';
import { ensureSearchAttributes, startTemporalDevServer } from './temporal-server';

/** Fail fast, before starting anything, when a port we are about to take is busy. */
export async function assertPortsFree(config: Config, runApi: boolean): Promise<void> {
  if (runApi) await assertPortFree(config.API_PORT, 'API', 'API_PORT', config.API_HOST);
  if (!config.TEMPORAL_ADDRESS) {
    await assertPortFree(config.TEMPORAL_DEV_PORT, 'Temporal dev server', 'TEMPORAL_DEV_PORT');
    await assertPortFree(config.TEMPORAL_UI_PORT, 'Temporal Web UI', 'TEMPORAL_UI_PORT');
  }
  if (!config.DATABASE_URL) await assertPortFree(config.EMBEDDED_PG_PORT, 'embedded PostgreSQL', 'EMBEDDED_PG_PORT');
  if (!config.SMTP_URL) await assertPortFree(config.MAIL_CAPTURE_PORT, 'mail capture SMTP server', 'MAIL_CAPTURE_PORT');
}

export interface TemporalService {
  temporalAddress: string;
  temporalUiUrl?: string;
  temporal: Client;
  payloadCodec?: PayloadEncryptionCodec;
}

/** TEMPORAL_ADDRESS, or the dev server started here; a client with payload encryption when PAYLOAD_KEYS is set. */
export async function startTemporal({ config, log, started }: StartUp): Promise<TemporalService> {
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
    started('temporal dev server', server.stop);
    temporalAddress = server.address;
    temporalUiUrl = server.uiUrl;
  }
  const connection = await Connection.connect({ address: temporalAddress });
  started('temporal client', () => connection.close());
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
  return { temporalAddress, temporalUiUrl, temporal, payloadCodec };
}

export interface DatabaseService {
  databaseUrl: string;
  db: Db;
  /** The embedded database was created by this start: it gets the demo data (and demo orders). */
  isFreshEmbeddedDb: boolean;
}

/** DATABASE_URL, or embedded PGlite; migrated, and seeded with the demo data when freshly created. */
export async function startDatabase({ config, log, started, step }: StartUp): Promise<DatabaseService> {
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    // PGlite compiles its WASM and, on a first start, creates the cluster while holding the event loop,
    // so no ticker line can appear meanwhile: the first line says how long to expect instead.
    const pg = await step(
      'starting embedded PostgreSQL (PGlite)',
      () => startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_PG_PORT, log),
      'a first start creates the database: up to a minute',
    );
    started('embedded PostgreSQL', pg.stop);
    databaseUrl = pg.url;
  }
  const url = databaseUrl;
  await step('applying database migrations', () => migrateDeploy(url));
  log.info({ database: redactUrl(url) }, 'database migrated');
  const db = createDb(url);
  started('database client', () => db.$disconnect());
  const isFreshEmbeddedDb = !config.DATABASE_URL && (await db.customer.count()) === 0;
  if (isFreshEmbeddedDb) {
    // The embedded default starts with the demo data set, so examples/closed-won.json runs as is.
    await step('loading the demo data set into the new embedded database (first start only)', () =>
      seedDemoData(db, { today: new Date().toISOString().slice(0, 10) }),
    );
    log.info('embedded database seeded with the demo data set (npm run seed)');
  }
  return { databaseUrl: url, db, isFreshEmbeddedDb };
}

/** SMTP_URL, or the capture SMTP server started here. */
export async function startMail({ config, started }: StartUp): Promise<{ smtpUrl: string; mailCapture?: MailCapture }> {
  if (config.SMTP_URL) return { smtpUrl: config.SMTP_URL };
  const mailCapture = await startMailCapture(config.MAIL_CAPTURE_PORT);
  started('mail capture', mailCapture.stop);
  return { smtpUrl: mailCapture.url, mailCapture };
}
