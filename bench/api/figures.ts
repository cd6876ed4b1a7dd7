/**
 * bench-results/api.json from the measured phases: throughput and latency of each target, the starts
 * behind intake's answers, where the time and the CPU went, and the method.
 */
import os from 'node:os';
import path from 'node:path';
import { machine, postgresServer } from '../harness';
import { ratio, round } from '../stats';
import { readVersion, temporalCliVersion } from '../versions';
import type { ApiBenchArgs } from './args';
import { CPU_PARTS, OTHER_PART, type CpuUse } from './cpu';
import { REQUEST_TIMEOUT_SECONDS } from './load';
import type { Phase } from './phase';
import type { PartComparison } from './profile';
import { PROFILE_FILES } from './settings';

export interface Phases {
  bare: Phase;
  insertBaseline: Phase;
  intake: Phase;
  reads: Phase;
}

/** What became of the measured intake round's accepted events. */
export interface InboxOutcome {
  inboxRows: number;
  notStarted: number;
  accepted: number;
  startedUnderLoad: number;
  startFailures: { error: string; count: number }[];
}

/** Calls intake makes in its start dispatcher (and relay), after the answer went out. */
export const BEHIND_INTAKE_ANSWER = new Set(['temporal workflow.start RPC', 'pg UPDATE', 'pg SELECT']);

/** The call made exactly once by every request of a phase: intake and the insert baseline INSERT, a read queries the workflow. */
const ANCHOR_STAGE: Record<string, string> = {
  'intake: ': 'pg INSERT',
  'read: ': 'temporal query getState',
  '': 'pg INSERT',
};

/**
 * Requests whose handler ran during a measured run, counted by the anchor call. More than autocannon's
 * 2xx count by the requests still in flight when it stopped (the API finishes them; their times count).
 */
export function requestCount(phase: Phase, prefix: string): number {
  return Math.max(1, phase.stages.find((s) => s.name === ANCHOR_STAGE[prefix])?.calls ?? phase.load.successes);
}

/**
 * Mean wall milliseconds per request of each stage, by name: a Fastify stage over the requests whose
 * answer was written (its own calls), a database or Temporal call over every request that ran.
 */
function perRequest(phase: Phase, prefix: string): Record<string, number> {
  const n = requestCount(phase, prefix);
  return Object.fromEntries(
    phase.stages.map((s) => [s.name, round(s.totalMs / (prefix && s.name.startsWith(prefix) ? s.calls : n), 3)]),
  );
}

function cpuShares(cpu: CpuUse): Record<string, number | null> {
  return Object.fromEntries([
    ['machine busy share', round(cpu.machine, 3)],
    ...[...CPU_PARTS, OTHER_PART].map((p) => [p, cpu.parts[p] === undefined ? null : round(cpu.parts[p]!, 2)]),
  ]);
}

/** CPU milliseconds each part spent per 2xx answer: what one request costs, whatever else ran. */
function cpuPerRequest(phase: Phase): Record<string, number | null> {
  const perSecond = phase.load.rps;
  return Object.fromEntries(
    CPU_PARTS.map((p) => [
      p,
      phase.cpu.parts[p] === undefined || perSecond === 0 ? null : round((phase.cpu.parts[p]! * 1000) / perSecond, 3),
    ]),
  );
}

/** Requests per second and latency of each target; every round, in the order measured. */
export function loadFigures(
  { bare, insertBaseline, intake, reads }: Phases,
  baselineRounds: Phase[],
  intakeRounds: Phase[],
) {
  return {
    intakeRps: round(intake.load.rps, 1),
    insertBaselineRps: round(insertBaseline.load.rps, 1),
    bareRps: round(bare.load.rps, 1),
    intakeRatio: round(ratio(intake.load.rps, insertBaseline.load.rps), 3),
    intakeBareRatio: round(ratio(intake.load.rps, bare.load.rps), 4),
    // Every round, in the order measured: the figures above are each target's median round.
    rounds: baselineRounds.map((b, i) => ({
      insertBaselineRps: round(b.load.rps, 1),
      intakeRps: round(intakeRounds[i]!.load.rps, 1),
      intakeRatio: round(ratio(intakeRounds[i]!.load.rps, b.load.rps), 3),
    })),
    readRps: round(reads.load.rps, 1),
    intakeP50Ms: round(intake.load.p50Ms, 2),
    intakeP99Ms: round(intake.load.p99Ms, 2),
    insertBaselineP50Ms: round(insertBaseline.load.p50Ms, 2),
    insertBaselineP99Ms: round(insertBaseline.load.p99Ms, 2),
    bareP50Ms: round(bare.load.p50Ms, 2),
    bareP99Ms: round(bare.load.p99Ms, 2),
    readP50Ms: round(reads.load.p50Ms, 2),
    readP99Ms: round(reads.load.p99Ms, 2),
    non2xx: {
      intake: intake.load.non2xx,
      insertBaseline: insertBaseline.load.non2xx,
      bare: bare.load.non2xx,
      read: reads.load.non2xx,
    },
    socketErrors: {
      intake: intake.load.errors,
      insertBaseline: insertBaseline.load.errors,
      bare: bare.load.errors,
      read: reads.load.errors,
    },
  };
}

