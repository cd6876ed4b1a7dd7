import { runWithConcurrency } from '../../../bench/load';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runWithConcurrency', () => {
  it.each([1, 3, 20])('never has more than %i tasks in flight and runs every task once', async (concurrency) => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const results = await runWithConcurrency(25, concurrency, async (i) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      seen.push(i);
      await tick();
      await tick();
      inFlight -= 1;
      return i * 2;
    });
    expect(peak).toBe(Math.min(concurrency, 25));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(results).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
  });

  it('starts nothing new after a failure and rethrows the first one', async () => {
    const started: number[] = [];
    await expect(
      runWithConcurrency(10, 2, async (i) => {
        started.push(i);
        await tick();
        if (i === 1) throw new Error('order 1 failed');
        return i;
      }),
    ).rejects.toThrow('order 1 failed');
    expect(started.length).toBeLessThanOrEqual(3);
  });

  it('refuses a concurrency below 1', async () => {
    await expect(runWithConcurrency(1, 0, async () => 1)).rejects.toThrow('concurrency must be >= 1 (got 0)');
  });
});
