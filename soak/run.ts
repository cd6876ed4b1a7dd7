/** One soak run from start to report; used by `npm run soak` and by the small seeded run in `npm test`. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createApiKey } from '../api/auth/api-keys';
import { createDb, type Db } from '../lib/db';
import { createScratchDatabase, dropScratchDatabase } from '../lib/scratch-database';
import { seedDemoData } from '../prisma/seed-data';
import { startMailCapture } from '../runtime/mail-capture';
import { migrateDeploy } from '../runtime/migrate';
import { freePort } from '../runtime/ports';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { createApiClient } from './api-client';
import { ActionDriver, newActionLog } from './business';
import { buildCatalogue } from './catalogue';
import { ChaosMonkey } from './chaos';
import { defineCluster, type Cluster } from './cluster';
import { checkEverything, keepActing, placeOrders, settle, type Soak, sumUp } from './phases';
import { createRandom, type Random } from './random';
import { printReport, type SoakReport, writeReport } from './report';

export type { SoakReport } from './report';

export interface SoakOptions {
  seed: number;
  orders: number;
  chaos: boolean;
  workers: number;
  faultRate: number;
  out?: string;
  keepDatabase?: boolean;
  /** Where progress lines go. */
  log(line: string): void;
}

/** What run.ts started and must stop, whichever phase fails. */
interface Resources {
  db?: Db;
  cluster?: Cluster;
  connection?: Connection;
  monkey?: ChaosMonkey;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const say = options.log;
  const random = createRandom(options.seed);
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'closedloop-soak-'));
  mkdirSync(path.join(runDir, 'data'), { recursive: true });
  const { path: cliPath } = await resolveTemporalCli({ say }); // found, or made once as npm start does

  say(
    `soak: seed ${options.seed}, ${options.orders} orders, ${options.workers} workers, fault rate ${options.faultRate}${options.chaos ? ', chaos' : ''}; logs in ${runDir}`,
  );
  const databaseName = `closedloop_soak_${Date.now()}_${process.pid}`;
  const databaseUrl = await createScratchDatabase(databaseName);
  const mail = await startMailCapture(0);
  const resources: Resources = {};
  try {
    const soak = await startSystem({ options, started, random, runDir, cliPath, databaseUrl, mail }, resources);
    if (options.chaos) soak.monkey.start([4000, 12000]);
    const accepted = await placeOrders(soak);
    await keepActing(soak);
    await settle(soak);
    const checked = await checkEverything(soak);
    const report = await sumUp(soak, accepted, checked);
    printReport(report, say);
    if (options.out) writeReport(report, options.out, say);
    return report;
  } finally {
    await resources.monkey?.halt();
    await resources.connection?.close().catch(() => undefined);
    for (const part of resources.cluster?.all().reverse() ?? []) await part.stop().catch(() => undefined);
    await mail.stop();
    await resources.db?.$disconnect();
    if (!options.keepDatabase) await dropScratchDatabase(databaseName).catch(() => undefined);
  }
}

interface StartInput {
  options: SoakOptions;
  started: number;
  random: Random;
  runDir: string;
  cliPath: string;
  databaseUrl: string;
  mail: Soak['mail'] & { url: string };
}

/** Migrates and seeds the scratch database, builds the catalogue, starts Temporal, workers and the API. */
async function startSystem(input: StartInput, resources: Resources): Promise<Soak> {
  const { options, random, databaseUrl } = input;
  await migrateDeploy(databaseUrl);
  const db = (resources.db = createDb(databaseUrl, 10));
  await seedDemoData(db, { today: new Date().toISOString().slice(0, 10) });
  const catalogue = await buildCatalogue(db, random, options.orders);
  const keys = {
    admin: (await createApiKey(db, 'soak-admin', 'admin')).key,
    ops: (await createApiKey(db, 'soak-ops', 'ops')).key,
    finance: (await createApiKey(db, 'soak-finance', 'finance')).key,
  };
  const crmSecret = randomBytes(24).toString('hex');
  const clusterOptions = {
    runDir: input.runDir,
    cliPath: input.cliPath,
    databaseUrl,
    smtpUrl: input.mail.url,
    crmSecret,
    temporalPort: await freePort(),
    apiPort: await freePort(),
    taskQueue: `soak-${catalogue.tag}`,
    workers: options.workers,
    faultFailureRate: options.faultRate,
  };
  const cluster = (resources.cluster = defineCluster(clusterOptions));
  input.options.log('soak: starting Temporal, workers and API');
  await cluster.temporal.start();
  await Promise.all([...cluster.workers.map((w) => w.start()), cluster.api.start()]);
  const connection = (resources.connection = await Connection.connect({ address: cluster.temporalAddress }));
  const api = createApiClient(cluster.apiUrl, crmSecret);
  const log = newActionLog();
  return {
    ...input,
    say: options.log,
    db,
    catalogue,
    keys,
    cluster,
    clusterOptions,
    temporal: new Client({ connection }),
    api,
    log,
    driver: new ActionDriver(api, random, catalogue, keys, log),
    monkey: (resources.monkey = new ChaosMonkey(cluster, random, options.log)),
  };
}
