/**
 * One autocannon run against one target: closed-loop load, `connections` connections each with one
 * request in flight (no pipelining), for `durationSeconds`. Successes are 2xx answers only; their
 * latencies are kept at full precision from autocannon's `response` events (its own histogram rounds
 * to whole milliseconds, too coarse for the bare baseline). Other answers and socket errors are counted.
 */
import autocannon from 'autocannon';
import { percentile } from '../stats';

export interface LoadSettings {
  url: string;
  connections: number;
  durationSeconds: number;
  requests: autocannon.Request[];
}

export interface LoadResult {
  durationSeconds: number;
  /** 2xx answers. */
  successes: number;
  non2xx: number;
  /** Socket errors and timeouts (no answer at all). */
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
  /** 2xx answers per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

/** Request timeout of every run, in seconds: a read waits up to 5 s for Temporal, so well above it. */
export const REQUEST_TIMEOUT_SECONDS = 30;

export async function fire(settings: LoadSettings): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: settings.url,
        connections: settings.connections,
        duration: settings.durationSeconds,
        pipelining: 1,
        timeout: REQUEST_TIMEOUT_SECONDS,
        requests: settings.requests,
        excludeErrorStats: true,
      },
      (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
    });
  });
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]),
  );
  const successes = result['2xx'];
  const has = latencies.length > 0;
  return {
    durationSeconds: result.duration,
    successes,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    rps: successes / result.duration,
    p50Ms: has ? percentile(latencies, 50) : NaN,
    p99Ms: has ? percentile(latencies, 99) : NaN,
    meanMs: has ? latencies.reduce((a, b) => a + b, 0) / latencies.length : NaN,
  };
}
