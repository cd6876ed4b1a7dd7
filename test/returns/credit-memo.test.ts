import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { stepOf } from '../support/flows';
import { deliveredInvoicedOrder, startReturn } from '../support/returns';
import { applyBp } from '../../domain/billing/rounding';
import { formatMoney } from '../../domain/money';
import { expectInReadingOrder, overlappingItems, readingOrder, readPdf } from '../support/read-pdf';
import { getInvoice } from '../../workflows/billing/messages';
import { inspectReturn, receiveReturn } from '../../workflows/returns/messages';
import type { InvoiceAccount } from '../../activities/billing/types';

const h = useHarness();

const stockOf = async (warehouseId: string, sku: string) =>
  (await h.db.stock.findUniqueOrThrow({ where: { warehouseId_sku: { warehouseId, sku } } })).onHand;
const lotOf = async (warehouseId: string, sku: string, lotId: string) =>
  (await h.db.stockLot.findUniqueOrThrow({ where: { warehouseId_sku_lotId: { warehouseId, sku, lotId } } })).quantity;

describe('a return from request to credit memo', () => {
  it('auto-approves, books a label, restocks only the restocked units, credits with the restocking fee on the open invoice, e-mails once, CRM returned', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f);
    const lotId = order.solventLots[0]!.lotId;
    const invoiceBefore = (await h.temporal.workflow.getHandle(order.invoiceId).query(getInvoice)) as InvoiceAccount;

    // 10 valves (no longer needed) and 2 drums from the delivered lot (damaged): 21 500 + 18 400 = 39 900 <= 50 000 auto-approval.
    const handle = await startReturn(h, order, [
      { sku: f.sku.valve, quantity: 10, reasonCode: 'NOT_NEEDED' },
      { sku: f.sku.solvent, lotId, quantity: 2, reasonCode: 'DAMAGED' },
    ]);
    const labelled = await h.waitForState(handle.workflowId, (s) => stepOf(s, 'await-receipt')?.status === 'waiting');
    expect(labelled.status).toBe('label_booked');
    expect(stepOf(labelled, 'approve-return')?.status).toBe('not_required');
    const row = await h.db.returnRequest.findUniqueOrThrow({ where: { id: handle.workflowId } });
    expect(row).toMatchObject({
      orderId: order.orderId,
      customerId: f.customerId,
      status: 'label_booked',
      decision: 'auto-approved',
      valueMinor: 39_900n,
    });
    expect(row.trackingNumber).toMatch(/^R[A-Z-]{3}[0-9A-F]{12}$/); // R + carrier + key hash (carriers of other tests may win)

    const before = {
      valve: await stockOf(order.warehouseId, f.sku.valve),
      solvent: await stockOf(order.warehouseId, f.sku.solvent),
      lot: await lotOf(order.warehouseId, f.sku.solvent, lotId),
    };
    await handle.executeUpdate(receiveReturn, {
      args: [{ warehouseId: order.warehouseId, receivedAt: new Date().toISOString() }],
    });
    expect((await h.db.returnRequest.findUniqueOrThrow({ where: { id: handle.workflowId } })).status).toBe('received');
    // 8 valves back on the shelf, 2 scrapped (customer's reason: not credited); 1 drum restocked, 1 scrapped (damaged: credited).
    await handle.executeUpdate(inspectReturn, {
      args: [
        {
          lines: [
            { lineNo: 1, restock: 8, scrap: 2 },
            { lineNo: 2, restock: 1, scrap: 1 },
          ],
        },
      ],
    });

    const final = await handle.result();
    expect(final.status).toBe('completed');
    expect(await stockOf(order.warehouseId, f.sku.valve)).toBe(before.valve + 8);
    expect(await stockOf(order.warehouseId, f.sku.solvent)).toBe(before.solvent + 1);
    expect(await lotOf(order.warehouseId, f.sku.solvent, lotId)).toBe(before.lot + 1);
    const lines = await h.db.returnLine.findMany({
      where: { returnId: handle.workflowId },
      orderBy: { lineNo: 'asc' },
    });
    expect(lines.map((l) => [l.restockQuantity, l.scrapQuantity, l.acceptedQuantity, l.outcome])).toEqual([
      [8, 2, 8, 'mixed'],
      [1, 1, 2, 'mixed'],
    ]);

    // Credited: 8 x 21.50 + 2 x 92.00 = 356.00, less 15 % restocking fee (53.40), plus the invoice's tax per line.
    const invoiceRow = await h.db.invoice.findUniqueOrThrow({ where: { id: order.invoiceId } });
    const taxMinor = applyBp(8 * 2_150, invoiceRow.taxRateBp) + applyBp(2 * 9_200, invoiceRow.taxRateBp);
    const totalMinor = 35_600 - 5_340 + taxMinor;
    const memo = await h.db.creditMemo.findUniqueOrThrow({ where: { returnId: handle.workflowId } });
    expect(memo.creditMemoNumber).toMatch(/^CM-\d{7}$/);
    expect(memo).toMatchObject({
      merchandiseMinor: 35_600n,
      restockingFeeMinor: -5_340n,
      taxMinor: BigInt(taxMinor),
      totalMinor: BigInt(totalMinor),
      refundMinor: 0n,
      status: 'applied',
    });
    expect(memo.applications).toEqual([
      {
        invoiceId: order.invoiceId,
        invoiceNumber: invoiceBefore.invoiceNumber,
        appliedMinor: totalMinor,
        balanceAfterMinor: invoiceBefore.balanceMinor - totalMinor,
      },
    ]);

    // The invoice workflow owns the balance: it took the credit and the row and receivables follow.
    const invoiceAfter = (await h.temporal.workflow.getHandle(order.invoiceId).query(getInvoice)) as InvoiceAccount;
    expect(invoiceAfter).toMatchObject({
      balanceMinor: invoiceBefore.balanceMinor - totalMinor,
      creditedMinor: totalMinor,
      status: 'sent',
    });
    expect((await h.db.invoice.findUniqueOrThrow({ where: { id: order.invoiceId } })).creditedMinor).toBe(
      BigInt(totalMinor),
    );
    expect(
      await h.db.erpReceivable.count({
        where: { invoiceNumber: invoiceBefore.invoiceNumber!, kind: 'credit', amountMinor: BigInt(-totalMinor) },
      }),
    ).toBe(1);

    const mails = h.mail.messages().filter((m) => m.subject?.startsWith(`Credit memo ${memo.creditMemoNumber} `));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([order.event.customer.billingContact.email]);
    expect(mails[0]!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`${memo.creditMemoNumber}.pdf`, 'application/pdf'],
    ]);
    const memoPdf = readPdf(mails[0]!.attachments[0]!.content);
    expectInReadingOrder(readingOrder(memoPdf), [
      'Credit memo',
      memo.creditMemoNumber,
      'Return',
      handle.workflowId,
      'PO number',
      order.event.poNumber,
      'Bill to',
      '200 East Broad Street',
      'Qty credited',
      f.sku.valve,
      f.sku.solvent,
      'Restocking fee (15%)',
      formatMoney(-5_340, 'USD'),
      'Total credit',
      formatMoney(totalMinor, 'USD'),
      `Applied to invoice ${invoiceBefore.invoiceNumber}`,
      'Page 1 of 1',
    ]);
    expect(memoPdf.pages.flatMap(overlappingItems)).toEqual([]);
    expect(await h.db.crmMilestone.count({ where: { orderId: order.orderId, milestone: 'returned' } })).toBe(1);
    const statuses = await h.db.stepEvent.findMany({
      where: { workflowId: handle.workflowId, step: '*' },
      orderBy: { seq: 'asc' },
    });
    expect(statuses.map((e) => e.toStatus)).toEqual([
      'requested',
      'approved',
      'label_booked',
      'received',
      'inspected',
      'credited',
      'completed',
    ]);
    expect((await h.db.returnRequest.findUniqueOrThrow({ where: { id: handle.workflowId } })).status).toBe('completed');
  });

  it('refunds what the open invoices cannot absorb, and credit memo numbers follow each other without gaps', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f);
    const invoice = h.temporal.workflow.getHandle(order.invoiceId);
    const account = (await invoice.query(getInvoice)) as InvoiceAccount;
    // Paid all but 10.00: the credit takes those 10.00 off the invoice (closing it) and the rest is refunded.
    await invoice.executeUpdate('recordPayment', {
      args: [
        {
          amountMinor: account.balanceMinor - 1_000,
          reference: 'BANK-R1',
          receivedDate: new Date().toISOString().slice(0, 10),
        },
      ],
    });
    const handle = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 5, reasonCode: 'DEFECTIVE' }]);
    await h.waitForState(handle.workflowId, (s) => stepOf(s, 'await-receipt')?.status === 'waiting');
    await handle.executeUpdate(receiveReturn, {
      args: [{ warehouseId: order.warehouseId, receivedAt: new Date().toISOString() }],
    });
    await handle.executeUpdate(inspectReturn, { args: [{ lines: [{ lineNo: 1, restock: 0, scrap: 5 }] }] });
    expect((await handle.result()).status).toBe('completed');

    const memo = await h.db.creditMemo.findUniqueOrThrow({ where: { returnId: handle.workflowId } });
    const total = Number(memo.totalMinor);
    expect(memo).toMatchObject({
      merchandiseMinor: 10_750n,
      restockingFeeMinor: BigInt(-applyBp(10_750, 1_500)),
      status: 'refunded',
      refundMinor: BigInt(total - 1_000),
    });
    expect((await invoice.query(getInvoice)) as InvoiceAccount).toMatchObject({
      status: 'paid',
      balanceMinor: 0,
      creditedMinor: 1_000,
    });
    const refund = await h.db.erpRefund.findFirstOrThrow({ where: { creditMemoNumber: memo.creditMemoNumber } });
    expect(refund).toMatchObject({
      customerId: f.customerId,
      amountMinor: BigInt(total - 1_000),
      refundReference: memo.refundReference,
    });

    // Numbers the counter issued (CM-0000001); other tests store memos of their own under test numbers.
    const issued = (await h.db.creditMemo.findMany({ select: { creditMemoNumber: true } })).filter((m) =>
      /^CM-\d{7}$/.test(m.creditMemoNumber),
    );
    const numbers = issued.map((m) => Number(m.creditMemoNumber.slice(3))).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    const counter = await h.db.invoiceCounter.findUniqueOrThrow({ where: { id: 'credit-memo' } });
    expect(Number(counter.lastNumber)).toBe(numbers[numbers.length - 1]);
  });
});
