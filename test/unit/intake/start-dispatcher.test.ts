/**
 * The start dispatcher's bookkeeping, against fakes of the Temporal client and the database: bounded
 * concurrency, paced starts while busy, one mark UPDATE for the starts that finished together, failures recorded for the
 * relay, duplicates ignored, and close() dropping the queue but waiting for what is in flight.
 */
import type { Client } from '@temporalio/client';
import { createStartDispatcher } from '../../../api/intake/dispatcher';
import type { Db } from '../../../lib/db';
import { createLogger } from '../../../lib/logger';
import type { ClosedWonEvent } from '../../../domain/closed-won';

const event = (dealId: string) => ({ dealId }) as ClosedWonEvent;

function fakes() {
  const pending: { workflowId: string; settle: (error?: Error) => void }[] = [];
  const statements: { sql: string; values: unknown[] }[] = [];
  let maxInFlight = 0;
  const temporal = {
    withDeadline: <R>(_deadline: number, fn: () => Promise<R>) => fn(),
    workflow: {
      start: (_type: string, options: { workflowId: string }) =>
        new Promise((resolve, reject) => {
          pending.push({
            workflowId: options.workflowId,
            settle: (error) => (error ? reject(error) : resolve({ firstExecutionRunId: `run-${options.workflowId}` })),
          });
          maxInFlight = Math.max(maxInFlight, pending.length);
        }),
    },
  } as unknown as Client;
  const db = {
    $executeRaw: async (strings: TemplateStringsArray, ...values: unknown[]) => {
      statements.push({ sql: strings.join('?'), values });
      return 1;
    },
  } as unknown as Db;
  /** Lets the oldest pending start finish (or fail), then lets the dispatcher react. */
  const finish = async (error?: Error) => {
    pending.shift()!.settle(error);
    await new Promise((r) => setImmediate(r));
  };
  return { temporal, db, pending, statements, finish, maxInFlight: () => maxInFlight };
}

const log = createLogger('silent');

