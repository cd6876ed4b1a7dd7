/**
 * The phases of a soak once its system runs: place orders while people act on them, keep acting until
 * every kind of kill happened, settle, check the invariants and sum up. Each reads and writes only the
 * shared `Soak` state that run.ts sets up.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { CapturedMail } from '../runtime/mail-capture';
import type { ApiClient } from './api-client';
import type { ActionDriver, ActionLog, Keys } from './business';
import type { Catalogue } from './catalogue';
import type { ChaosMonkey } from './chaos';
import { defineCluster, unexpectedExits, type Cluster, type ClusterOptions } from './cluster';
import { checkInvariants, type InvariantResult } from './invariants';
import { generateOrder } from './order-generator';
import type { Random } from './random';
import type { SoakReport } from './report';
import type { SoakOptions } from './run';
import { readSnapshot, type Snapshot } from './snapshot';

export interface Soak {
  options: SoakOptions;
  started: number;
  say: (line: string) => void;
  random: Random;
  db: Db;
  catalogue: Catalogue;
  keys: Keys;
  cluster: Cluster;
  /** How the cluster was defined: settling defines its workers again, without faults. */
  clusterOptions: ClusterOptions;
  temporal: Client;
  api: ApiClient;
  log: ActionLog;
  driver: ActionDriver;
  monkey: ChaosMonkey;
  mail: { messages(): CapturedMail[] };
}

/** Business: orders arrive over time while people act on what is already there. Returns the accepted deals. */
export async function placeOrders(s: Soak): Promise<Set<string>> {
  s.say('soak: placing orders and acting on them');
  const accepted = new Set<string>();
  for (let n = 1; n <= s.options.orders; n += 1) {
    const event = generateOrder(s.random, s.catalogue, n);
    await postUntilAccepted(s.api, event, n);
    accepted.add(event.dealId);
    for (let a = s.random.int(0, 3); a > 0; a -= 1)
      await s.driver.randomAction(await readSnapshot(s.db, s.catalogue.tag));
    await sleep(s.random.int(50, 400));
  }
  return accepted;
}

/** The API may be down for a while (killed, then restarted on a loaded machine): the CRM keeps trying for five minutes. */
async function postUntilAccepted(api: ApiClient, event: { dealId: string }, n: number): Promise<void> {
  const giveUpAt = Date.now() + 5 * 60_000;
  for (let attempt = 1; ; attempt += 1) {
    const answer = await api.postEvent(event);
    if (answer.status === 202 || answer.status === 200) return;
    if (answer.status >= 400 && answer.status < 500)
      throw new Error(`order ${n} refused (${answer.status}): ${JSON.stringify(answer.body)}`);
    if (Date.now() > giveUpAt)
      throw new Error(
        `order ${n} not accepted after ${attempt} tries: ${JSON.stringify(answer.body)}; unasked exits: ${JSON.stringify(unexpectedExits)}`,
      );
    await sleep(500); // the API is down (chaos): the CRM retries, as CRMs do
  }
}

/** Keep acting (and killing) for a while after the last order, until each kind of kill happened. */
export async function keepActing(s: Soak): Promise<void> {
  const { options, monkey } = s;
  const actUntil = Date.now() + Math.min(120_000, 20_000 + options.orders * 300);
  while (Date.now() < actUntil || (options.chaos && monkey.owedKinds().length > 0)) {
    await s.driver.randomAction(await readSnapshot(s.db, s.catalogue.tag));
    await sleep(s.random.int(100, 600));
    if (Date.now() - s.started > 30 * 60_000 + options.orders * 6_000) break;
  }
  await monkey.stop();
}

