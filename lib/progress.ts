/**
 * Progress lines for slow first-run steps (building the Temporal CLI, migrating, seeding), so a new
 * user never watches a silent terminal. Time comes from a `Clock` so tests can run minutes in
 * microseconds.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref(); // a ticker never keeps the process alive on its own
    return () => clearInterval(timer);
  },
};

/** "45s", "2m10s", "1h02m05s": short enough for a progress line, unambiguous. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(seconds)}s`;
  if (minutes > 0) return `${minutes}m${pad(seconds)}s`;
  return `${seconds}s`;
}

export interface ProgressOptions {
  clock?: Clock;
  say: (line: string) => void;
  /** At most this long between two lines. */
  everyMs: number;
  /** The repeated line, given the time elapsed so far, e.g. "migrating the database: 30s". */
  line: (elapsed: string) => string;
}

/** Runs `work`, saying `line(elapsed)` every `everyMs` while it has not finished. */
export async function withProgress<T>(work: () => Promise<T>, options: ProgressOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const stop = clock.every(options.everyMs, () => options.say(options.line(formatElapsed(clock.now() - started))));
  try {
    return await work();
  } finally {
    stop();
  }
}