describe('start dispatcher', () => {
  it('runs at most `concurrency` starts at once and takes the next one as a start finishes', async () => {
    const f = fakes();
    const dispatcher = createStartDispatcher(
      { db: f.db, temporal: f.temporal, taskQueue: 'q', log },
      { concurrency: 2, busyThreshold: 1 },
    ); // never throttled by the event loop's load here
    for (const id of ['A', 'B', 'C', 'D']) dispatcher.kick(event(id));
    expect(f.pending.map((p) => p.workflowId)).toEqual(['order-A', 'order-B']);
    await f.finish();
    expect(f.pending.map((p) => p.workflowId)).toEqual(['order-B', 'order-C']);
    while (f.pending.length > 0) await f.finish();
    await dispatcher.idle();
    expect(f.maxInFlight()).toBe(2);
    expect(f.statements.flatMap((s) => s.values[1] as string[]).sort()).toEqual(['A', 'B', 'C', 'D']);
  });

  it('marks the starts that finished within markDelayMs, and those that finished during an UPDATE, each in one UPDATE', async () => {
    const f = fakes();
    let releaseFirstUpdate: () => void = () => undefined;
    const slowDb = {
      $executeRaw: (strings: TemplateStringsArray, ...values: unknown[]) => {
        f.statements.push({ sql: strings.join('?'), values });
        return f.statements.length === 1 ? new Promise((r) => (releaseFirstUpdate = () => r(1))) : Promise.resolve(1);
      },
    } as unknown as Db;
    const dispatcher = createStartDispatcher(
      { db: slowDb, temporal: f.temporal, taskQueue: 'q', log },
      { concurrency: 4, busyThreshold: 1, markDelayMs: 400 },
    );
    for (const id of ['A', 'B', 'C', 'D', 'E']) dispatcher.kick(event(id));
    await f.finish();
    await f.finish(); // A and B finish within the delay
    expect(f.statements).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 800)); // their UPDATE starts and hangs
    expect(f.statements.map((s) => s.values[1])).toEqual([['A', 'B']]);
    await f.finish();
    await f.finish();
    await f.finish(); // C, D, E finish meanwhile
    expect(dispatcher.isHolding('D')).toBe(true); // started, not marked yet: the relay leaves it alone
    expect(dispatcher.isHolding('A')).toBe(true); // its UPDATE is not committed yet
    releaseFirstUpdate();
    await dispatcher.idle();
    expect(f.statements.map((s) => s.values[1])).toEqual([
      ['A', 'B'],
      ['C', 'D', 'E'],
    ]);
    expect(f.statements.every((s) => s.sql.includes('started_at IS NULL'))).toBe(true);
    expect(dispatcher.isHolding('D')).toBe(false);
    expect(dispatcher.isHolding('A')).toBe(false);
  });

  it('while the event loop is busy, starts one at a time at most every busyStartIntervalMs, resuming by itself without a kick', async () => {
    const f = fakes();
    // busyThreshold -1: every sample counts as busy.
    const dispatcher = createStartDispatcher(
      { db: f.db, temporal: f.temporal, taskQueue: 'q', log },
      { concurrency: 4, busyThreshold: -1, busyStartIntervalMs: 300 },
    );
    for (const id of ['A', 'B', 'C']) dispatcher.kick(event(id));
    expect(f.pending.map((p) => p.workflowId)).toEqual(['order-A']);
    await f.finish();
    expect(f.pending).toHaveLength(0); // B waits for the interval
    await new Promise((r) => setTimeout(r, 600));
    expect(f.pending.map((p) => p.workflowId)).toEqual(['order-B']); // started by the timer, no kick needed
    await f.finish();
    await new Promise((r) => setTimeout(r, 600));
    await f.finish();
    await dispatcher.idle();
    expect(f.maxInFlight()).toBe(1);
    expect(f.statements.flatMap((s) => s.values[1] as string[]).sort()).toEqual(['A', 'B', 'C']);
  });

  it('records a failed start on the inbox row and leaves it to the relay', async () => {
    const f = fakes();
    const dispatcher = createStartDispatcher({ db: f.db, temporal: f.temporal, taskQueue: 'q', log });
    dispatcher.kick(event('A'));
    await f.finish(new Error('14 UNAVAILABLE: connection refused'));
    await dispatcher.idle();
    expect(f.statements).toHaveLength(1);
    expect(f.statements[0]!.sql).toContain('attempts = attempts + 1');
    expect(f.statements[0]!.values).toContain('14 UNAVAILABLE: connection refused');
    expect(dispatcher.isHolding('A')).toBe(false);
  });

  it('ignores a deal it already holds, and one beyond maxQueued (warning once per overflow)', async () => {
    const f = fakes();
    const warnings: string[] = [];
    const watched = Object.assign(Object.create(log), {
      warn: (_fields: object, message: string) => warnings.push(message),
    }) as typeof log;
    const dispatcher = createStartDispatcher(
      { db: f.db, temporal: f.temporal, taskQueue: 'q', log: watched },
      { concurrency: 1, maxQueued: 1 },
    );
    dispatcher.kick(event('A')); // starting
    dispatcher.kick(event('A'));
    dispatcher.kick(event('B')); // queued
    dispatcher.kick(event('B'));
    dispatcher.kick(event('C')); // queue full: the relay will start it
    dispatcher.kick(event('D')); // still full: no second warning
    expect(dispatcher.isHolding('C')).toBe(false);
    expect(warnings).toEqual(['start dispatcher queue full: further accepted events wait for the inbox relay']);
    while (f.pending.length > 0) await f.finish();
    await dispatcher.idle();
    expect(f.statements.flatMap((s) => s.values[1] as string[])).toEqual(['A', 'B']);
  });

  it('on close, drops the queue, waits for the start in flight, and takes no more kicks', async () => {
    const f = fakes();
    const dispatcher = createStartDispatcher(
      { db: f.db, temporal: f.temporal, taskQueue: 'q', log },
      { concurrency: 1 },
    );
    dispatcher.kick(event('A'));
    dispatcher.kick(event('B'));
    let isClosed = false;
    const closing = dispatcher.close().then(() => (isClosed = true));
    await new Promise((r) => setImmediate(r));
    expect(isClosed).toBe(false); // A is still starting
    dispatcher.kick(event('C'));
    await f.finish();
    await closing;
    expect(f.pending).toHaveLength(0); // B and C never started: they are in the inbox for the relay
    expect(f.statements.flatMap((s) => s.values[1] as string[])).toEqual(['A']);
  });
});
