import { randomUUID } from 'node:crypto';
import { useHarness, makeEvent } from '../support/harness';

const h = useHarness();

const closedWon = (payload: object) => h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload });
const fieldsOf = (res: { json(): { errors?: { field: string; message: string }[] } }) => res.json().errors ?? [];

describe('money stays exact from intake to reports', () => {
  it('refuses an order whose line totals pass 2^53 - 1 minor units with a 400 naming the field', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({
      sku: `BIG-${i}`,
      quantity: 1_000_000,
      unitPriceMinor: 1_000_000_000,
    }));
    const res = await closedWon(makeEvent({ lines }));
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual([
      { field: 'lines', message: expect.stringContaining(`exceeds ${Number.MAX_SAFE_INTEGER}`) },
    ]);
  });

  it("refuses a deal id whose order id would be another deal's shipment id", async () => {
    const res = await closedWon(makeEvent({ dealId: `T-${randomUUID().slice(0, 8)}-S1` }));
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual([
      { field: 'dealId', message: expect.stringContaining('must not end in -S followed by digits') },
    ]);
  });

  it('reports days sales outstanding per currency, never adding currencies together', async () => {
    const customerId = `C-DSO-${randomUUID().slice(0, 8)}`;
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const invoice = (currency: string, totalMinor: number, paidMinor: number) => {
      const id = `invoice-dso-${randomUUID().slice(0, 8)}`;
      return {
        id,
        idempotencyKey: id,
        orderId: `order-${id}`,
        customerId,
        shipmentIds: [],
        currency,
        status: 'sent',
        paymentTerms: 'NET30',
        issueDate: today,
        dueDate: today,
        subtotalMinor: BigInt(totalMinor),
        taxMinor: 0n,
        totalMinor: BigInt(totalMinor),
        paidMinor: BigInt(paidMinor),
        taxRateBp: 0,
        isTaxExempt: true,
        lines: {},
        billTo: {},
      };
    };
    // USD: 200.00 invoiced, 50.00 open. JPY: 100 000 invoiced, all open. Over one day.
    await h.db.invoice.createMany({
      data: [invoice('USD', 10_000, 10_000), invoice('USD', 10_000, 5_000), invoice('JPY', 100_000, 0)],
    });
    const day = today.toISOString().slice(0, 10);
    const res = await h.app.inject({ method: 'GET', url: `/v1/kpis?from=${day}&to=${day}&customerId=${customerId}` });
    expect(res.statusCode).toBe(200);
    const { overall } = res.json();
    expect(overall.daysSalesOutstandingByCurrency).toEqual([
      { currency: 'JPY', days: 1, invoicedMinor: 100_000, openMinor: 100_000 },
      { currency: 'USD', days: 0.3, invoicedMinor: 20_000, openMinor: 5_000 },
    ]);
    // Two currencies: no single figure (adding them gave 105 000 / 120 000 = 0.9 days).
    expect(overall.daysSalesOutstanding).toBeNull();
  });
});
