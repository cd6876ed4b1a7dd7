/**
 * Where a request's time goes inside the API process: named stages with their call count and total
 * milliseconds. Filled by Fastify hooks (bench/api/server.ts) and by wrappers around the database
 * driver and the Temporal client (bench/api/instrument.ts); the benchmark takes and resets the totals
 * per phase.
 */
export interface StageTotal {
  name: string;
  calls: number;
  totalMs: number;
}

export class StageClock {
  private readonly totals = new Map<string, StageTotal>();
  private active = 0;

  /** Timed calls still running: zero for a while means the requests of a finished run have drained. */
  get inFlight(): number {
    return this.active;
  }

  add(name: string, elapsedMs: number): void {
    const total = this.totals.get(name) ?? { name, calls: 0, totalMs: 0 };
    total.calls += 1;
    total.totalMs += elapsedMs;
    this.totals.set(name, total);
  }

  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.add(name, performance.now() - started);
    }
  }

  /** The totals so far, in the order they were first seen; clears them. */
  take(): StageTotal[] {
    const taken = [...this.totals.values()].map((t) => ({ ...t }));
    this.totals.clear();
    return taken;
  }
}
