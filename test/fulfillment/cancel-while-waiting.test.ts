/**
 * An order cancelled while a step waits for a person (credit approval) used to end with that step
 * still `waiting` in the step events: the work queue, the timeline and the chaos soak kept offering a
 * credit decision on an order that had ended, and every decision was refused. Found by the soak.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFixture } from '../../fixtures/master-data';
import { placeOrder, stepOf } from '../support/flows';
import { startHarness, type Harness } from '../support/harness';
import { cancelRun } from '../../workflows/engine/messages';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

it('records a waiting step as cancelled when its order is cancelled', async () => {
  const f = await createFixture(h.db, { creditLimitMinor: 1_000 });
  const orderId = await placeOrder(h, f);
  await h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
  const handle = h.temporal.workflow.getHandle(orderId);
  const state = await handle.executeUpdate(cancelRun, {
    args: [{ reason: 'customer withdrew the PO', actor: 'ops:test' }],
  });
  expect(state.status).toBe('cancelled');
  expect(stepOf(state, 'credit-approval')?.status).toBe('cancelled');

  const [latest] = await h.db.stepEvent.findMany({
    where: { workflowId: orderId, step: 'credit-approval' },
    orderBy: { id: 'desc' },
    take: 1,
  });
  expect(latest).toMatchObject({ toStatus: 'cancelled', actor: 'ops:test', reason: 'customer withdrew the PO' });
  const timeline = (await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/timeline` })).json() as {
    events: { step: string; to: string }[];
  };
  expect(timeline.events.filter((e) => e.step === 'credit-approval').map((e) => e.to)).toEqual([
    'waiting',
    'cancelled',
  ]);

  if (process.env.RECORD_HISTORY) {
    writeFileSync(
      path.join(__dirname, '../replay/histories', `order-cancelled-waiting-v1__${orderId}.json`),
      JSON.stringify(await handle.fetchHistory()),
    );
  }
});
