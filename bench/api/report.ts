/** The API benchmark's printed report: its method, then every figure beside the baselines. */
import path from 'node:path';
import { DISPATCHER_DEFAULTS } from '../../api/intake/dispatcher';
import { RELAY_DEFAULTS } from '../../api/intake/relay';
import type { ApiBenchArgs } from './args';
import { CPU_PARTS, OTHER_PART } from './cpu';
import { BEHIND_INTAKE_ANSWER, requestCount, type InboxOutcome, type Phases } from './figures';
import { REQUEST_TIMEOUT_SECONDS } from './load';
import type { Phase } from './phase';
import type { PartComparison } from './profile';
import { PROFILE_FILES } from './settings';

export type Result = {
  intakeRatio: number;
  rounds: { insertBaselineRps: number; intakeRps: number; intakeRatio: number }[];
  intakeStartCatchUpSeconds: number;
  intakeStartsPerSecond: number;
  intakeStartsPerSecondUnderLoad: number;
  intakeBareRatio: number;
  signatureCheckMicros: number;
  method: {
    machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string };
    autocannon: string;
    fastify: string;
    prisma: string;
    temporal: { cli: string; serverVersion?: string | null; sdk: string };
    postgres: { version: string; server: string };
    signatureBodyBytes: number;
    readOrders: number;
    loadAverageAtStart: number[];
    readWorker: { maxCachedWorkflows: number; catchUpSeconds: number; ordersCaughtUp: number };
  };
};

type Columns = readonly (readonly [string, Phase])[];

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const row = (label: string, cells: string[], extra = '') =>
  `  ${label.padEnd(24)}${cells.map((c) => c.padStart(17)).join('')}${extra ? `  ${extra}` : ''}`;
const cores = (v?: number) => (v === undefined ? 'n/a' : v.toFixed(2));

