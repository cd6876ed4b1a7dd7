/**
 * `npm run bench:api` (or `npx tsx bench/api.ts --duration 3`): the API under concurrent HTTP load on
 * loopback with autocannon, beside two baselines measured the same way in the same run:
 * - intake: `POST /v1/events/closed-won`, a signed event with a unique deal id per request (inbox
 *   INSERT, then the answer; the start dispatcher makes the Temporal start RPC and the batched inbox
 *   UPDATE behind it, in the same process); successes are 2xx answers, and the run also reports how
 *   long the starts took to catch up after the load stopped;
 * - reads: `GET /v1/orders/:orderId` for orders intake created, with an API key (one SQL statement:
 *   the row and the run's state from its step events; no workflow query since issue 13);
 * - console reads (bench/api/screens.ts): 10,000 orders with invoices, each screen's read beside a
 *   bare Fastify route doing one indexed SELECT through the same driver; each must reach 0.5 of it;
 * - bare baseline: a Fastify route answering a small JSON;
 * - insert baseline: a Fastify route doing intake's inbox INSERT alone, through the same driver.
 *
 * Starts its own parts and removes them afterwards, also on failure or Ctrl-C: a Temporal dev server
 * (free port, in memory, headless), a fresh database on the PostgreSQL server at 127.0.0.1:5432
 * (BENCH_DATABASE_URL names another admin URL) with migrations applied, the API and its baselines in a
 * child process (bench/api/server.ts), and for the read phase a worker in another (read-worker.ts).
 * No worker runs during intake: a start only needs the server, so the workflows wait untouched.
 *
 * Prints the method and every figure beside the baselines, with where intake's time goes inside the
 * API process; writes bench-results/api.json. The phases and the report live in bench/api/.
 */
import { CLOSED_WON } from '../api/intake/closed-won';
import type { Db } from '../lib/db';
import { parseApiBenchArgs, type ApiBenchArgs } from './api/args';
import { costFigures, loadFigures, methodOf, startFigures, type InboxOutcome } from './api/figures';
import { measurePhase, medianRound, type Phase } from './api/phase';
import { compareProfiles, summarizeProfile } from './api/profile';
import { catchUp, inboxSettled, pickReadTargets, seedReadOrders } from './api/reads';
import { printReport } from './api/report';
import { closedWonRequests, orderReadRequests } from './api/requests';
import { screensOnly, screensPhase } from './api/screens-phase';
import { PROFILE_FILES, RESULTS_FILE, say } from './api/settings';
import { signatureCheckMicros } from './api/signature-cost';
import { startApiStack, urlOf, type ApiStack } from './api/stack';
import { INSERT_BASELINE_KIND } from './api/targets';
import { runBench, writeResults, type Cleanup } from './harness';
import { round } from './stats';

async function main(args: ApiBenchArgs, cleanup: Cleanup): Promise<void> {
  const startedAt = new Date().toISOString();
  const stack = await startApiStack(args, cleanup);
  const { guard, ports, apiKey } = stack;

  // The read orders first, so the worker is idle through every measured load.
  const readPrefix = `R${stack.runTag}`;
  await guard(seedReadOrders(args.readOrders, urlOf(ports.readSeed), stack.crmWebhookSecret, readPrefix));
  await guard(inboxSettled(stack.db, `${readPrefix}-`)); // every seeded order started, so catchUp knows how many to expect
  const caughtUp = await guard(catchUp(stack.worker, stack.db, readPrefix));

  const bare = await guard(
    measurePhase('bare baseline', args, stack.api, stack.parts, urlOf(ports.bare), () => [
      { method: 'GET', path: '/' },
    ]),
  );
  const { baselineRounds, intakeRounds } = await intakeRoundsOf(args, stack);
  const insertBaseline = medianRound(baselineRounds);
  const intake = medianRound(intakeRounds);
  const profile = args.profile
    ? compareProfiles(
        { profile: summarizeProfile(PROFILE_FILES.intake), requests: intakeRounds.at(-1)!.load.successes },
        { profile: summarizeProfile(PROFILE_FILES.insertBaseline), requests: baselineRounds.at(-1)!.load.successes },
      )
    : undefined;
  const inbox = await inboxOutcome(stack.db, intake);

  const targets = await guard(pickReadTargets(stack.db, args.readOrders, readPrefix, urlOf(ports.app), apiKey));
  const reads = await guard(
    measurePhase('reads', args, stack.api, stack.parts, urlOf(ports.app), () => orderReadRequests(targets, apiKey)),
  );
  const screens = await guard(
    screensPhase(args, stack.db, apiKey, urlOf(ports.app), urlOf(ports.selectBaseline), stack.runTag),
  );
  const signature = signatureCheckMicros(stack.crmWebhookSecret);

  const phases = { bare, insertBaseline, intake, reads };
  const result = {
    ...loadFigures(phases, baselineRounds, intakeRounds),
    ...startFigures(intake, inbox),
    signatureCheckMicros: round(signature.micros, 2),
    ...costFigures(phases, profile),
    screens: screens.result,
    startedAt,
    method: methodOf(args, {
      readOrders: targets.length,
      serverVersion: stack.serverVersion,
      postgresVersion: stack.postgresVersion,
      signatureBodyBytes: signature.bodyBytes,
      readWorker: {
        maxCachedWorkflows: stack.maxCachedWorkflows,
        catchUpSeconds: round(caughtUp.seconds, 1),
        ordersCaughtUp: caughtUp.workflows,
      },
    }),
  };
  printReport(args, result, phases, inbox, stack.databaseName, profile);
  process.stdout.write(`${screens.table.join('\n')}\n`);
  writeResults(RESULTS_FILE, result, say);
  screens.check();
}

