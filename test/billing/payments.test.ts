import type { WorkflowHandle } from '@temporalio/client';
import { useHarness } from '../support/harness';
import { createFixture, isoDay } from '../../fixtures/master-data';
import { refusal } from '../support/flows';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { applyBp } from '../../domain/billing/rounding';
import { getInvoice, recordPayment, voidInvoice, writeOffInvoice } from '../../workflows/billing/messages';
import type { InvoiceAccount } from '../../activities/billing/types';
import { invoiceSummary } from '../../api/views/invoice-view';
import { addCalendarDays } from '../../domain/calendar/business-days';

const h = useHarness();

const issuedInvoice = async (paymentTerms = 'NET30') => {
  const f = await createFixture(h.db);
  const order = await shippedOrder(
    h,
    f,
    [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 10 }], freightCostMinor: 0 }],
    { freightTerms: 'prepaid' },
  );
  const handle = await startInvoice(h, order, { paymentTerms });
  await h.waitForState(handle.workflowId, (s) => s.status === 'sent');
  const account = await handle.query(getInvoice);
  return { f, order, handle, account };
};

const pay = (handle: WorkflowHandle, amountMinor: number, reference: string, receivedDate = isoDay()) =>
  handle.executeUpdate(recordPayment, { args: [{ amountMinor, reference, receivedDate }] }) as Promise<InvoiceAccount>;