export function printReport(
  args: ApiBenchArgs,
  result: Result,
  phases: Phases,
  inbox: InboxOutcome,
  databaseName: string,
  profile?: PartComparison[],
): void {
  const columns = [
    ['intake', phases.intake],
    ['insert baseline', phases.insertBaseline],
    ['bare baseline', phases.bare],
    ['reads', phases.reads],
  ] as const;
  const lines = [
    '',
    'closedloop API benchmark',
    '',
    ...methodLines(args, result, databaseName),
    '',
    ...resultRows(columns),
    '',
    ...intakeLines(result, phases.intake, inbox),
    '',
    ...cpuRows(columns),
    '',
    ...stageLines('where intake time goes', phases.intake, 'intake: '),
    `    ${'signature check alone (checkSignature in a loop, this process)'.padEnd(58)}${(result.signatureCheckMicros / 1000).toFixed(3).padStart(9)}`,
    '',
    ...(profile ? profileLines(profile) : []),
    ...stageLines('insert baseline', phases.insertBaseline, ''),
    '',
    ...stageLines('where read time goes', phases.reads, 'read: '),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function methodLines(args: ApiBenchArgs, result: Result, databaseName: string): string[] {
  const { machine, temporal, postgres, readWorker } = result.method;
  return [
    'method',
    `  load        autocannon ${result.method.autocannon} in the benchmark's own process (the API runs in a child process),`,
    `              ${args.connections} connections, one request in flight each (no pipelining), closed loop; ${args.warmupSeconds} s unmeasured`,
    `              warm-up then ${args.durationSeconds} s measured per target, one target at a time; request timeout ${REQUEST_TIMEOUT_SECONDS} s`,
    `              requests/s = 2xx answers / run time; latency p50/p99 over 2xx answers only, nearest rank, full precision`,
    `  machine     ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; everything on 127.0.0.1;`,
    `              load average at start ${result.method.loadAverageAtStart.join(' ')} (other users of the machine: "everything else" below)`,
    `  API         buildApp (api/app.ts), Fastify ${result.method.fastify}, pino logger at 'silent', rate limit 1e9/min (the limiter runs, never`,
    `              refuses), Prisma ${result.method.prisma} over pg, pool 10 (createDb default); one Temporal gRPC connection; the start`,
    `              dispatcher (${DISPATCHER_DEFAULTS.concurrency} starts at once) and the inbox relay (every ${RELAY_DEFAULTS.intervalMs / 1000} s), as npm run start:api runs them`,
    `  intake      examples/closed-won.json (${result.method.signatureBodyBytes} bytes) with a new dealId per request, signed per request`,
    `              (HMAC-SHA256, x-closedloop-timestamp / x-closedloop-signature); answered after the inbox INSERT, the workflow`,
    `              start runs behind the answer in the same process and a phase ends once every accepted event is started;`,
    `              no worker runs: the workflows wait untouched`,
    `  reads       GET /v1/orders/:id with an admin key, cycling through ${result.method.readOrders} orders accepted by intake before the load`,
    `              on the read worker's task queue (intake's own orders go to a queue no worker polls), each read once beforehand;`,
    `              the worker (workflow code, only the recordTransition local activity, no activity polling) ran each to its`,
    `              first step (${readWorker.ordersCaughtUp} orders, ${readWorker.catchUpSeconds} s); the page reads PostgreSQL only (the`,
    `              step events), no workflow query; recordOrder never runs, so the view comes from the inbox row`,
    `  baselines   bare Fastify ${result.method.fastify} instances, logger off, no plugins, in the API process: GET / -> {"hello":"world"};`,
    `              POST /inbox -> the same inboundEvent.create as intake (same columns, payload hash computed the same way),`,
    `              same signed bodies, own createDb pool of 10; its rows are deleted before intake runs`,
    `  Temporal    ${temporal.cli}; server ${temporal.serverVersion ?? '?'}; dev server in memory, headless; TypeScript SDK ${temporal.sdk}`,
    `  PostgreSQL  ${postgres.version} at ${postgres.server}, fresh database ${databaseName}`,
    `  timing      Fastify hooks (reply.elapsedTime) and wrappers around the pg driver under Prisma (pool wait, each statement)`,
    `              and the Temporal client, in the API process during the measured runs; the wrappers add no behaviour;`,
    `              times are wall time, so a statement's includes waiting for the API's event loop to read its answer`,
    ...(args.isTimed ? [] : [`              --no-timing: this run had no hooks and no wrappers, so no time breakdown`]),
    ...(args.profile
      ? [
          `  profile     the last round of intake and of the insert baseline were CPU-profiled (V8 sampling every 500 us): their figures include the profiler's cost`,
        ]
      : []),
  ];
}

function resultRows(columns: Columns): string[] {
  return [
    row(
      'results',
      columns.map(([name]) => name),
    ),
    row(
      'requests/second (2xx)',
      columns.map(([, p]) => p.load.rps.toFixed(1)),
    ),
    row(
      'latency p50 ms',
      columns.map(([, p]) => ms(p.load.p50Ms)),
    ),
    row(
      'latency p99 ms',
      columns.map(([, p]) => ms(p.load.p99Ms)),
    ),
    row(
      'latency mean ms',
      columns.map(([, p]) => ms(p.load.meanMs)),
    ),
    row(
      '2xx answers',
      columns.map(([, p]) => String(p.load.successes)),
    ),
    row(
      'non-2xx answers',
      columns.map(([, p]) => String(p.load.non2xx)),
    ),
    row(
      'socket errors/timeouts',
      columns.map(([, p]) => `${p.load.errors}/${p.load.timeouts}`),
    ),
  ];
}

function intakeLines(result: Result, intake: Phase, inbox: InboxOutcome): string[] {
  return [
    `  intake / insert baseline  ${result.intakeRatio.toFixed(3)}      intake / bare baseline  ${result.intakeBareRatio.toFixed(4)}`,
    `  rounds (baseline / intake requests/s, ratio; the medians are reported): ${result.rounds.map((r) => `${r.insertBaselineRps} / ${r.intakeRps} = ${r.intakeRatio}`).join(';  ')}`,
    `  intake answers by status ${JSON.stringify(intake.load.statusCounts)}; inbox rows written ${inbox.inboxRows} (in-flight requests at the end`,
    `  of the run are written but not counted); accepted but not started (Temporal start failed, left to the relay): ${inbox.notStarted}`,
    `  starts behind the answers: all started ${result.intakeStartCatchUpSeconds} s after the load stopped, ${result.intakeStartsPerSecond} starts/s over the run`,
    `  and the catch-up, ${result.intakeStartsPerSecondUnderLoad} starts/s while the load ran (the inbox holds what the starts have not reached;`,
    `  CPU figures below cover the load window only)`,
    ...inbox.startFailures.map(
      (f) => `    ${String(f.count).padStart(6)} x ${f.error.replace(/\s+/g, ' ').slice(0, 140)}`,
    ),
  ];
}

function cpuRows(columns: Columns): string[] {
  return [
    row(
      'CPU, cores busy',
      columns.map(([name]) => name),
    ),
    ...[...CPU_PARTS, OTHER_PART].map((part) =>
      row(
        `  ${part}`,
        columns.map(([, p]) => cores(p.cpu.parts[part])),
      ),
    ),
    row(
      '  machine, share',
      columns.map(([, p]) => `${(p.cpu.machine * 100).toFixed(0)} % of ${p.cpu.cores}`),
    ),
    row(
      'CPU ms per 2xx request',
      columns.map(([name]) => name),
    ),
    ...CPU_PARTS.map((part) =>
      row(
        `  ${part}`,
        columns.map(([, p]) =>
          p.cpu.parts[part] === undefined ? 'n/a' : ((p.cpu.parts[part]! * 1000) / p.load.rps).toFixed(3),
        ),
      ),
    ),
  ];
}

function stageLines(title: string, phase: Phase, prefix: string): string[] {
  const n = requestCount(phase, prefix);
  const fastify = prefix ? phase.stages.filter((s) => s.name.startsWith(prefix)) : [];
  const calls = phase.stages.filter((s) => !s.name.includes(': ') || s.name.startsWith('pg '));
  if (phase.stages.length === 0) return [`  ${title}: not timed (--no-timing)`];
  const handler = fastify.find((s) => s.name === `${prefix}handler + response serialization`);
  // Intake's handler waits for one pool connection and the INSERT; what it spends beyond them is its own.
  // (The start RPC and the UPDATE run in the start dispatcher, behind the answer.)
  const perCall = (name: string) => {
    const stage = calls.find((s) => s.name === name);
    return stage ? stage.totalMs / stage.calls : 0;
  };
  const rest =
    handler && prefix === 'intake: '
      ? handler.totalMs / handler.calls - perCall('pg pool: wait for a connection') - perCall('pg INSERT')
      : undefined;
  return [
    `  ${title} (wall ms per request, mean of ${n} requests; calls per request x ms per call in brackets)`,
    ...fastify.map(
      (s) => `    ${s.name.slice(prefix.length).padEnd(58)}${(s.totalMs / s.calls).toFixed(3).padStart(9)}`,
    ),
    ...calls.map((s) => {
      const name = prefix === 'intake: ' && BEHIND_INTAKE_ANSWER.has(s.name) ? `${s.name} (behind the answer)` : s.name;
      return `    ${name.padEnd(58)}${(s.totalMs / n).toFixed(3).padStart(9)}  [${(s.calls / n).toFixed(2)} x ${(s.totalMs / s.calls).toFixed(3)} ms]`;
    }),
    ...(rest === undefined
      ? []
      : [`    ${'rest of the handler (Prisma, clients, JSON; event loop)'.padEnd(58)}${rest.toFixed(3).padStart(9)}`]),
  ];
}

/** API process CPU profiles of the last measured round, intake beside the insert baseline. */
function profileLines(profile: PartComparison[]): string[] {
  return [
    `  API process CPU profiles of the last measured round (self time, us per 2xx request; ${path.relative(process.cwd(), path.dirname(PROFILE_FILES.intake))}/api-*.cpuprofile)`,
    `    ${'part'.padEnd(44)}${'intake'.padStart(10)}${'insert baseline'.padStart(17)}${'difference'.padStart(12)}`,
    ...profile
      .slice(0, 20)
      .map(
        (p) =>
          `    ${p.part.padEnd(44)}${p.intake.toFixed(0).padStart(10)}${p.insertBaseline.toFixed(0).padStart(17)}${(p.intake - p.insertBaseline).toFixed(0).padStart(12)}`,
      ),
    '',
  ];
}
