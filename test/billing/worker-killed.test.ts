/**
 * A worker process killed with SIGKILL in the middle of an invoice's ERP posting: another worker
 * finishes the invoice from its history with one invoice number, one ERP posting and one e-mail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { env, startHarness, TEST_CRM_SECRET, type Harness } from '../support/harness';
import { createFixture } from '../support/fixtures';
import { shippedOrder, startInvoice } from '../support/billing';

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

describe('worker process killed mid-invoice', () => {
  it('still yields one invoice, one ERP posting and one e-mail', async () => {
    await h.stopWorker();
    child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'workers', 'main.ts')], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env('CLOSEDLOOP_TEST_TEMPORAL_ADDRESS'),
        TEMPORAL_TASK_QUEUE: h.taskQueue,
        DATABASE_URL: env('CLOSEDLOOP_TEST_DATABASE_URL'),
        SMTP_URL: h.mail.url,
        CRM_WEBHOOK_SECRET: TEST_CRM_SECRET,
        FAULT_LATENCY_MS: '4000', // slow ERP: the worker is caught inside the posting
        LOG_LEVEL: 'warn',
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cl-worker-')),
      },
      stdio: 'ignore',
    });
    const f = await createFixture(h.db);
    const order = await shippedOrder(h, f, [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 20 }], freightCostMinor: 4_000 }]);
    const handle = await startInvoice(h, order);
    const invoiceId = handle.workflowId;
    await until(
      async () => (await h.db.stepEvent.count({ where: { workflowId: invoiceId, step: 'post-to-erp', toStatus: 'running' } })) > 0,
      'the worker process to start post-to-erp',
      90_000,
    );
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    await h.startWorker({}); // the activity's timeout expires, and this worker retries it
    await h.waitForState(invoiceId, (s) => s.status === 'sent', 110_000);

    const invoice = await h.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    expect(invoice.invoiceNumber).toMatch(/^INV-/);
    expect(await h.db.invoice.count({ where: { orderId: order.orderId } })).toBe(1);
    expect(await h.db.erpReceivable.count({ where: { invoiceNumber: invoice.invoiceNumber!, kind: 'invoice' } })).toBe(1);
    const sent = await h.db.outboundEmail.findMany({ where: { orderId: order.orderId, template: 'invoice' } });
    expect(sent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.mail.messages().filter((m) => m.messageId === sent[0]!.messageId)).toHaveLength(1);
  }, 200_000);
});
