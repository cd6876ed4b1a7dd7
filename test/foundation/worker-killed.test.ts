/**
 * A worker process killed with SIGKILL in the middle of a step: another worker finishes the order from
 * its history, and every e-mail still reaches the SMTP capture exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { startHarness, type Harness } from '../support/harness';
import { killProcess, spawnWorkerProcess, until } from '../support/worker-process';
import { createFixture } from '../../fixtures/master-data';
import { placeOrder } from '../support/flows';

let h: Harness;
let child: ChildProcess | undefined;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await h?.stop();
});

describe('worker process killed mid-step', () => {
  it('completes the order with every e-mail sent exactly once', async () => {
    await h.stopWorker();
    child = spawnWorkerProcess(h, 5000); // slow adapters: the worker is caught mid-step
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await until(
      async () =>
        (await h.db.stepEvent.count({ where: { workflowId: orderId, step: 'validate-order', toStatus: 'running' } })) >
        0,
      'the worker process to start validate-order',
    );
    await killProcess(child);

    await h.startWorker({}); // the activity's timeout expires, and this worker retries it
    await h.waitForState(orderId, (s) => s.status === 'shipped', 100_000);

    const sent = await h.db.outboundEmail.findMany({ where: { orderId } });
    expect(sent.map((m) => m.template).sort()).toEqual([
      'advance-ship-notice',
      'order-confirmation',
      'order-received',
      'shipped',
    ]);
    await new Promise((r) => setTimeout(r, 500));
    const captured = h.mail.messages().filter((m) => sent.some((s) => s.messageId === m.messageId));
    expect(captured.map((m) => m.messageId).sort()).toEqual(sent.map((s) => s.messageId).sort()); // each once
    expect(await h.db.erpOrder.count({ where: { orderId } })).toBe(1);
  }, 150_000);
});
