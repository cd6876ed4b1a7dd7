import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { getInvoice } from '../../workflows/billing/messages';

const h = useHarness();

describe('finance routes', () => {
  it('lists invoices, shows one with its timeline and PDF, takes payments by reference, and reports aging and KPIs', async () => {
    const f = await createFixture(h.db);
    const order = await shippedOrder(h, f, [
      { lines: [{ lineNo: 1, sku: 'valve', quantity: 10 }], freightCostMinor: 5_000 },
    ]);
    const handle = await startInvoice(h, order);
    const invoiceId = handle.workflowId;
    await h.waitForState(invoiceId, (s) => s.status === 'sent', 60_000);
    const finance = await h.apiKey('finance');
    const crm = await h.apiKey('crm');
    const as = (key: string) => ({ authorization: `Bearer ${key}` });

    const list = await h.rawApp.inject({
      method: 'GET',
      url: `/v1/invoices?customerId=${f.customerId}&status=sent`,
      headers: as(finance),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { invoiceId: string }) => i.invoiceId)).toEqual([invoiceId]);
    const bad = await h.rawApp.inject({ method: 'GET', url: '/v1/invoices?status=unpaid', headers: as(finance) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('status');

    // The CRM reads an invoice's status and balance with its order (GET /v1/orders/:id), not the invoice,
    // its PDF or the order's timeline.
    for (const url of [
      `/v1/invoices/${invoiceId}`,
      `/v1/invoices/${invoiceId}/pdf`,
      `/v1/orders/${order.orderId}/timeline`,
    ]) {
      expect([url, (await h.rawApp.inject({ method: 'GET', url, headers: as(crm) })).statusCode]).toEqual([url, 403]);
    }

    const one = (
      await h.rawApp.inject({ method: 'GET', url: `/v1/invoices/${invoiceId}`, headers: as(finance) })
    ).json();
    expect(one.invoiceNumber).toMatch(/^INV-/);
    expect(one.balanceMinor).toBe(one.totalMinor);
    expect(one.timeline.map((e: { to: string }) => e.to)).toEqual(expect.arrayContaining(['issued', 'sent']));

    const pdf = await h.rawApp.inject({ method: 'GET', url: `/v1/invoices/${invoiceId}/pdf`, headers: as(finance) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const pay = (amountMinor: number, reference: string, key = finance) =>
      h.rawApp.inject({
        method: 'POST',
        url: `/v1/invoices/${invoiceId}/payments`,
        payload: { amountMinor, receivedDate: new Date().toISOString().slice(0, 10), reference },
        headers: as(key),
      });
    expect((await pay(100, 'WIRE-1', crm)).statusCode).toBe(403);
    const first = await pay(1000, 'WIRE-1');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      status: 'partially_paid',
      paidMinor: 1000,
      balanceMinor: one.totalMinor - 1000,
    });
    const again = await pay(1000, 'WIRE-1');
    expect(again.json()).toMatchObject({ duplicate: true, paidMinor: 1000 });
    const over = await pay(one.totalMinor, 'WIRE-2');
    expect(over.statusCode).toBe(422);
    expect(over.json().detail).toContain('exceeds the open balance');
    expect((await handle.query(getInvoice)).paidMinor).toBe(1000);

    const aging = await h.rawApp.inject({
      method: 'GET',
      url: `/v1/reports/ar-aging?asOf=${new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10)}`,
      headers: as(finance),
    });
    const row = aging.json().rows.find((r: { customerId: string }) => r.customerId === f.customerId);
    expect(row).toMatchObject({ d1_30: one.totalMinor - 1000, current: 0, totalMinor: one.totalMinor - 1000 });
    const csv = await h.rawApp.inject({ method: 'GET', url: '/v1/reports/ar-aging?format=csv', headers: as(finance) });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('customer');

    const day = new Date().toISOString().slice(0, 10);
    const kpis = await h.rawApp.inject({ method: 'GET', url: `/v1/kpis?from=${day}&to=${day}`, headers: as(finance) });
    expect(kpis.statusCode).toBe(200);
    expect(kpis.json().overall).toHaveProperty('otifPercent');
    const wrongRange = await h.rawApp.inject({
      method: 'GET',
      url: `/v1/kpis?from=2026-12-31&to=2026-01-01`,
      headers: as(finance),
    });
    expect(wrongRange.statusCode).toBe(400);
    expect(
      (await h.rawApp.inject({ method: 'GET', url: `/v1/kpis?from=${day}&to=${day}`, headers: as(crm) })).statusCode,
    ).toBe(403);
  });
});