/**
 * The insert baseline and intake alternate, round by round, and each is reported by its median round:
 * the INSERT baseline alone swung by a third between quiet runs on this machine, intake far less.
 */
async function intakeRoundsOf(args: ApiBenchArgs, stack: ApiStack) {
  const { guard, ports, db, crmWebhookSecret, runTag } = stack;
  const intakePrefix = `B${runTag}`;
  const baselineRounds: Phase[] = [];
  const intakeRounds: (Phase & { measuredPrefix: string })[] = [];
  const measure = (name: string, port: number, requests: Parameters<typeof measurePhase>[5], profileFile?: string) =>
    guard(measurePhase(name, args, stack.api, stack.parts, urlOf(port), requests, profileFile));
  for (let round = 1; round <= args.rounds; round += 1) {
    const isProfiled = args.profile && round === args.rounds;
    baselineRounds.push(
      await measure(
        `insert baseline (round ${round}/${args.rounds})`,
        ports.insertBaseline,
        (stage) => closedWonRequests('/inbox', crmWebhookSecret, `I${runTag}-r${round}-${stage}`),
        isProfiled ? PROFILE_FILES.insertBaseline : undefined,
      ),
    );
    // Its rows would only make the inbox bigger for intake and slow the reads' inbox lookup: remove them.
    await db.inboundEvent.deleteMany({ where: { kind: INSERT_BASELINE_KIND } });
    await db.$executeRawUnsafe('VACUUM ANALYZE inbound_event');
    const roundPrefix = `${intakePrefix}-r${round}`;
    const phase = await measure(
      `intake (round ${round}/${args.rounds})`,
      ports.app,
      (stage) => closedWonRequests('/v1/events/closed-won', crmWebhookSecret, `${roundPrefix}-${stage}`),
      isProfiled ? PROFILE_FILES.intake : undefined,
    );
    // The next round's baseline starts once every start behind this round's answers is done.
    await inboxSettled(db, `${roundPrefix}-measured-`);
    intakeRounds.push({ ...phase, measuredPrefix: `${roundPrefix}-measured-` });
  }
  return { baselineRounds, intakeRounds };
}

/** What became of the median intake round's events: written, started (under load or after), failed. */
async function inboxOutcome(db: Db, intake: Phase & { measuredPrefix: string }): Promise<InboxOutcome> {
  const measuredPrefix = intake.measuredPrefix;
  const [inboxRows, notStarted, startErrors, startedUnderLoad] = await Promise.all([
    db.inboundEvent.count({ where: { kind: CLOSED_WON, dealId: { startsWith: measuredPrefix } } }),
    db.inboundEvent.count({ where: { kind: CLOSED_WON, dealId: { startsWith: measuredPrefix }, startedAt: null } }),
    db.inboundEvent.groupBy({
      by: ['lastError'],
      where: { kind: CLOSED_WON, dealId: { startsWith: measuredPrefix }, startedAt: null },
      _count: { _all: true },
    }),
    // Marks trail their starts by up to the dispatcher's markDelayMs: near enough for a 10 s window.
    db.inboundEvent.count({
      where: { kind: CLOSED_WON, startedAt: { gte: intake.loadStartedAt, lte: intake.loadEndedAt } },
    }),
  ]);
  const startFailures = startErrors.map((e) => ({ error: e.lastError ?? '(none recorded)', count: e._count._all }));
  const accepted = intake.load.statusCounts['202'] ?? 0;
  if (inboxRows < accepted) throw new Error(`intake: ${accepted} answers 202 but only ${inboxRows} inbox rows`);
  return { inboxRows, notStarted, accepted, startedUnderLoad, startFailures };
}

async function entry(): Promise<void> {
  let args: ApiBenchArgs;
  try {
    args = parseApiBenchArgs(process.argv.slice(2));
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  await runBench(say, (cleanup) => (args.isScreensOnly ? screensOnly(args, cleanup) : main(args, cleanup)));
}

void entry();
