import type { WorkflowHandle } from '@temporalio/client';
import { useHarness } from '../support/harness';
import { createFixture, isoDay } from '../../fixtures/master-data';
import { placeOrder, stepOf } from '../support/flows';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { getInvoice, recordPayment } from '../../workflows/billing/messages';

const h = useHarness();

describe('dunning', () => {
  it('reminds before due, on due and when overdue, each e-mail once, then escalates to finance and puts the customer on credit hold', async () => {
    const f = await createFixture(h.db);
    const order = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 10 }], freightCostMinor: 0 }],
      { freightTerms: 'prepaid' },
    );
    // NET4 with 2-second "days": before-due-1 at 6 s, on-due at 8 s, overdue at 10, 12, 14 s, escalation at 14 s.
    // The first reminder leaves the invoice time to be posted and sent on a busy machine: one whose time
    // passed before the send would be skipped as stale (late-send-dunning.test.ts).
    const handle: WorkflowHandle = await startInvoice(h, order, {
      paymentTerms: 'NET4',
      dunning: {
        policy: { remindBeforeDays: [1], remindOnDueDate: true, overdueSteps: [1, 2, 3], escalateAfterDays: 3 },
        dayLength: '2s',
      },
    });
    const escalated = await h.waitForState(
      handle.workflowId,
      (s) => stepOf(s, 'escalate-invoice')?.status === 'completed',
      90_000,
    );
    expect(escalated.steps.map((s) => [s.name, s.status])).toEqual([
      ['draft-invoice', 'completed'],
      ['issue-invoice', 'completed'],
      ['post-to-erp', 'completed'],
      ['send-invoice', 'completed'],
      ['remind-before-due-1', 'completed'],
      ['remind-on-due', 'completed'],
      ['remind-overdue-1', 'completed'],
      ['remind-overdue-2', 'completed'],
      ['remind-overdue-3', 'completed'],
      ['escalate-invoice', 'completed'],
    ]);
    const state = await h.waitForState(handle.workflowId, (s) => s.needsAttention);
    expect(state.status).toBe('overdue');
    const account = await handle.query(getInvoice);
    expect(account).toMatchObject({ status: 'overdue', isEscalated: true, dueDate: isoDay(4) });

    const invoiceNumber = account.invoiceNumber!;
    const templates = (
      await h.db.outboundEmail.findMany({ where: { orderId: order.orderId }, orderBy: { createdAt: 'asc' } })
    ).map((m) => m.template);
    expect(templates).toEqual([
      'invoice',
      'dunning-before-due',
      'dunning-on-due',
      'dunning-overdue',
      'dunning-overdue',
      'dunning-overdue',
      'dunning-escalation',
    ]);
    const received = h.mail.messages().filter((m) => m.subject?.includes(invoiceNumber));
    expect(received.map((m) => m.subject!.split(':')[0])).toEqual([
      `Invoice ${invoiceNumber} for PO ${order.event.poNumber}`,
      'Payment reminder',
      'Payment due today',
      'OVERDUE',
      'OVERDUE',
      'OVERDUE',
      'ESCALATION',
    ]);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(received.length);
    expect(received.at(-1)!.to).toEqual(['finance@closedloop.test']);
    expect(received.slice(0, -1).every((m) => m.to.join() === order.event.customer.billingContact.email)).toBe(true);

    const row = await h.db.invoice.findUniqueOrThrow({ where: { id: handle.workflowId } });
    expect(row).toMatchObject({ status: 'overdue', isEscalated: true });
    expect((await h.db.customer.findUniqueOrThrow({ where: { id: f.customerId } })).isOnCreditHold).toBe(true);

    // The credit check honours the hold: the customer's next order waits for finance.
    const nextOrder = await placeOrder(h, f);
    const held = await h.waitForState(nextOrder, (s) => s.status === 'credit_hold');
    expect((held.results['credit-check'] as { reason: string }).reason).toContain('credit hold');

    // Paying the escalated invoice ends the run and lifts the hold.
    const paid = await handle.executeUpdate(recordPayment, {
      args: [{ amountMinor: account.totalMinor, reference: 'LATE-1', receivedDate: isoDay() }],
    });
    expect(paid.status).toBe('paid');
    expect((await handle.result()).needsAttention).toBe(false);
    expect((await h.db.customer.findUniqueOrThrow({ where: { id: f.customerId } })).isOnCreditHold).toBe(false);
  });
});
