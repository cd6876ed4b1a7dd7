/**
 * The p-th percentile by the nearest-rank method: the smallest sample such that at least p % of the
 * samples are less than or equal to it. Always an observed value (no interpolation). Used by KPIs
 * (cycle times) and the benchmarks' latency figures.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile: no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: p must be in (0, 100] (got ${p})`);
  for (const [i, value] of samples.entries()) {
    if (!Number.isFinite(value)) throw new Error(`percentile: sample ${i} is not a finite number (got ${value})`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(1, rank) - 1]!;
}
