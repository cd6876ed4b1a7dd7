/**
 * A background loop that runs one pass at a time every `intervalMs` (the inbox relay, the CRM webhook
 * relay). A pass that throws is logged and retried next tick; `drain` runs a pass now (tests, shutdown).
 */
import type { Logger } from './logger';

export interface Poller {
  /** One pass now (or the one already running); resolves with what the pass reports. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export function startPoller(options: {
  name: string;
  intervalMs: number;
  log: Logger;
  pass: (isStopped: () => boolean) => Promise<number>;
}): Poller {
  let running: Promise<number> | undefined;
  let stopped = false;
  const isStopped = () => stopped;

  const timer = setInterval(() => {
    if (stopped || running) return;
    running = options
      .pass(isStopped)
      .catch((error) => {
        options.log.warn(
          { err: error instanceof Error ? error.message : String(error) },
          `${options.name} pass failed`,
        );
        return 0;
      })
      .finally(() => (running = undefined));
  }, options.intervalMs);
  timer.unref();

  return {
    drain: () => running ?? options.pass(isStopped),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
