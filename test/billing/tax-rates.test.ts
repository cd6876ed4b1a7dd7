import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { stepOf } from '../support/flows';
import { PRICES, shippedOrder, startInvoice } from '../../fixtures/billing';
import { applyBp } from '../../domain/billing/rounding';
import type { ComputedInvoice } from '../../domain/billing/invoice-calc';

const h = useHarness();

const valves = [{ lines: [{ lineNo: 1, sku: 'valve' as const, quantity: 2 }], freightCostMinor: 0 }];

describe('sales tax by ship-to', () => {
  it('stops the invoice in needs_attention naming the region when no rate covers the ship-to, never billing 0 %', async () => {
    const f = await createFixture(h.db);
    const base = f.event();
    // A free-text region: the table holds "NV", not "Nevada".
    const order = await shippedOrder(h, f, valves, {
      freightTerms: 'prepaid',
      shipTo: { ...base.shipTo, city: 'Sparks', region: 'Nevada', postalCode: '89431' },
    });
    const handle = await startInvoice(h, order);
    const stuck = await h.waitForState(
      handle.workflowId,
      (s) => stepOf(s, 'draft-invoice')?.status === 'needs_attention',
    );
    expect(stepOf(stuck, 'draft-invoice')!.lastError).toContain('no sales-tax rate for region "Nevada" of US');
    // Nothing was drafted, let alone issued, at 0 %.
    expect(await h.db.invoice.findUnique({ where: { id: handle.workflowId } })).toBeNull();
    await handle.terminate('test done');
  });

  it("taxes a ship-to in Nevada (the Reno warehouse's state) at the Nevada rate", async () => {
    const f = await createFixture(h.db);
    const base = f.event();
    const order = await shippedOrder(h, f, valves, {
      freightTerms: 'prepaid',
      shipTo: { ...base.shipTo, city: 'Reno', region: 'NV', postalCode: '89502' },
    });
    const handle = await startInvoice(h, order);
    await h.waitForState(handle.workflowId, (s) => s.status === 'sent');
    const row = await h.db.invoice.findUniqueOrThrow({ where: { id: handle.workflowId } });
    const nv = await h.db.taxRate.findUniqueOrThrow({ where: { country_region: { country: 'US', region: 'NV' } } });
    expect(nv.rateBp).toBeGreaterThan(0);
    expect((row.lines as unknown as ComputedInvoice).lines.map((l) => [l.taxMinor, l.taxRateBp])).toEqual([
      [applyBp(2 * PRICES.valve, nv.rateBp), nv.rateBp],
    ]);
    await handle.terminate('test done');
  });
});
