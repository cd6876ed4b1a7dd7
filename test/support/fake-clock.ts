import type { Clock } from '../../lib/progress';

/**
 * Virtual time for unit tests: `sleep` and `advance` move time forward at once and fire every ticker
 * that falls due on the way, in order, so minutes of waiting run in microseconds.
 */
export class FakeClock implements Clock {
  private time: number;
  private tickers: { everyMs: number; next: number; tick: () => void }[] = [];
  /** Called after every sleep, with the time reached: lets a test change the world "meanwhile". */
  onSleep: (now: number) => void = () => {};

  constructor(start = Date.UTC(2026, 10, 28, 9, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    this.advance(ms);
    this.onSleep(this.time);
    return Promise.resolve();
  }

  every(everyMs: number, tick: () => void): () => void {
    const ticker = { everyMs, next: this.time + everyMs, tick };
    this.tickers.push(ticker);
    return () => {
      this.tickers = this.tickers.filter((t) => t !== ticker);
    };
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.tickers.filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.time = due.next;
      due.next += due.everyMs;
      due.tick();
    }
    this.time = end;
  }
}