/** Settle: the outage is over (workers restart without faults); people finish what waits for them. */
export async function settle(s: Soak): Promise<void> {
  s.say('soak: settling (faults off, every order to an end or a named wait)');
  const { cluster, driver } = s;
  for (const w of cluster.workers) {
    await w.stop();
  }
  const settled = defineCluster({ ...s.clusterOptions, faultFailureRate: 0 });
  cluster.workers.splice(0, cluster.workers.length, ...settled.workers);
  await Promise.all(cluster.workers.map((w) => w.start()));
  await driver.releaseAllHolds();
  const retriesPerStep = new Map<string, number>();
  let quietRounds = 0;
  const settleDeadline = Date.now() + 10 * 60_000 + s.options.orders * 1_500;
  while (quietRounds < 4 && Date.now() < settleDeadline) {
    const snapshot = await readSnapshot(s.db, s.catalogue.tag);
    const acted = await Promise.all([
      // Several deliveries a round: a long run ends with hundreds of shipments on the road.
      ...[1, 2, 3, 4].map(() => driver.deliverOne(snapshot)),
      driver.decideCredit(snapshot, false, 'approve'),
      driver.receiveOne(snapshot),
      driver.advanceReturns(snapshot),
      retryOneStuckStep(s, snapshot, retriesPerStep),
    ]);
    const busy = snapshot.steps.some(
      (st) => st.status === 'running' || st.status === 'retry_requested' || st.status === 'pending',
    );
    quietRounds = acted.every((a) => a === undefined) && !busy ? quietRounds + 1 : 0;
    await sleep(quietRounds > 0 ? 2000 : 300);
  }
}

/** Retries the first step that needs attention, at most three times per step. */
function retryOneStuckStep(s: Soak, snapshot: Snapshot, retriesPerStep: Map<string, number>) {
  const stuck = snapshot.steps.filter(
    (st) => st.status === 'needs_attention' && (retriesPerStep.get(`${st.workflowId}/${st.step}`) ?? 0) < 3,
  );
  if (stuck.length === 0) return undefined;
  const st = stuck[0]!;
  retriesPerStep.set(`${st.workflowId}/${st.step}`, (retriesPerStep.get(`${st.workflowId}/${st.step}`) ?? 0) + 1);
  return s.api.request('POST', `/v1/orders/${st.workflowId}/steps/${st.step}/retry`, s.keys.ops, {
    reason: 'retry after the outage (soak settle)',
  });
}

/** The invariants of invariants.ts, plus the two only the runner can see: API 500s and unasked exits. */
export async function checkEverything(s: Soak): Promise<{ invariants: InvariantResult[]; activityRetries: number }> {
  s.say('soak: checking invariants');
  const agingAnswer = await s.api.request('GET', '/v1/reports/ar-aging', s.keys.finance);
  const { results: invariants, activityRetries } = await checkInvariants({
    db: s.db,
    temporal: s.temporal,
    catalogue: s.catalogue,
    mail: s.mail.messages(),
    workerKills: s.monkey.kills.worker,
    aging:
      agingAnswer.status === 200
        ? (agingAnswer.body as { rows: { customerId: string; currency: string; totalMinor: number }[] })
        : undefined,
  });
  invariants.push({
    name: 'no 500 answer from the API',
    checked: s.log.total,
    held: s.log.serverErrors.length === 0,
    broken: s.log.serverErrors.slice(0, 25),
  });
  invariants.push({
    name: 'no process of the system died on its own',
    checked: s.cluster.all().length,
    held: unexpectedExits.length === 0,
    broken: [...unexpectedExits],
  });
  return { invariants, activityRetries };
}

export async function sumUp(
  s: Soak,
  accepted: Set<string>,
  { invariants, activityRetries }: Awaited<ReturnType<typeof checkEverything>>,
): Promise<SoakReport> {
  const { options, log } = s;
  const final = await readSnapshot(s.db, s.catalogue.tag);
  const outcome: Record<string, number> = {};
  for (const o of final.orders) outcome[o.status] = (outcome[o.status] ?? 0) + 1;
  outcome.notStarted = accepted.size - final.orders.length;
  return {
    seed: options.seed,
    orders: options.orders,
    chaos: options.chaos,
    workers: options.workers,
    faultFailureRate: options.faultRate,
    actions: { total: log.total, doubled: log.doubled, byKind: log.counts },
    activityRetries,
    returns: final.returns.length,
    creditMemos: await s.db.creditMemo.count({ where: { customerId: { startsWith: `SK-${s.catalogue.tag}-` } } }),
    kills: s.monkey.kills,
    serverErrors: log.serverErrors.slice(0, 25),
    outcome,
    durationSeconds: Math.round((Date.now() - s.started) / 1000),
    invariants,
    comparedNothing: invariants.filter((i) => i.checked === 0).map((i) => i.name),
    reproduce: `npm run soak -- --seed ${options.seed} --orders ${options.orders} --workers ${options.workers} --fault-rate ${options.faultRate}${options.chaos ? ' --chaos' : ''}`,
  };
}
