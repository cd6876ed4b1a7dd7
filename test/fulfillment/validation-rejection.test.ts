import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { placeOrder, stepOf } from '../support/flows';

const h = useHarness();

describe('an order the validation rejects', () => {
  it('ends rejected with one reason per bad line, reserves nothing, and tells the CRM why', async () => {
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f, {
      lines: [
        { sku: f.sku.valve, quantity: 10, unitPriceMinor: 'contract' },
        { sku: 'NO-SUCH-SKU', quantity: 1, unitPriceMinor: 100 },
        { sku: f.sku.gasket, quantity: 5, unitPriceMinor: 'contract' }, // no contract price for gaskets
      ],
    });
    const rejected = await h.waitForState(orderId, (s) => s.status === 'rejected');
    expect(stepOf(rejected, 'validate-order')?.status).toBe('failed');
    expect(stepOf(rejected, 'reserve-stock')?.status).not.toBe('completed');
    // Each line is named once: "line 2: unknown SKU ...", not "line 2: line 2: ...".
    expect(rejected.cancelReason).toBe(
      `order rejected: line 2: unknown SKU "NO-SUCH-SKU"; line 3: unitPriceMinor is "contract" but customer "${f.customerId}" has no contract price for SKU "${f.sku.gasket}"`,
    );
    expect(await h.db.reservation.count({ where: { orderId } })).toBe(0);
    expect(await h.db.erpOrder.count({ where: { orderId } })).toBe(0);
    const [milestone] = await h.db.crmMilestone.findMany({ where: { orderId, milestone: 'rejected' } });
    expect((milestone!.payload as { reasons: string[] }).reasons).toEqual([
      'line 2: unknown SKU "NO-SUCH-SKU"',
      `line 3: unitPriceMinor is "contract" but customer "${f.customerId}" has no contract price for SKU "${f.sku.gasket}"`,
    ]);
    const view = (await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}` })).json();
    expect(view).toMatchObject({ status: 'rejected', shipments: [], invoices: [] });
  });
});
