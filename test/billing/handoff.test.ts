import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { awaitingDelivery, deliverShipment, placeOrder } from '../support/flows';
import { getInvoice } from '../../workflows/billing/messages';
import type { ComputedInvoice } from '../../domain/billing/invoice-calc';

const h = useHarness();

const deliver = (shipmentId: string) => deliverShipment(h, shipmentId);

describe('billing hand-off from the order', () => {
  it('invoices each shipment on delivery (per shipment) and ends the order fulfilled once the invoice is issued, not paid', async () => {
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await awaitingDelivery(h, `${orderId}-S1`);
    expect(await h.db.invoice.count({ where: { orderId } })).toBe(0);
    await deliver(`${orderId}-S1`);
    await h.waitForState(orderId, (s) => s.status === 'fulfilled');
    const invoiceId = `invoice-${orderId}-S1`;
    const account = await h.temporal.workflow.getHandle(invoiceId).query(getInvoice);
    expect(account.invoiceNumber).toMatch(/^INV-\d{7}$/);
    const row = await h.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    expect(row.shipmentIds).toEqual([`${orderId}-S1`]);
    expect((row.lines as unknown as ComputedInvoice).lines.map((l) => [l.ref, l.quantity, l.unitPriceMinor])).toEqual([
      ['1', 240, 2150],
      ['2', 1200, 85],
      ['3', 12, 9200],
    ]);
    // The invoice outlives the order (ABANDON): it is still running, waiting for payment.
    expect((await h.temporal.workflow.getHandle(invoiceId).describe()).status.name).toBe('RUNNING');
    expect((await h.temporal.workflow.getHandle(orderId).describe()).status.name).toBe('COMPLETED');
  });

  it('invoices a shipment when it ships for a customer billed on shipment', async () => {
    const f = await createFixture(h.db);
    await h.db.customer.update({ where: { id: f.customerId }, data: { billOn: 'ship' } });
    const orderId = await placeOrder(h, f);
    await awaitingDelivery(h, `${orderId}-S1`);
    const issued = await h.waitForState(`invoice-${orderId}-S1`, (s) => s.status === 'sent');
    expect(issued.status).toBe('sent');
    expect((await h.waitForState(orderId, (s) => s.status === 'shipped')).status).toBe('shipped');
    await deliver(`${orderId}-S1`);
    await h.waitForState(orderId, (s) => s.status === 'fulfilled');
    expect(await h.db.invoice.count({ where: { orderId } })).toBe(1);
  });

  it('sends one consolidated invoice per order once every shipment is delivered', async () => {
    const f = await createFixture(h.db, { stock: { primary: { valve: 100 }, secondary: { valve: 500 } } });
    await h.db.customer.update({ where: { id: f.customerId }, data: { invoiceGrouping: 'per-order' } });
    const orderId = await placeOrder(h, f);
    await awaitingDelivery(h, `${orderId}-S1`);
    await awaitingDelivery(h, `${orderId}-S2`);
    await deliver(`${orderId}-S1`);
    await h.waitForState(orderId, (s) => s.status === 'partially_delivered');
    expect(await h.db.invoice.count({ where: { orderId } })).toBe(0);
    await deliver(`${orderId}-S2`);
    await h.waitForState(orderId, (s) => s.status === 'fulfilled');
    const rows = await h.db.invoice.findMany({ where: { orderId } });
    expect(rows.map((r) => [r.id, r.shipmentIds])).toEqual([
      [`invoice-${orderId}`, [`${orderId}-S1`, `${orderId}-S2`]],
    ]);
    const lines = (rows[0]!.lines as unknown as ComputedInvoice).lines;
    expect(lines.filter((l) => l.sku === f.sku.valve).reduce((sum, l) => sum + l.quantity, 0)).toBe(240);
    expect(rows[0]!.invoiceNumber).toMatch(/^INV-/);
  });
});
