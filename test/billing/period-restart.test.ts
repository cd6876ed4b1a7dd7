import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { useHarness } from '../support/harness';
import { createFixture, type Fixture } from '../../fixtures/master-data';
import { shippedOrder } from '../../fixtures/billing';
import { closeBillingPeriod } from '../../workflows/billing/period-messages';
import type { billingPeriodInvoicing } from '../../workflows/billing/period-workflow';
import { billingPeriodIdFor } from '../../workflows/ids';
import { billingPeriodAt } from '../../domain/billing/billing-period';

const h = useHarness();

const perPeriodCustomer = async () => {
  const f = await createFixture(h.db);
  await h.db.customer.update({
    where: { id: f.customerId },
    data: { invoiceGrouping: 'per-period', billingPeriod: 'monthly' },
  });
  return f;
};

/** A shipped order of the customer, queued for its period the way the order workflow queues it. */
const queuedOrder = async (f: Fixture, poNumber: string) => {
  const order = await shippedOrder(h, f, [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 3 }], freightCostMinor: 0 }], {
    freightTerms: 'prepaid',
    poNumber,
  });
  await h.db.periodBillingItem.create({
    data: {
      shipmentId: order.shipmentIds[0]!,
      customerId: f.customerId,
      orderId: order.orderId,
      currency: 'USD',
      paymentTerms: 'NET30',
      event: order.event as object,
      prices: order.prices as object[],
    },
  });
  return order;
};

const startPeriodRun = (customerId: string) =>
  h.temporal.workflow.start<typeof billingPeriodInvoicing>('billingPeriodInvoicing', {
    taskQueue: h.taskQueue,
    workflowId: billingPeriodIdFor(customerId),
    args: [{ customerId }],
  });

describe('a restarted billing-period workflow', () => {
  it('never reuses a period label, and bills every shipment it marks invoiced', async () => {
    const f = await perPeriodCustomer();
    const label = billingPeriodAt('monthly', new Date()).label;
    const first = await queuedOrder(f, 'PO-BEFORE-RESTART');
    const firstRun = await startPeriodRun(f.customerId);
    const firstClose = await firstRun.executeUpdate(closeBillingPeriod, {
      args: [{ actor: 'finance:test', reason: 'mid-month run' }],
    });
    expect(firstClose).toMatchObject({ label, invoiceIds: [`invoice-${f.customerId}-${label}`] });
    await h.waitForState(firstClose.invoiceIds[0]!, (s) => s.status === 'sent');
    // The run is lost (terminated by an operator); its invoice lives on.
    await firstRun.terminate('restarted by ops');

    const second = await queuedOrder(f, 'PO-AFTER-RESTART');
    const secondRun = await startPeriodRun(f.customerId);
    const secondClose = await secondRun.executeUpdate(closeBillingPeriod, {
      args: [{ actor: 'finance:test', reason: 'month-end run' }],
    });
    expect(secondClose).toMatchObject({
      label: `${label}.2`,
      invoiceIds: [`invoice-${f.customerId}-${label}.2`],
      shipmentIds: second.shipmentIds,
    });
    await h.waitForState(secondClose.invoiceIds[0]!, (s) => s.status === 'sent');

    // Every shipment marked invoiced is on the invoice that names it, and on exactly one invoice.
    const items = await h.db.periodBillingItem.findMany({ where: { customerId: f.customerId } });
    expect(items.map((i) => i.invoiceId).sort()).toEqual([
      `invoice-${f.customerId}-${label}`,
      `invoice-${f.customerId}-${label}.2`,
    ]);
    for (const item of items) {
      const invoice = await h.db.invoice.findUniqueOrThrow({ where: { id: item.invoiceId! } });
      expect(invoice.shipmentIds).toEqual([item.shipmentId]);
    }
    expect(
      (await h.db.invoice.findMany({ where: { customerId: f.customerId } })).flatMap((i) => i.shipmentIds).sort(),
    ).toEqual([...first.shipmentIds, ...second.shipmentIds].sort());

    // A history of the close that takes its label from the stored closes (patched path).
    await secondRun.terminate('test done');
    if (process.env.RECORD_REPLAY_HISTORIES) {
      const file = path.join(
        __dirname,
        '../replay/histories',
        `billing-period-v2__${billingPeriodIdFor(f.customerId)}.json`,
      );
      writeFileSync(file, JSON.stringify(await secondRun.fetchHistory()));
    }
  });
});
