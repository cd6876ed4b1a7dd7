import { useHarness } from '../support/harness';
import { createFixture, type Fixture } from '../../fixtures/master-data';
import { awaitingDelivery, deliverShipment, placeOrder, stepOf } from '../support/flows';
import { startReturn } from '../support/returns';
import { PRICES } from '../../fixtures/billing';
import { applyBp } from '../../domain/billing/rounding';
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { ComputedInvoice } from '../../domain/billing/invoice-calc';
import { inspectReturn, receiveReturn } from '../../workflows/returns/messages';
import { billingPeriodIdFor } from '../../workflows/ids';

const h = useHarness();

/** An order placed through the API and delivered; a per-period customer's shipment then waits for the close. */
const deliveredOrder = async (f: Fixture, overrides: Parameters<Fixture['event']>[0]) => {
  const orderId = await placeOrder(h, f, overrides);
  await awaitingDelivery(h, `${orderId}-S1`);
  await deliverShipment(h, `${orderId}-S1`);
  await h.waitForState(orderId, (s) => s.status === 'fulfilled');
  const order = await h.db.order.findUniqueOrThrow({ where: { id: orderId } });
  const shipment = await h.db.shipment.findUniqueOrThrow({ where: { id: `${orderId}-S1` } });
  return { orderId, event: order.event as unknown as ClosedWonEvent, warehouseId: shipment.warehouseId };
};

describe('a return from a period invoice over two ship-to states', () => {
  it("taxes each order line at its own state's rate and credits the returned line's tax as it was charged", async () => {
    const f = await createFixture(h.db);
    await h.db.customer.update({
      where: { id: f.customerId },
      data: { invoiceGrouping: 'per-period', billingPeriod: 'monthly' },
    });
    const base = f.event();
    // Ohio first: the invoice's headline rate is Ohio's (575 bp); California's lines are taxed at 725 bp.
    const ohio = await deliveredOrder(f, { poNumber: 'PO-OHIO' });
    const california = await deliveredOrder(f, {
      poNumber: 'PO-CALIFORNIA',
      shipTo: { ...base.shipTo, city: 'Fresno', region: 'CA', postalCode: '93721' },
    });
    const closed = await h.app.inject({
      method: 'POST',
      url: `/v1/customers/${f.customerId}/billing-period/close`,
      payload: { reason: 'month-end run brought forward' },
    });
    expect(closed.statusCode).toBe(200);
    const [invoiceId] = closed.json().invoiceIds as string[];
    await h.waitForState(invoiceId!, (s) => s.status === 'sent');
    const invoice = await h.db.invoice.findUniqueOrThrow({ where: { id: invoiceId! } });
    expect(invoice.orderIds).toEqual([ohio.orderId, california.orderId]);
    const lines = (invoice.lines as unknown as ComputedInvoice).lines;
    const caDeal = california.event.dealId;
    const caValves = lines.find((l) => l.ref.startsWith(`${caDeal}/`) && l.sku === f.sku.valve)!;
    expect(caValves.taxMinor).toBe(applyBp(caValves.amountMinor, 725));

    // Ten of California's valves come back (under the auto-approval limit).
    const handle = await startReturn(h, california, [{ sku: f.sku.valve, quantity: 10, reasonCode: 'DEFECTIVE' }]);
    await h.waitForState(handle.workflowId, (s) => stepOf(s, 'await-receipt')?.status === 'waiting');
    await handle.executeUpdate(receiveReturn, {
      args: [{ warehouseId: california.warehouseId, receivedAt: new Date().toISOString() }],
    });
    await handle.executeUpdate(inspectReturn, { args: [{ lines: [{ lineNo: 1, restock: 0, scrap: 10 }] }] });
    expect((await handle.result()).status).toBe('completed');

    const memo = await h.db.creditMemo.findUniqueOrThrow({ where: { returnId: handle.workflowId } });
    expect(memo.merchandiseMinor).toBe(BigInt(10 * PRICES.valve));
    // Credited at the rate the line was charged (California's 725 bp), not the invoice's headline 575.
    expect(memo.taxMinor).toBe(BigInt(applyBp(10 * PRICES.valve, 725)));
    // Each line records the rate it was charged, which is what the return credited.
    expect(caValves.taxRateBp).toBe(725);
    expect(lines.filter((l) => !l.ref.startsWith(`${caDeal}/`)).every((l) => l.taxRateBp === 575)).toBe(true);
    await h.temporal.workflow.getHandle(billingPeriodIdFor(f.customerId)).terminate('test done');
  });
});
