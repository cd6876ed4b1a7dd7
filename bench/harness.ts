/**
 * What every `npm run bench*` shares: the clean-up list, the process frame around a run (Ctrl-C and
 * stray errors clean up too, one exit code), and the throughput figures each report opens with.
 */
import { ratio, round, type LatencySummary } from './stats';

/** Things to undo, newest first; each runs once even if cleanup is requested twice (failure + Ctrl-C). */
export class Cleanup {
  private readonly steps: { what: string; run: () => Promise<void> | void }[] = [];

  constructor(private readonly say: (message: string) => void) {}

  add(what: string, run: () => Promise<void> | void): void {
    this.steps.push({ what, run });
  }

  /** Runs every step, newest first; false when one of them failed (each failure is reported). */
  async runAll(): Promise<boolean> {
    let isClean = true;
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        isClean = false;
        this.say(`cleanup: ${step.what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return isClean;
  }
}

/**
 * Runs a benchmark and exits: 0 when it and its clean-up succeeded, 1 otherwise, 130 on SIGINT/SIGTERM
 * (after cleaning up). A stray error from a call a failure left behind is reported and fails the run
 * without cutting the clean-up short.
 */
export async function runBench(
  say: (message: string) => void,
  body: (cleanup: Cleanup) => Promise<void>,
): Promise<never> {
  const cleanup = new Cleanup(say);
  let isInterrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (isInterrupted) return;
    isInterrupted = true;
    say(`${signal}: cleaning up`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let isFailed = false;
  const stray = (error: unknown) => {
    isFailed = true;
    say(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };
  process.on('uncaughtException', stray);
  process.on('unhandledRejection', stray);

  try {
    await body(cleanup);
  } catch (error) {
    isFailed = true;
    say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  if (!(await cleanup.runAll())) isFailed = true;
  process.exit(isFailed ? 1 : 0);
}

/** A measured phase: runs per second and their latency. */
export interface ThroughputPhase {
  perSecond: number;
  latency: LatencySummary;
}

/** The figures every throughput report opens with: the measured runs beside the same-run baseline. */
export function throughputFigures(orders: number, measured: ThroughputPhase, base: ThroughputPhase) {
  return {
    orders,
    ordersPerSecond: round(measured.perSecond, 2),
    baselinePerSecond: round(base.perSecond, 2),
    ratio: round(ratio(measured.perSecond, base.perSecond), 3),
    p50Ms: round(measured.latency.p50Ms),
    p95Ms: round(measured.latency.p95Ms),
    p99Ms: round(measured.latency.p99Ms),
    baseline: { p50Ms: round(base.latency.p50Ms), p95Ms: round(base.latency.p95Ms), p99Ms: round(base.latency.p99Ms) },
  };
}
