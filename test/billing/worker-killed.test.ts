/**
 * A worker process killed with SIGKILL in the middle of an invoice's ERP posting: another worker
 * finishes the invoice from its history with one invoice number, one ERP posting and one e-mail.
 */
import type { ChildProcess } from 'node:child_process';
import { startHarness, type Harness } from '../support/harness';
import { killProcess, spawnWorkerProcess, until } from '../support/worker-process';
import { createFixture } from '../../fixtures/master-data';
import { shippedOrder, startInvoice } from '../../fixtures/billing';

let h: Harness;
let child: ChildProcess | undefined;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await h?.stop();
});

describe('worker process killed mid-invoice', () => {
  it('still yields one invoice, one ERP posting and one e-mail', async () => {
    await h.stopWorker();
    // slow ERP: the worker is caught inside the posting
    child = spawnWorkerProcess(h, 4000);
    const f = await createFixture(h.db);
    const order = await shippedOrder(h, f, [
      { lines: [{ lineNo: 1, sku: 'valve', quantity: 20 }], freightCostMinor: 4_000 },
    ]);
    const handle = await startInvoice(h, order);
    const invoiceId = handle.workflowId;
    await until(
      async () =>
        (await h.db.stepEvent.count({ where: { workflowId: invoiceId, step: 'post-to-erp', toStatus: 'running' } })) >
        0,
      'the worker process to start post-to-erp',
      90_000,
    );
    await killProcess(child);

    await h.startWorker({}); // the activity's timeout expires, and this worker retries it
    await h.waitForState(invoiceId, (s) => s.status === 'sent', 110_000);

    const invoice = await h.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    expect(invoice.invoiceNumber).toMatch(/^INV-/);
    expect(await h.db.invoice.count({ where: { orderId: order.orderId } })).toBe(1);
    expect(await h.db.erpReceivable.count({ where: { invoiceNumber: invoice.invoiceNumber!, kind: 'invoice' } })).toBe(
      1,
    );
    const sent = await h.db.outboundEmail.findMany({ where: { orderId: order.orderId, template: 'invoice' } });
    expect(sent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.mail.messages().filter((m) => m.messageId === sent[0]!.messageId)).toHaveLength(1);
  }, 200_000);
});
