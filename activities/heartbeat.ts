/**
 * Step activities heartbeat while they run. The engine schedules them with a heartbeat timeout and
 * waits for a cancelled attempt to finish (workflows/engine/step-runner.ts execute): the heartbeat is how the
 * server tells the attempt it was cancelled, and how a dead worker's attempt is noticed long before
 * its start-to-close timeout.
 *
 * The work itself is not interrupted on cancellation: each effect commits whole or not at all (one
 * transaction, one keyed request), and the workflow compensates once the attempt is over. Stopping
 * halfway through an outside call would only leave it unknown whether the effect happened.
 */
import { Context } from '@temporalio/activity';

/** Well within the engine's heartbeat timeout (20 s); the SDK throttles what it actually sends. */
const HEARTBEAT_INTERVAL_MS = 5_000;

export function heartbeating<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    let context: Context;
    try {
      context = Context.current();
    } catch {
      return fn(...args); // called directly, outside an activity (tests, scripts)
    }
    if (context.info.isLocal) return fn(...args);
    context.heartbeat();
    const timer = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
    }
  };
}
