/** One soak run from start to report; used by `npm run soak` and by the small seeded run in `npm test`. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
import { ActionDriver, generateOrder, newActionLog, type ActionLog } from './business';
import { buildCatalogue } from './catalogue';
import { defineCluster, unexpectedExits, type Cluster, type Part, type PartKind } from './cluster';
import { checkInvariants, type InvariantResult } from './invariants';
import { createRandom, type Random } from './random';
import { ORDER_ENDS, readSnapshot } from './snapshot';

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

export interface SoakReport {
  seed: number;
  orders: number;
  chaos: boolean;
  workers: number;
  faultFailureRate: number;
  actions: { total: number; doubled: number; byKind: ActionLog['counts'] };
  /** Activity attempts beyond the first: injected adapter faults, attempts cut by a kill, timeouts. */
  activityRetries: number;
  returns: number;
  creditMemos: number;
  kills: Record<PartKind, number>;
  serverErrors: ActionLog['serverErrors'];
  outcome: Record<string, number>;
  durationSeconds: number;
  invariants: InvariantResult[];
  reproduce: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kills one part at a random moment, restarts it after a random delay; every kind at least once. */
class ChaosMonkey {
  readonly kills: Record<PartKind, number> = { worker: 0, api: 0, temporal: 0 };
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly cluster: Cluster,
    private readonly random: Random,
    private readonly log: (l: string) => void,
  ) {}

  start(intervalMs: [number, number]): void {
    this.loop = (async () => {
      const owed: PartKind[] = this.random.sample(['worker', 'api', 'temporal'] as PartKind[], 3);
      while (!this.stopped) {
        await sleep(this.random.int(...intervalMs));
        if (this.stopped) break;
        const kind = owed.shift() ?? this.random.pick(['worker', 'worker', 'api', 'temporal'] as PartKind[]);
        const part: Part =
          kind === 'worker'
            ? this.random.pick(this.cluster.workers)
            : kind === 'api'
              ? this.cluster.api
              : this.cluster.temporal;
        part.kill();
        this.kills[kind] += 1;
        const downMs = this.random.int(500, 5000);
        this.log(`  chaos: kill -9 ${part.name}, back in ${(downMs / 1000).toFixed(1)} s`);
        await sleep(downMs);
        await part
          .start()
          .catch((error: Error) => this.log(`  chaos: ${part.name} did not come back: ${error.message}`));
      }
    })();
  }

  /** Stops killing and makes sure every part runs again. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    for (const part of this.cluster.all()) if (!part.isRunning()) await part.start();
  }

  owedKinds(): PartKind[] {
    return (['worker', 'api', 'temporal'] as PartKind[]).filter((k) => this.kills[k] === 0);
  }
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
  let db: Db | undefined;
  const mail = await startMailCapture(0);
  let cluster: Cluster | undefined;
  let connection: Connection | undefined;
  try {
    await migrateDeploy(databaseUrl);
    db = createDb(databaseUrl, 10);
    await seedDemoData(db, { today: new Date().toISOString().slice(0, 10) });
    const catalogue = await buildCatalogue(db, random);
    const keys = {
      admin: (await createApiKey(db, 'soak-admin', 'admin')).key,
      ops: (await createApiKey(db, 'soak-ops', 'ops')).key,
      finance: (await createApiKey(db, 'soak-finance', 'finance')).key,
    };
    const crmSecret = randomBytes(24).toString('hex');
    cluster = defineCluster({
      runDir,
      cliPath,
      databaseUrl,
      smtpUrl: mail.url,
      crmSecret,
      temporalPort: await freePort(),
      apiPort: await freePort(),
      taskQueue: `soak-${catalogue.tag}`,
      workers: options.workers,
      faultFailureRate: options.faultRate,
    });
    say('soak: starting Temporal, workers and API');
    await cluster.temporal.start();
    await Promise.all([...cluster.workers.map((w) => w.start()), cluster.api.start()]);
    connection = await Connection.connect({ address: cluster.temporalAddress });
    const temporal = new Client({ connection });

    const api = createApiClient(cluster.apiUrl, crmSecret);
    const log = newActionLog();
    const driver = new ActionDriver(api, random, catalogue, keys, log);
    const monkey = new ChaosMonkey(cluster, random, say);
    if (options.chaos) monkey.start([4000, 12000]);

    // Business: orders arrive over time while people act on what is already there.
    say('soak: placing orders and acting on them');
    const accepted = new Set<string>();
    for (let n = 1; n <= options.orders; n += 1) {
      const event = generateOrder(random, catalogue, n);
      for (let attempt = 0; ; attempt += 1) {
        const answer = await api.postEvent(event);
        if (answer.status === 202 || answer.status === 200) {
          accepted.add(event.dealId);
          break;
        }
        if (answer.status >= 400 && answer.status < 500)
          throw new Error(`order ${n} refused (${answer.status}): ${JSON.stringify(answer.body)}`);
        if (attempt > 120)
          throw new Error(`order ${n} not accepted after ${attempt} tries: ${JSON.stringify(answer.body)}`);
        await sleep(500); // the API is down (chaos): the CRM retries, as CRMs do
      }
      for (let a = random.int(0, 3); a > 0; a -= 1) await driver.randomAction(await readSnapshot(db, catalogue.tag));
      await sleep(random.int(50, 400));
    }
    // Keep acting (and killing) for a while after the last order, until each kind of kill happened.
    const actUntil = Date.now() + Math.min(120_000, 20_000 + options.orders * 300);
    while (Date.now() < actUntil || (options.chaos && monkey.owedKinds().length > 0)) {
      await driver.randomAction(await readSnapshot(db, catalogue.tag));
      await sleep(random.int(100, 600));
      if (Date.now() - started > 30 * 60_000 + options.orders * 6_000) break;
    }
    await monkey.stop();

    // Settle: the outage is over (workers restart without faults); people finish what waits for them.
    say('soak: settling (faults off, every order to an end or a named wait)');
    for (const w of cluster.workers) {
      await w.stop();
    }
    const settled = defineCluster({
      runDir,
      cliPath,
      databaseUrl,
      smtpUrl: mail.url,
      crmSecret,
      temporalPort: Number(cluster.temporalAddress.split(':')[1]),
      apiPort: Number(new URL(cluster.apiUrl).port),
      taskQueue: `soak-${catalogue.tag}`,
      workers: options.workers,
      faultFailureRate: 0,
    });
    cluster.workers.splice(0, cluster.workers.length, ...settled.workers);
    await Promise.all(cluster.workers.map((w) => w.start()));
    await driver.releaseAllHolds();
    const retriesPerStep = new Map<string, number>();
    let quietRounds = 0;
    const settleDeadline = Date.now() + 10 * 60_000 + options.orders * 1_500;
    while (quietRounds < 4 && Date.now() < settleDeadline) {
      const s = await readSnapshot(db, catalogue.tag);
      const acted = await Promise.all([
        driver.deliverOne(s),
        driver.decideCredit(s, false, 'approve'),
        driver.receiveOne(s),
        driver.advanceReturns(s),
        (() => {
          const stuck = s.steps.filter(
            (st) => st.status === 'needs_attention' && (retriesPerStep.get(`${st.workflowId}/${st.step}`) ?? 0) < 3,
          );
          if (stuck.length === 0) return undefined;
          const st = stuck[0]!;
          retriesPerStep.set(
            `${st.workflowId}/${st.step}`,
            (retriesPerStep.get(`${st.workflowId}/${st.step}`) ?? 0) + 1,
          );
          return api.request('POST', `/v1/orders/${st.workflowId}/steps/${st.step}/retry`, keys.ops, {
            reason: 'retry after the outage (soak settle)',
          });
        })(),
      ]);
      const busy = s.steps.some(
        (st) => st.status === 'running' || st.status === 'retry_requested' || st.status === 'pending',
      );
      quietRounds = acted.every((a) => a === undefined) && !busy ? quietRounds + 1 : 0;
      await sleep(quietRounds > 0 ? 2000 : 300);
    }

    say('soak: checking invariants');
    const agingAnswer = await api.request('GET', '/v1/reports/ar-aging', keys.finance);
    const { results: invariants, activityRetries } = await checkInvariants({
      db,
      temporal,
      catalogue,
      mail: mail.messages(),
      workerKills: monkey.kills.worker,
      aging:
        agingAnswer.status === 200
          ? (agingAnswer.body as { rows: { customerId: string; currency: string; totalMinor: number }[] })
          : undefined,
    });
    invariants.push({
      name: 'no 500 answer from the API',
      checked: log.total,
      held: log.serverErrors.length === 0,
      broken: log.serverErrors.slice(0, 25),
    });
    invariants.push({
      name: 'no process of the system died on its own',
      checked: cluster.all().length,
      held: unexpectedExits.length === 0,
      broken: [...unexpectedExits],
    });

    const final = await readSnapshot(db, catalogue.tag);
    const outcome: Record<string, number> = {};
    for (const o of final.orders) outcome[o.status] = (outcome[o.status] ?? 0) + 1;
    outcome.notStarted = accepted.size - final.orders.length;
    const report: SoakReport = {
      seed: options.seed,
      orders: options.orders,
      chaos: options.chaos,
      workers: options.workers,
      faultFailureRate: options.faultRate,
      actions: { total: log.total, doubled: log.doubled, byKind: log.counts },
      activityRetries,
      returns: final.returns.length,
      creditMemos: await db.creditMemo.count({ where: { customerId: { startsWith: `SK-${catalogue.tag}-` } } }),
      kills: monkey.kills,
      serverErrors: log.serverErrors.slice(0, 25),
      outcome,
      durationSeconds: Math.round((Date.now() - started) / 1000),
      invariants,
      reproduce: `npm run soak -- --seed ${options.seed} --orders ${options.orders} --workers ${options.workers} --fault-rate ${options.faultRate}${options.chaos ? ' --chaos' : ''}`,
    };
    printReport(report, say);
    if (options.out) {
      mkdirSync(path.dirname(options.out), { recursive: true });
      writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
      say(`soak: report written to ${options.out}`);
    }
    void ORDER_ENDS;
    return report;
  } finally {
    await connection?.close().catch(() => undefined);
    for (const part of cluster?.all().reverse() ?? []) await part.stop().catch(() => undefined);
    await mail.stop();
    await db?.$disconnect();
    if (!options.keepDatabase) await dropScratchDatabase(databaseName).catch(() => undefined);
  }
}

function printReport(r: SoakReport, say: (line: string) => void): void {
  say('');
  say(
    `soak: seed ${r.seed}, ${r.orders} orders in ${r.durationSeconds} s; ${r.actions.total} actions (${r.actions.doubled} sent twice at once); ${r.activityRetries} activity retries; ${r.returns} returns, ${r.creditMemos} credit memos; kills: ${Object.entries(
      r.kills,
    )
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  say(
    `  orders: ${Object.entries(r.outcome)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  for (const i of r.invariants)
    say(
      `  ${i.held ? 'held  ' : 'BROKEN'} ${i.name} (${i.checked} checked${i.held ? '' : `, ${i.broken.length} broken: ${JSON.stringify(i.broken.slice(0, 3))}`})`,
    );
  const broken = r.invariants.filter((i) => !i.held).length;
  say(
    broken === 0 ? 'soak: every invariant held' : `soak: ${broken} invariant(s) broken; reproduce with: ${r.reproduce}`,
  );
}
