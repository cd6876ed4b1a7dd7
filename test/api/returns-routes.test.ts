import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { deliveredInvoicedOrder } from '../support/returns';
import { stepOf } from '../support/flows';

const h = useHarness();

describe('returns routes', () => {
  it('opens a return through the API, receives and inspects it, and shows the credit memo', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f);
    const crm = await h.apiKey('crm');
    const ops = await h.apiKey('ops');
    const finance = await h.apiKey('finance');
    const as = (key: string) => ({ authorization: `Bearer ${key}` });

    const invalid = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${order.orderId}/returns`,
      payload: { lines: [] },
      headers: as(crm),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors[0]).toMatchObject({ field: 'lines' });
    expect(
      (
        await h.rawApp.inject({
          method: 'POST',
          url: '/v1/orders/order-unknown/returns',
          payload: { lines: [{ sku: 'X', quantity: 1, reasonCode: 'DEFECTIVE' }] },
          headers: as(crm),
        })
      ).statusCode,
    ).toBe(404);

    const opened = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${order.orderId}/returns`,
      payload: { lines: [{ sku: f.sku.valve, quantity: 4, reasonCode: 'DEFECTIVE' }] },
      headers: as(crm),
    });
    expect(opened.statusCode).toBe(202);
    const { returnId } = opened.json();
    expect(returnId).toBe(`return-${order.orderId}-1`);
    await h.waitForState(returnId, (s) => stepOf(s, 'await-receipt')?.status === 'waiting');

    // crm may open and read returns, not act on them
    expect(
      (
        await h.rawApp.inject({
          method: 'POST',
          url: `/v1/returns/${returnId}/receive`,
          payload: { warehouseId: order.warehouseId, receivedAt: new Date().toISOString() },
          headers: as(crm),
        })
      ).statusCode,
    ).toBe(403);
    const early = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/returns/${returnId}/inspect`,
      payload: { lines: [{ lineNo: 1, restock: 4, scrap: 0 }] },
      headers: as(ops),
    });
    expect(early.statusCode).toBe(409);
    const received = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/returns/${returnId}/receive`,
      payload: { warehouseId: order.warehouseId, receivedAt: new Date().toISOString() },
      headers: as(ops),
    });
    expect(received.statusCode).toBe(200);
    await h.waitForState(returnId, (s) => stepOf(s, 'inspect-return')?.status === 'waiting');
    const inspected = await h.rawApp.inject({
      method: 'POST',
      url: `/v1/returns/${returnId}/inspect`,
      payload: { lines: [{ lineNo: 1, restock: 4, scrap: 0 }] },
      headers: as(ops),
    });
    expect(inspected.statusCode).toBe(200);
    await h.waitForState(returnId, (s) => s.status === 'completed', 60_000);

    const one = (await h.rawApp.inject({ method: 'GET', url: `/v1/returns/${returnId}`, headers: as(crm) })).json();
    expect(one).toMatchObject({ status: 'completed', orderId: order.orderId });
    expect(one.creditMemo.creditMemoNumber).toMatch(/^CM-/);
    const list = (
      await h.rawApp.inject({ method: 'GET', url: `/v1/returns?orderId=${order.orderId}`, headers: as(ops) })
    ).json();
    expect(list.items.map((r: { returnId: string }) => r.returnId)).toEqual([returnId]);
    const memos = (
      await h.rawApp.inject({ method: 'GET', url: `/v1/credit-memos?orderId=${order.orderId}`, headers: as(finance) })
    ).json();
    expect(memos.items).toHaveLength(1);
    expect(memos.items[0].totalMinor).toBe(one.creditMemo.totalMinor);
    const invoice = (
      await h.rawApp.inject({ method: 'GET', url: `/v1/invoices/${order.invoiceId}`, headers: as(finance) })
    ).json();
    expect(invoice.creditedMinor).toBe(memos.items[0].totalMinor - memos.items[0].refundMinor);
    expect(invoice.balanceMinor).toBe(
      invoice.totalMinor - invoice.paidMinor - invoice.discountTakenMinor - invoice.creditedMinor,
    );
  });
});
