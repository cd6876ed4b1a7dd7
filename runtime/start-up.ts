/**
 * What every start-up phase shares: the configuration and log, the parts started so far (stopped in
 * reverse), and `step`, which says what a slow step does and again every few seconds.
 */
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { withProgress } from '../lib/progress';

/** A first start's slow steps (PGlite, migrations, seed) say what they do, then again every few seconds. */
const STEP_PROGRESS_EVERY_MS = 5_000;

export interface StartUp {
  config: Config;
  log: Logger;
  /** Adds a started part; parts stop in reverse order. */
  started(name: string, stop: () => Promise<unknown> | unknown): void;
  step<T>(what: string, work: () => Promise<T>, expect?: string): Promise<T>;
  /** Stops every started part, newest first; a part that fails to stop is logged and the rest go on. */
  stopAll(): Promise<void>;
}

export function createStartUp(config: Config, log: Logger): StartUp {
  const stack: { name: string; stop: () => Promise<unknown> | unknown }[] = [];
  return {
    config,
    log,
    started: (name, stop) => {
      stack.push({ name, stop });
    },
    step: (what, work, expect) => {
      log.info(`${what}${expect ? `; ${expect}` : ''}...`);
      return withProgress(work, {
        say: (line) => log.info(line),
        everyMs: STEP_PROGRESS_EVERY_MS,
        line: (elapsed) => `${what}: ${elapsed}`,
      });
    },
    stopAll: async () => {
      for (const part of stack.reverse()) {
        try {
          await part.stop();
        } catch (error) {
          log.warn(
            { part: part.name, err: error instanceof Error ? error.message : String(error) },
            'error while stopping',
          );
        }
      }
    },
  };
}
