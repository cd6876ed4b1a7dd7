/**
 * A worker process killed with SIGKILL in the middle of a step: another worker finishes the order from
 * its history, and every e-mail still reaches the SMTP capture exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { env, startHarness, TEST_CRM_SECRET, type Harness } from '../support/harness';
import { createFixture } from '../support/fixtures';
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

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('worker process killed mid-step', () => {
  it('completes the order with every e-mail sent exactly once', async () => {
    await h.stopWorker();
    // The real worker entry point, in its own process, with slow adapters so it is caught mid-step.
    child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'workers', 'main.ts')], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env('CLOSEDLOOP_TEST_TEMPORAL_ADDRESS'),
        TEMPORAL_TASK_QUEUE: h.taskQueue,
        DATABASE_URL: env('CLOSEDLOOP_TEST_DATABASE_URL'),
        SMTP_URL: h.mail.url,
        CRM_WEBHOOK_SECRET: TEST_CRM_SECRET,
        FAULT_LATENCY_MS: '5000',
        LOG_LEVEL: 'warn',
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cl-worker-')),
      },
      stdio: 'ignore',
    });
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await until(
      async () => (await h.db.stepEvent.count({ where: { workflowId: orderId, step: 'validate-order', toStatus: 'running' } })) > 0,
      'the worker process to start validate-order',
    );
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    await h.startWorker({}); // the activity's timeout expires, and this worker retries it
    await h.waitForState(orderId, (s) => s.status === 'shipped', 100_000);

    const sent = await h.db.outboundEmail.findMany({ where: { orderId } });
    expect(sent.map((m) => m.template).sort()).toEqual(['advance-ship-notice', 'order-confirmation', 'order-received', 'shipped']);
    await new Promise((r) => setTimeout(r, 500));
    const captured = h.mail.messages().filter((m) => sent.some((s) => s.messageId === m.messageId));
    expect(captured.map((m) => m.messageId).sort()).toEqual(sent.map((s) => s.messageId).sort()); // each once
    expect(await h.db.erpOrder.count({ where: { orderId } })).toBe(1);
  }, 150_000);
});
