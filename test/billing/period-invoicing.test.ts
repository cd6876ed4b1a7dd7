import { useHarness } from '../support/harness';
import { createFixture, type Fixture } from '../../fixtures/master-data';
import { awaitingDelivery, deliverShipment, placeOrder } from '../support/flows';
import { PRICES, shippedOrder } from '../../fixtures/billing';
import { getInvoice, recordPayment } from '../../workflows/billing/messages';
import { closeBillingPeriod } from '../../workflows/billing/period-messages';
import type { billingPeriodInvoicing } from '../../workflows/billing/period-workflow';
import { billingPeriodIdFor } from '../../workflows/ids';
import { billingPeriodAt } from '../../domain/billing/billing-period';
import { applyBp } from '../../domain/billing/rounding';
import type { ComputedInvoice } from '../../domain/billing/invoice-calc';

const h = useHarness();

const deliver = (shipmentId: string) => deliverShipment(h, shipmentId);

const perPeriodCustomer = async (options: Parameters<typeof createFixture>[1] = {}) => {
  const f = await createFixture(h.db, options);
  await h.db.customer.update({
    where: { id: f.customerId },
    data: { invoiceGrouping: 'per-period', billingPeriod: 'monthly' },
  });
  return f;
};

/** An order placed through the API and delivered: it ends fulfilled with its shipment queued for the period. */
const deliveredOrder = async (f: Fixture, overrides: Parameters<Fixture['event']>[0] = {}) => {
  const orderId = await placeOrder(h, f, overrides);
  await awaitingDelivery(h, `${orderId}-S1`);
  await deliver(`${orderId}-S1`);
  await h.waitForState(orderId, (s) => s.status === 'fulfilled');
  return orderId;
};

