import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { stepOf } from '../support/flows';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { allocateInvoiceNumber } from '../../activities/billing/issue-invoice';
import { cancelRun } from '../../workflows/engine/messages';

const h = useHarness();

const draftRow = (id: string, customerId: string) => ({
  id,
  idempotencyKey: id,
  orderId: 'order-NUMBERS',
  customerId,
  shipmentIds: [],
  currency: 'USD',
  status: 'draft',
  paymentTerms: 'NET30',
  subtotalMinor: 100n,
  taxMinor: 0n,
  totalMinor: 100n,
  taxRateBp: 0,
  isTaxExempt: false,
  lines: {},
  billTo: {},
});

/**
 * Counter and issued numbers read in one statement, so concurrent test files cannot tear the picture.
 * Only the series the counter hands out (INV-n): other tests insert rows with numbers of their own.
 */
const series = async () => {
  const [row] = await h.db.$queryRaw<{ last_number: bigint; issued: bigint; highest: number | null }[]>`
    SELECT (SELECT last_number FROM invoice_counter WHERE id = 'invoice') AS last_number,
           (SELECT count(*) FROM invoice WHERE invoice_number ~ '^INV-[0-9]+$') AS issued,
           (SELECT max(substring(invoice_number from 5)::int) FROM invoice WHERE invoice_number ~ '^INV-[0-9]+$') AS highest`;
  return { last: Number(row!.last_number), issued: Number(row!.issued), highest: row!.highest ?? 0 };
};

describe('invoice numbers', () => {
  it('hands out sequential numbers without gaps to 50 invoices issued concurrently, even when some issues fail', async () => {
    const f = await createFixture(h.db);
    const ids = Array.from({ length: 50 }, (_, i) => `invoice-NUM-${f.tag}-${i}`);
    await h.db.invoice.createMany({ data: ids.map((id) => draftRow(id, f.customerId)) });
    const fields = { issueDate: '2026-11-25', dueDate: '2026-12-25' };
    // Ten attempts on invoices that do not exist fail inside their transaction, interleaved with the real ones.
    const attempts = [...ids, ...Array.from({ length: 10 }, (_, i) => `invoice-NUM-${f.tag}-missing-${i}`)].sort(
      () => Math.random() - 0.5,
    );
    const results = await Promise.allSettled(attempts.map((id) => allocateInvoiceNumber(h.db, id, fields)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(10);

    const numbers = (await h.db.invoice.findMany({ where: { id: { in: ids } } }))
      .map((r) => Number(r.invoiceNumber!.slice(4)))
      .sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    // No gaps anywhere in the series: as many issued invoices as numbers handed out, the highest is the counter.
    const { last, issued, highest } = await series();
    expect(issued).toBe(last);
    expect(highest).toBe(last);

    // Issuing again keeps the number.
    const again = await allocateInvoiceNumber(h.db, ids[0]!, fields);
    expect(again.isNew).toBe(false);
    expect((await series()).last).toBeGreaterThanOrEqual(last);
  });

  it('voids the draft when the invoice run is cancelled before issue, and consumes no number', async () => {
    await h.stopWorker();
    await h.startWorker({
      issueInvoice: async () => {
        throw new Error('numbering service offline');
      },
    });
    try {
      const f = await createFixture(h.db);
      const order = await shippedOrder(
        h,
        f,
        [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 1 }], freightCostMinor: 0 }],
        { freightTerms: 'prepaid' },
      );
      const handle = await startInvoice(h, order);
      await h.waitForState(handle.workflowId, (s) => stepOf(s, 'issue-invoice')?.status === 'needs_attention', 60_000);
      expect((await h.db.invoice.findUniqueOrThrow({ where: { id: handle.workflowId } })).status).toBe('draft');

      const cancelled = await handle.executeUpdate(cancelRun, {
        args: [{ reason: 'order billed by hand', actor: 'finance:ann' }],
      });
      expect(cancelled.steps.find((s) => s.name === 'draft-invoice')?.status).toBe('compensated');
      const final = await handle.result();
      expect(final.status).toBe('void');
      const row = await h.db.invoice.findUniqueOrThrow({ where: { id: handle.workflowId } });
      expect(row).toMatchObject({ status: 'void', invoiceNumber: null, closedReason: 'cancelled before issue' });
    } finally {
      await h.stopWorker();
      await h.startWorker({});
    }
  });
});