/** The starts behind intake's answers. */
export function startFigures(intake: Phase, inbox: InboxOutcome) {
  return {
    intakeAcceptedNotStarted: inbox.notStarted,
    // The starts behind the answers: all of the measured run's accepted events, over the run plus the catch-up.
    intakeStartCatchUpSeconds: round(intake.settleSeconds, 1),
    intakeStartsPerSecond: round(
      (inbox.inboxRows - inbox.notStarted) / (intake.load.durationSeconds + intake.settleSeconds),
      1,
    ),
    // Starts made while the load ran: the dispatcher paces them while the API is busy.
    intakeStartsPerSecondUnderLoad: round(inbox.startedUnderLoad / intake.load.durationSeconds, 1),
    intakeStartFailures: inbox.startFailures,
  };
}

/** Where the time went (stages per request) and the CPU each part spent. */
export function costFigures({ bare, insertBaseline, intake, reads }: Phases, profile: PartComparison[] | undefined) {
  return {
    intakeStagesMs: perRequest(intake, 'intake: '),
    readStagesMs: perRequest(reads, 'read: '),
    insertBaselineStagesMs: perRequest(insertBaseline, ''),
    cpuMsPerRequest: {
      intake: cpuPerRequest(intake),
      insertBaseline: cpuPerRequest(insertBaseline),
      bare: cpuPerRequest(bare),
      read: cpuPerRequest(reads),
    },
    ...(profile
      ? {
          profiles: {
            files: {
              intake: path.relative(process.cwd(), PROFILE_FILES.intake),
              insertBaseline: path.relative(process.cwd(), PROFILE_FILES.insertBaseline),
            },
            cpuMicrosPerRequest: profile
              .slice(0, 20)
              .map((p) => ({ part: p.part, intake: round(p.intake, 1), insertBaseline: round(p.insertBaseline, 1) })),
          },
        }
      : {}),
    cpuCores: {
      intake: cpuShares(intake.cpu),
      insertBaseline: cpuShares(insertBaseline.cpu),
      bare: cpuShares(bare.cpu),
      read: cpuShares(reads.cpu),
    },
  };
}

export interface MethodInputs {
  readOrders: number;
  serverVersion: string | null | undefined;
  postgresVersion: string;
  signatureBodyBytes: number;
  readWorker: { maxCachedWorkflows: number; catchUpSeconds: number; ordersCaughtUp: number };
}

export function methodOf(args: ApiBenchArgs, m: MethodInputs) {
  return {
    durationSeconds: args.durationSeconds,
    rounds: args.rounds,
    connections: args.connections,
    warmupSeconds: args.warmupSeconds,
    pipelining: 1,
    requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS,
    readOrders: m.readOrders,
    machine: machine(),
    autocannon: readVersion('autocannon'),
    fastify: readVersion('fastify'),
    prisma: readVersion('@prisma/client'),
    temporal: {
      cli: temporalCliVersion(),
      serverVersion: m.serverVersion,
      sdk: readVersion('@temporalio/client'),
      devServer: 'in memory, headless',
    },
    postgres: { version: m.postgresVersion, server: postgresServer() },
    signatureBodyBytes: m.signatureBodyBytes,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    isProfiled: args.profile,
    isTimed: args.isTimed,
    readWorker: m.readWorker,
  };
}