const closeNow = (customerId: string, as = h.app) =>
  as.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/billing-period/close`,
    payload: { reason: 'month-end run brought forward' },
  });

describe('invoicing per period', () => {
  it('queues every delivered shipment of a per-period customer and bills them all on one invoice when finance closes the period', async () => {
    const f = await perPeriodCustomer();
    const first = await deliveredOrder(f);
    const second = await deliveredOrder(f, { poNumber: 'PO-SECOND' });
    // Both orders are done; neither started an invoice of its own.
    expect(await h.db.invoice.count({ where: { customerId: f.customerId } })).toBe(0);

    const open = await h.app.inject({ method: 'GET', url: `/v1/customers/${f.customerId}/billing-period` });
    expect(open.statusCode).toBe(200);
    const label = billingPeriodAt('monthly', new Date()).label;
    expect(open.json()).toMatchObject({
      invoiceGrouping: 'per-period',
      billingPeriod: 'monthly',
      current: { label },
      lastClose: null,
    });
    expect(
      open
        .json()
        .waiting.map((w: { shipmentId: string }) => w.shipmentId)
        .sort(),
    ).toEqual([`${first}-S1`, `${second}-S1`].sort());

    const closed = await closeNow(f.customerId);
    expect(closed.statusCode).toBe(200);
    const invoiceId = `invoice-${f.customerId}-${label}`;
    expect(closed.json()).toMatchObject({ label, invoiceIds: [invoiceId] });
    expect(closed.json().shipmentIds.sort()).toEqual([`${first}-S1`, `${second}-S1`].sort());

    await h.waitForState(invoiceId, (s) => s.status === 'sent');
    const row = await h.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    expect(row.orderIds.sort()).toEqual([first, second].sort());
    const computed = row.lines as unknown as ComputedInvoice;
    // Each order's lines, marked with its deal: "<dealId>/<line>/S1".
    const deals = [first, second].map((o) => o.replace(/^order-/, ''));
    expect(new Set(computed.lines.map((l) => l.ref.split('/')[0]))).toEqual(new Set(deals));
    expect(computed.lines).toHaveLength(6);
    expect(computed.totalMinor).toBe(computed.subtotalMinor + computed.taxMinor);
    expect(Number(row.totalMinor)).toBe(computed.totalMinor);

    // One e-mail naming both POs, one `invoiced` milestone per deal, and the invoice under both orders.
    const [mail] = await h.mail.waitFor(
      (m) => m.subject?.startsWith(`Invoice ${row.invoiceNumber} for ${label}`) ?? false,
    );
    expect(mail!.text).toContain('PO-SECOND');
    expect(mail!.attachments[0]!.contentType).toBe('application/pdf');
    expect(await h.db.outboundEmail.count({ where: { template: 'invoice', orderId: row.orderId } })).toBe(1);
    for (const orderId of [first, second]) {
      expect((await h.db.crmMilestone.findMany({ where: { orderId, milestone: 'invoiced' } })).length).toBe(1);
      const view = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}` });
      expect(view.json().invoices).toEqual([
        expect.objectContaining({ invoiceId, billingPeriod: label, orderIds: expect.arrayContaining([first, second]) }),
      ]);
    }

    // Paid in full: both deals hear `paid`.
    const account = await h.temporal.workflow.getHandle(invoiceId).query(getInvoice);
    await h.temporal.workflow.getHandle(invoiceId).executeUpdate(recordPayment, {
      args: [
        {
          amountMinor: account.balanceMinor,
          receivedDate: new Date().toISOString().slice(0, 10),
          reference: `WIRE-${invoiceId}`,
        },
      ],
    });
    await h.waitForState(invoiceId, (s) => s.status === 'paid');
    for (const orderId of [first, second])
      expect(await h.db.crmMilestone.count({ where: { orderId, milestone: 'paid' } })).toBe(1);

    // Nothing waits now; a second close in the same month gets its own label and bills nothing.
    const again = await closeNow(f.customerId);
    expect(again.json()).toMatchObject({ label: `${label}.2`, invoiceIds: [], shipmentIds: [] });
    const audit = await h.db.auditLog.findMany({ where: { targetId: f.customerId, action: 'close billing period' } });
    expect(audit.map((a) => a.outcome)).toEqual(['done', 'done']);
  });

  it('closes the period on its own when the period ends', async () => {
    const f = await perPeriodCustomer();
    // Periods of 3 s stand in for months; the order's hand-off finds this run and leaves it alone.
    await h.temporal.workflow.start<typeof billingPeriodInvoicing>('billingPeriodInvoicing', {
      taskQueue: h.taskQueue,
      workflowId: billingPeriodIdFor(f.customerId),
      args: [{ customerId: f.customerId, periodLength: '3s' }],
    });
    const orderId = await deliveredOrder(f);
    const deadline = Date.now() + 30_000;
    let row = await h.db.invoice.findFirst({ where: { customerId: f.customerId } });
    while (!row && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      row = await h.db.invoice.findFirst({ where: { customerId: f.customerId } });
    }
    expect(row).not.toBeNull();
    expect(row!.id).toMatch(new RegExp(`^invoice-${f.customerId}-\\d{8}T\\d{6}Z$`));
    expect(row!.shipmentIds).toEqual([`${orderId}-S1`]);
    await h.waitForState(row!.id, (s) => s.status === 'sent');
    expect(await h.db.periodBillingItem.count({ where: { customerId: f.customerId, invoiceId: null } })).toBe(0);
    await h.temporal.workflow.getHandle(billingPeriodIdFor(f.customerId)).terminate('test done');
  });

  it('bills each order at its own ship-to tax rate and splits orders of different payment terms onto separate invoices', async () => {
    const f = await perPeriodCustomer();
    const ohio = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 10 }], freightCostMinor: 0 }],
      { freightTerms: 'prepaid' },
    );
    const base = f.event();
    const california = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 4 }], freightCostMinor: 0 }],
      { freightTerms: 'prepaid', shipTo: { ...base.shipTo, city: 'Fresno', region: 'CA', postalCode: '93721' } },
    );
    const net60 = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 2, sku: 'gasket', quantity: 100 }], freightCostMinor: 0 }],
      { freightTerms: 'prepaid' },
    );
    const queue = (o: typeof ohio, paymentTerms: string) =>
      h.db.periodBillingItem.create({
        data: {
          shipmentId: o.shipmentIds[0]!,
          customerId: f.customerId,
          orderId: o.orderId,
          currency: 'USD',
          paymentTerms,
          event: o.event as object,
          prices: o.prices as object[],
        },
      });
    await queue(ohio, 'NET30');
    await queue(california, 'NET30');
    await queue(net60, 'NET60');

    const handle = await h.temporal.workflow.start<typeof billingPeriodInvoicing>('billingPeriodInvoicing', {
      taskQueue: h.taskQueue,
      workflowId: billingPeriodIdFor(f.customerId),
      args: [{ customerId: f.customerId }],
    });
    const close = await handle.executeUpdate(closeBillingPeriod, { args: [{ actor: 'finance:test', reason: 'test' }] });
    const label = billingPeriodAt('monthly', new Date()).label;
    expect(close.invoiceIds).toEqual([`invoice-${f.customerId}-${label}`, `invoice-${f.customerId}-${label}-2`]);

    const [net30Invoice, net60Invoice] = await Promise.all(
      close.invoiceIds.map(async (id) => {
        await h.waitForState(id, (s) => s.status === 'sent');
        return h.db.invoice.findUniqueOrThrow({ where: { id } });
      }),
    );
    expect(net30Invoice!.paymentTerms).toBe('NET30');
    expect(net30Invoice!.orderIds).toEqual([ohio.orderId, california.orderId]);
    const lines = (net30Invoice!.lines as unknown as ComputedInvoice).lines;
    expect(lines.map((l) => [l.quantity, l.amountMinor, l.taxMinor])).toEqual([
      [10, 10 * PRICES.valve, applyBp(10 * PRICES.valve, 575)], // Columbus, OH
      [4, 4 * PRICES.valve, applyBp(4 * PRICES.valve, 725)], // Fresno, CA
    ]);
    expect(Number(net30Invoice!.taxMinor)).toBe(applyBp(10 * PRICES.valve, 575) + applyBp(4 * PRICES.valve, 725));
    expect(Buffer.from(net30Invoice!.pdf!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(net60Invoice!.paymentTerms).toBe('NET60');
    expect(net60Invoice!.orderIds).toEqual([net60.orderId]);
    // The due dates follow each invoice's own terms.
    expect(net60Invoice!.dueDate!.getTime() - net30Invoice!.dueDate!.getTime()).toBe(30 * 86_400_000);
    await handle.terminate('test done');
  });

  it('refuses to close without a reason, for a customer billed otherwise, and for an unknown customer', async () => {
    const f = await createFixture(h.db);
    const noReason = await h.app.inject({
      method: 'POST',
      url: `/v1/customers/${f.customerId}/billing-period/close`,
      payload: {},
    });
    expect(noReason.statusCode).toBe(400);
    expect(JSON.stringify(noReason.json())).toContain('reason');
    const perShipment = await closeNow(f.customerId);
    expect(perShipment.statusCode).toBe(422);
    expect(perShipment.json().detail).toContain('per-shipment');
    const fresh = await perPeriodCustomer();
    const notYet = await closeNow(fresh.customerId);
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json().detail).toContain('first billable shipment');
    expect((await closeNow('NO-SUCH-CUSTOMER')).statusCode).toBe(404);
    expect(
      (await h.app.inject({ method: 'GET', url: '/v1/customers/NO-SUCH-CUSTOMER/billing-period' })).statusCode,
    ).toBe(404);
    const ops = await h.apiKey('ops');
    expect(
      (
        await h.rawApp.inject({
          method: 'POST',
          url: `/v1/customers/${f.customerId}/billing-period/close`,
          headers: { authorization: `Bearer ${ops}` },
          payload: { reason: 'x' },
        })
      ).statusCode,
    ).toBe(403);
  });
});
