/**
 * A closed-loop load driver: `count` tasks, at most `concurrency` in flight, the next one starting as
 * soon as one finishes. The first failure stops new starts and is rethrown once the running ones end.
 */
export async function runWithConcurrency<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  if (!(concurrency >= 1)) throw new Error(`concurrency must be >= 1 (got ${concurrency})`);
  const results: T[] = new Array<T>(count);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < count && !failure) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  if (failure) throw failure.error;
  return results;
}
