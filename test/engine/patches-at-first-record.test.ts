/**
 * A query answered while a run's transition record (a local activity) finishes makes core end the
 * workflow task with the record's marker and run the code after it in a new task. A return records
 * `requested` before its first step, so every patch the engine asks in run() used to be first asked
 * in that next task: a worker replaying the history asked them before it knew their markers and failed
 * with "Non-deprecated patch marker encountered for change cancel-waits-for-running-step". Seen as the
 * second of two simultaneous returns "stuck at requested": the refused one had ended rejected, but every
 * query of it (a replay) failed, and a running return evicted from the cache would never move again.
 * The engine now asks its patches at the first record, before its local activity (patched).
 *
 * The layout depends on when a query lands, so the test records real runs and rewrites their histories
 * into it (test/support/history-split.ts), then replays them on today's code.
 */
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { env, useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { stepOf } from '../support/flows';
import { deliveredInvoicedOrder, startReturn } from '../support/returns';
import { splitTaskAfterFirstLocalActivity, isTaskEndedAfterFirstLocalActivity } from '../support/history-split';
import { cancelRun, getState } from '../../workflows/engine/messages';

const h = useHarness();

const replayErrors = async (workflowId: string, history: temporal.api.history.v1.IHistory): Promise<unknown[]> => {
  const errors: unknown[] = [];
  const results = Worker.runReplayHistories({ workflowBundle: { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') } }, [
    { workflowId, history },
  ]);
  for await (const result of results) if (result.error) errors.push(result.error);
  return errors;
};

describe('engine patches are asked before the first transition record', () => {
  it('replays a refused and an accepted return whose first task ended right after their first transition record', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f);
    const accepted = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 2, reasonCode: 'DAMAGED' }], { n: 1 });
    await h.waitForState(accepted.workflowId, (s) => stepOf(s, 'await-receipt')?.status === 'waiting');
    // Started once the first is accepted: a request being checked counts against the other's quantities.
    const refused = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 1000, reasonCode: 'DAMAGED' }], {
      n: 2,
    });
    const rejected = await refused.result();
    expect(rejected.status).toBe('rejected');
    expect(rejected.cancelReason).toContain('exceeds the 238 returnable');

    for (const handle of [accepted, refused]) {
      const history = await handle.fetchHistory();
      expect(await replayErrors(handle.workflowId, history)).toEqual([]);
      const split = temporal.api.history.v1.History.fromObject(splitTaskAfterFirstLocalActivity(history));
      // The code after the first record really runs in a task of its own (else the test proves nothing).
      expect(isTaskEndedAfterFirstLocalActivity(split)).toBe(true);
      expect(await replayErrors(handle.workflowId, split)).toEqual([]);
    }
    // A closed run is queried by replaying it: the refused return answers with its end state.
    expect((await refused.query(getState)).status).toBe('rejected');
    await accepted.executeUpdate(cancelRun, { args: [{ reason: 'test done', actor: 'ops:kim' }] });
  });
});
