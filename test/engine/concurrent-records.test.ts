/**
 * An ops update (hold, release) records its transition with a local activity while the run's main loop
 * records its own: two local activities in flight at once. Their results arrive in separate activations
 * when they run, but together when a worker without the run in its cache replays the history, so the
 * commands after them came out in another order and replay failed with a nondeterminism error (found
 * by the chaos soak: "Activity machine does not handle this event: WorkflowExecutionUpdateCompleted",
 * the order stuck for good). Transition records now run one at a time (patched), so a replay sees the
 * same activations as the run did.
 */
import { Worker } from '@temporalio/worker';
import { createFixture, type Fixture } from '../../fixtures/master-data';
import { placeOrder } from '../support/flows';
import { env, startHarness, type Harness } from '../support/harness';
import { holdOrder, releaseOrder } from '../../workflows/fulfillment/messages';

let h: Harness;
let f: Fixture;

beforeAll(async () => {
  h = await startHarness();
  f = await createFixture(h.db);
});
afterAll(() => h.stop());

it('replays an order that ops held and released between its steps, on a worker without its cache', async () => {
  const orderId = await placeOrder(h, f);
  const handle = h.temporal.workflow.getHandle(orderId);
  await h.waitForState(orderId, (s) => s.steps.some((st) => st.status === 'completed'));
  for (let round = 0; round < 6; round += 1) {
    await handle.executeUpdate(holdOrder, { args: [{ reason: `round ${round}`, actor: 'ops:test' }] });
    // Blocked at a step boundary: held, nothing running (or past the declared steps).
    const held = await h.waitForState(orderId, (s) => !s.steps.some((st) => st.status === 'running'));
    await handle.executeUpdate(releaseOrder, { args: [{ actor: 'ops:test', reason: `go ${round}` }] });
    if (held.steps.every((st) => !['pending', 'running'].includes(st.status))) break;
  }
  await h.waitForState(orderId, (s) => s.status === 'shipped', 120_000);

  const history = await handle.fetchHistory();
  const results = Worker.runReplayHistories({ workflowBundle: { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') } }, [
    { workflowId: orderId, history },
  ]);
  for await (const result of results) expect(result.error).toBeUndefined();
});
