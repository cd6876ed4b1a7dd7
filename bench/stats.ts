/**
 * Statistics for benchmarks: percentiles, latency summaries and throughput. Pure functions, so the
 * figures a benchmark prints are checked by unit tests (test/unit/bench/stats.test.ts).
 */

import { percentile } from '../domain/stats';

export { percentile };

export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Count, min, mean, p50/p95/p99 and max of latencies in milliseconds. */
export function summarize(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) throw new Error('summarize: no samples');
  const sum = latenciesMs.reduce((a, b) => a + b, 0);
  return {
    count: latenciesMs.length,
    minMs: Math.min(...latenciesMs),
    meanMs: sum / latenciesMs.length,
    p50Ms: percentile(latenciesMs, 50),
    p95Ms: percentile(latenciesMs, 95),
    p99Ms: percentile(latenciesMs, 99),
    maxMs: Math.max(...latenciesMs),
  };
}

/** Completed items per second over a wall-clock span in milliseconds. */
export function perSecond(count: number, elapsedMs: number): number {
  if (!(elapsedMs > 0)) throw new Error(`perSecond: elapsed time must be > 0 ms (got ${elapsedMs})`);
  if (!(count >= 0)) throw new Error(`perSecond: count must be >= 0 (got ${count})`);
  return (count * 1000) / elapsedMs;
}

/** measured / baseline; throws rather than print Infinity or NaN for an empty baseline. */
export function ratio(measured: number, baseline: number): number {
  if (!(baseline > 0)) throw new Error(`ratio: baseline must be > 0 (got ${baseline})`);
  return measured / baseline;
}

/** Rounds for printing and JSON: figures, not float noise. */
export function round(value: number, decimals = 1): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