describe('payments', () => {
  it('takes partial payments until paid in full, then the run ends paid; ERP receivables and CRM follow', async () => {
    const { f, order, handle, account } = await issuedInvoice();
    const total = account.totalMinor;
    const first = await pay(handle, 10_000, 'BANK-1');
    expect(first).toMatchObject({
      status: 'partially_paid',
      paidMinor: 10_000,
      balanceMinor: total - 10_000,
      duplicate: false,
    });
    expect((await h.db.customer.findUniqueOrThrow({ where: { id: f.customerId } })).openReceivablesMinor).toBe(
      BigInt(total - 10_000),
    );

    const last = await pay(handle, total - 10_000, 'BANK-2');
    expect(last).toMatchObject({ status: 'paid', paidMinor: total, balanceMinor: 0 });
    const final = await handle.result();
    expect(final.status).toBe('paid');
    // The reminder that was waiting wakes and stands down without running at all; the later ones too.
    expect(
      final.steps
        .filter((s) => s.name.startsWith('remind-') || s.name === 'escalate-invoice')
        .map((s) => [s.name, s.status]),
    ).toEqual([
      ['remind-before-due-3', 'not_required'],
      ['remind-on-due', 'not_required'],
      ['remind-overdue-7', 'not_required'],
      ['remind-overdue-15', 'not_required'],
      ['remind-overdue-30', 'not_required'],
      ['escalate-invoice', 'not_required'],
    ]);
    expect(final.results['remind-before-due-3']).toBeUndefined();
    expect(
      await h.db.outboundEmail.count({ where: { orderId: order.orderId, template: { startsWith: 'dunning-' } } }),
    ).toBe(0);

    const row = await h.db.invoice.findUniqueOrThrow({
      where: { id: handle.workflowId },
      include: { payments: { orderBy: { id: 'asc' } } },
    });
    expect(row).toMatchObject({ status: 'paid', paidMinor: BigInt(total) });
    expect(row.payments.map((p) => [p.reference, Number(p.amountMinor)])).toEqual([
      ['BANK-1', 10_000],
      ['BANK-2', total - 10_000],
    ]);
    expect((await h.db.customer.findUniqueOrThrow({ where: { id: f.customerId } })).openReceivablesMinor).toBe(0n);
    expect(
      (await h.db.crmMilestone.findMany({ where: { orderId: order.orderId } })).map((m) => m.milestone).sort(),
    ).toEqual(['invoiced', 'paid']);
    const statuses = await h.db.stepEvent.findMany({
      where: { workflowId: handle.workflowId, step: '*' },
      orderBy: { seq: 'asc' },
    });
    expect(statuses.map((e) => e.toStatus)).toEqual(['draft', 'issued', 'sent', 'partially_paid', 'paid']);
  });

  it('grants the early-payment discount (2/10 NET30) to a payment of the net amount inside the window', async () => {
    const { handle, account } = await issuedInvoice('2/10 NET30');
    const discount = applyBp(account.totalMinor, 200);
    expect(account.discountDeadline).toBe(isoDay(10));
    const paid = await pay(handle, account.totalMinor - discount, 'BANK-EARLY', isoDay(3));
    expect(paid).toMatchObject({
      status: 'paid',
      paidMinor: account.totalMinor - discount,
      discountTakenMinor: discount,
      balanceMinor: 0,
    });
    expect((await handle.result()).status).toBe('paid');
    const ledger = await h.db.erpReceivable.findMany({ where: { invoiceNumber: account.invoiceNumber! } });
    expect(ledger.map((e) => [e.kind, Number(e.amountMinor)]).sort()).toEqual(
      [
        ['discount', -discount],
        ['invoice', account.totalMinor],
        ['payment', -(account.totalMinor - discount)],
      ].sort(),
    );
  });

  it('refuses an overpayment with the reason and changes nothing', async () => {
    const { handle, account } = await issuedInvoice();
    const reason = await refusal(pay(handle, account.totalMinor + 1, 'BANK-OVER'));
    expect(reason).toContain('exceeds the open balance');
    expect(reason).toContain('BANK-OVER');
    expect(await handle.query(getInvoice)).toMatchObject({ status: 'sent', paidMinor: 0, payments: [] });
    expect(await h.db.payment.count({ where: { invoiceId: handle.workflowId } })).toBe(0);
    await expect(refusal(pay(handle, 100, 'BANK-BAD-DATE', '2026-13-01'))).resolves.toContain('receivedDate');
  });

  it('answers a repeated payment reference with the current state, unchanged', async () => {
    const { handle } = await issuedInvoice();
    const first = await pay(handle, 5_000, 'BANK-DUP');
    const again = await pay(handle, 5_000, 'BANK-DUP');
    expect(again).toMatchObject({
      duplicate: true,
      paidMinor: 5_000,
      balanceMinor: first.balanceMinor,
      status: 'partially_paid',
    });
    expect(again.payments).toHaveLength(1);
    expect(await h.db.payment.count({ where: { invoiceId: handle.workflowId } })).toBe(1);
  });

  it('voids an unpaid invoice and writes off the balance of a partly paid one; receivables go back to zero', async () => {
    const unpaid = await issuedInvoice();
    const voided = await unpaid.handle.executeUpdate(voidInvoice, {
      args: [{ reason: 'billed to the wrong entity', actor: 'finance:ann' }],
    });
    expect(voided).toMatchObject({ status: 'void', balanceMinor: 0 });
    expect((await unpaid.handle.result()).status).toBe('void');
    expect((await h.db.customer.findUniqueOrThrow({ where: { id: unpaid.f.customerId } })).openReceivablesMinor).toBe(
      0n,
    );

    const partly = await issuedInvoice();
    await pay(partly.handle, 1_000, 'BANK-PART');
    expect(
      await refusal(partly.handle.executeUpdate(voidInvoice, { args: [{ reason: 'x', actor: 'finance:ann' }] })),
    ).toContain('credit memo');
    const written = await partly.handle.executeUpdate(writeOffInvoice, {
      args: [{ reason: 'customer insolvent', actor: 'finance:ann' }],
    });
    expect(written).toMatchObject({ status: 'written_off', paidMinor: 1_000 });
    expect((await partly.handle.result()).status).toBe('written_off');
    expect((await h.db.invoice.findUniqueOrThrow({ where: { id: partly.handle.workflowId } })).status).toBe(
      'written_off',
    );
    expect((await h.db.customer.findUniqueOrThrow({ where: { id: partly.f.customerId } })).openReceivablesMinor).toBe(
      0n,
    );
  });

  describe('the amount due, as the API shows it', () => {
    const view = async (invoiceId: string) => {
      const res = await h.app.inject({ method: 'GET', url: `/v1/invoices/${invoiceId}` });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const payByApi = (invoiceId: string, amountMinor: number, reference: string) =>
      h.app.inject({
        method: 'POST',
        url: `/v1/invoices/${invoiceId}/payments`,
        payload: { amountMinor, receivedDate: isoDay(), reference },
      });

    it('offers the discounted amount until the deadline, and paying it today closes the invoice paid with the discount', async () => {
      const { order, handle, account } = await issuedInvoice('2/10 NET30');
      const discount = applyBp(account.totalMinor, 200);
      const before = await view(handle.workflowId);
      expect(before).toMatchObject({
        status: 'sent',
        amountDueMinor: account.totalMinor,
        amountDueWithDiscountMinor: account.totalMinor - discount,
        discountDeadline: isoDay(10),
      });
      // The list and the order view show the same figures.
      const listed = (await h.app.inject({ method: 'GET', url: `/v1/invoices?orderId=${order.orderId}` })).json()
        .items[0];
      expect(listed).toMatchObject({
        amountDueMinor: account.totalMinor,
        amountDueWithDiscountMinor: account.totalMinor - discount,
        discountDeadline: isoDay(10),
      });

      const paid = await payByApi(handle.workflowId, before.amountDueWithDiscountMinor, 'BANK-AS-SHOWN');
      expect(paid.statusCode).toBe(200);
      expect(paid.json()).toMatchObject({
        status: 'paid',
        paidMinor: account.totalMinor - discount,
        discountTakenMinor: discount,
        balanceMinor: 0,
      });
      expect((await handle.result()).status).toBe('paid');
      const after = await view(handle.workflowId);
      expect(after).toMatchObject({ status: 'paid', amountDueMinor: 0, discountTakenMinor: discount, balanceMinor: 0 });
      expect(after).not.toHaveProperty('amountDueWithDiscountMinor');
      expect(after).not.toHaveProperty('discountDeadline');
      expect(after.payments).toEqual([
        expect.objectContaining({ reference: 'BANK-AS-SHOWN', discountAppliedMinor: discount }),
      ]);
    });

    it('documents the fields in the OpenAPI document: the amount due always, the discount offer only when there is one', async () => {
      const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      for (const path of ['/v1/invoices/{invoiceId}', '/v1/invoices']) {
        const answer = doc.paths[path].get.responses['200'].content['application/json'].schema;
        const invoice = path === '/v1/invoices' ? answer.properties.items.items : answer;
        expect(invoice.properties).toMatchObject({
          amountDueMinor: { type: 'integer' },
          amountDueWithDiscountMinor: { type: 'integer' },
          discountDeadline: { type: 'string' },
        });
        expect(invoice.required).toContain('amountDueMinor');
        expect(invoice.required).not.toContain('amountDueWithDiscountMinor');
        expect(invoice.required).not.toContain('discountDeadline');
      }
    });

    it('shows no discount on NET terms or outside the window, and the amount due then settles the invoice', async () => {
      const net = await issuedInvoice('NET30');
      const netView = await view(net.handle.workflowId);
      expect(netView).toMatchObject({ amountDueMinor: net.account.totalMinor, balanceMinor: net.account.totalMinor });
      expect(netView).not.toHaveProperty('amountDueWithDiscountMinor');
      expect(netView).not.toHaveProperty('discountDeadline');

      const early = await issuedInvoice('2/10 NET30');
      const row = await h.db.invoice.findUniqueOrThrow({ where: { id: early.handle.workflowId } });
      const deadline = early.account.discountDeadline!;
      expect(invoiceSummary(row, deadline)).toMatchObject({
        amountDueWithDiscountMinor: early.account.totalMinor - applyBp(early.account.totalMinor, 200),
        discountDeadline: deadline,
      });
      const dayAfter = invoiceSummary(row, addCalendarDays(deadline, 1));
      expect(dayAfter).toMatchObject({ amountDueMinor: early.account.totalMinor });
      expect(dayAfter).not.toHaveProperty('amountDueWithDiscountMinor');
      expect(dayAfter).not.toHaveProperty('discountDeadline');
      // Paid the day after the deadline, the amount due closes it, without a discount.
      const late = await pay(early.handle, dayAfter.amountDueMinor, 'BANK-LATE', addCalendarDays(deadline, 1));
      expect(late).toMatchObject({ status: 'paid', discountTakenMinor: 0, balanceMinor: 0 });
    });
  });
});
