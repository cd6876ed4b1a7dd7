/**
 * The engine asks its own patches at a run's first transition record (patches-at-first-record.test.ts);
 * the order and the invoice ask theirs at their start. A patch first asked right after a transition
 * record's local activity is recorded in the next workflow task whenever a query is answered while the
 * record finishes, and a worker replaying that history asks it too early and fails ("Non-deprecated
 * patch marker encountered for change billing-handoff"): every query of the run fails and a run
 * evicted from the cache never moves again. The order asked 'billing-handoff' right after its last
 * step's record; racing invoice updates are covered in test/billing/racing-updates.test.ts.
 *
 * Which record a query lands on cannot be timed, so the test records a real order (its shipment and
 * its invoice) and replays each history split after every one of its transition records.
 */
import { createFixture } from '../../fixtures/master-data';
import { env, useHarness } from '../support/harness';
import { deliveredInvoicedOrder } from '../support/returns';
import { splitReplayFailures } from '../support/history-split';

const h = useHarness();

describe('workflow patches are asked before any transition record', () => {
  it('replays a fulfilled order, its shipment and its invoice split after each of their transition records', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f);
    for (const workflowId of [order.orderId, order.shipmentId, order.invoiceId]) {
      const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
      const failures = await splitReplayFailures(workflowId, history, env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE'));
      expect({ workflowId, failures }).toEqual({ workflowId, failures: [] });
    }
  });
});
