/**
 * Timing wrappers for the API's two outside calls, so the benchmark can say where intake time goes.
 * They add no behaviour: same arguments, same results, same errors; only the elapsed time of each call
 * is added to a StageClock. The database is timed at the driver, below Prisma: the wait for a pool
 * connection and each SQL statement (so a Prisma operation shows its BEGIN/UPDATE/COMMIT). A Prisma
 * query extension would name the model too, but costs more per call than what it measures.
 */
import pg from 'pg';
import type { Client } from '@temporalio/client';
import type { StageClock } from './stages';

/** Times `workflow.start` (the intake's start RPC) and handle queries (the order read's live state) in place. */
export function timeTemporal(temporal: Client, clock: StageClock): void {
  const workflows = temporal.workflow;
  const start = workflows.start.bind(workflows);
  workflows.start = ((...args: Parameters<typeof start>) =>
    clock.time('temporal workflow.start RPC', () => start(...args))) as typeof start;
  const getHandle = workflows.getHandle.bind(workflows);
  workflows.getHandle = ((...args: Parameters<typeof getHandle>) => {
    const handle = getHandle(...args);
    const query = handle.query.bind(handle);
    handle.query = ((...queryArgs: Parameters<typeof query>) =>
      clock.time('temporal query getState', () => query(...queryArgs))) as typeof query;
    return handle;
  }) as typeof getHandle;
}

type Callback = (error: Error | undefined, ...rest: unknown[]) => void;

/** The first word of a statement, upper-cased: BEGIN, INSERT, SELECT, COMMIT... */
function statementKind(args: unknown[]): string {
  const first = args[0];
  const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
  return (/^\s*(\w+)/.exec(text)?.[1] ?? '?').toUpperCase();
}

/**
 * Times the `pg` driver under Prisma's adapter (lib/db.ts uses @prisma/adapter-pg, which uses pg's
 * Pool): `Pool.connect` as the wait for a connection, `Client.query` per statement kind. Patches the
 * prototypes, so it is for this benchmark's API process only. Both callback and promise forms are
 * kept as they are (pg-pool's own `query` uses the callback forms).
 */
export function timePgDriver(clock: StageClock): void {
  const timeCall = (name: () => string, original: (...args: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]): unknown {
      const started = performance.now();
      const done = () => clock.add(name(), performance.now() - started);
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        const callback = last as Callback;
        args[args.length - 1] = (error: Error | undefined, ...rest: unknown[]) => {
          done();
          callback(error, ...rest);
        };
        return original.apply(this, args);
      }
      const result = original.apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(done, done);
      }
      return result;
    };
  const pool = pg.Pool.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  pool.connect = timeCall(() => 'pg pool: wait for a connection', pool.connect);
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = client.query;
  client.query = function (this: unknown, ...args: unknown[]): unknown {
    const kind = statementKind(args);
    return timeCall(() => `pg ${kind}`, query).apply(this, args);
  };
}
