/**
 * Time spent per activity (and per outside call such as an SMTP send), measured in process by wrapping
 * the functions the worker registers. The wrappers add no behaviour: same arguments, same result, same
 * errors; only the elapsed time is added to the total for that name.
 */
export interface TimeTotal {
  name: string;
  calls: number;
  totalMs: number;
}

export class Stopwatch {
  private readonly totals = new Map<string, TimeTotal>();
  private running = 0;
  private lastFinished = performance.now();

  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.running += 1;
    try {
      return await fn();
    } finally {
      this.running -= 1;
      this.lastFinished = performance.now();
      const total = this.totals.get(name) ?? { name, calls: 0, totalMs: 0 };
      total.calls += 1;
      total.totalMs += performance.now() - started;
      this.totals.set(name, total);
    }
  }

  /** Each function of `fns` wrapped to time its calls under its own name (with `prefix`). */
  wrapAll<T extends Record<string, (...args: never[]) => Promise<unknown>>>(fns: T, prefix = ''): T {
    return Object.fromEntries(
      Object.entries(fns).map(([name, fn]) => [
        name,
        (...args: never[]) => this.time(`${prefix}${name}`, () => fn(...args)),
      ]),
    ) as T;
  }

  /**
   * Resolves once nothing timed has run for `quietMs` (work a run leaves behind, such as an invoice
   * still being sent after its order completed, must not be counted in the next phase).
   */
  async settle(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.running > 0 || performance.now() - this.lastFinished < quietMs) {
      if (performance.now() > deadline)
        throw new Error(`work still running after ${timeoutMs / 1000} s (${this.running} calls in flight)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  reset(): void {
    this.totals.clear();
  }

  /** Totals, largest first. */
  snapshot(): TimeTotal[] {
    return [...this.totals.values()].map((t) => ({ ...t })).sort((a, b) => b.totalMs - a.totalMs);
  }
}
