import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { placeOrder, stepOf } from '../support/flows';

const h = useHarness();

const newAddress = {
  name: 'Acme - Dayton DC',
  line1: '400 Logistics Way',
  city: 'Dayton',
  region: 'OH',
  postalCode: '45402',
  country: 'US',
};

describe('changing the ship-to', () => {
  it('changes the address before picking (shipments then go to the new address) and refuses it afterwards', async () => {
    const f = await createFixture(h.db, { creditLimitMinor: 1000 });
    const orderId = await placeOrder(h, f);
    await h.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');
    const ops = await h.apiKey('ops');
    const as = { authorization: `Bearer ${ops}` };

    const invalid = await h.rawApp.inject({
      method: 'PATCH',
      url: `/v1/orders/${orderId}/ship-to`,
      payload: { shipTo: { ...newAddress, country: 'USA' }, reason: 'moved' },
      headers: as,
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors[0].field).toBe('shipTo.country');

    const changed = await h.rawApp.inject({
      method: 'PATCH',
      url: `/v1/orders/${orderId}/ship-to`,
      payload: { shipTo: newAddress, reason: 'customer moved receiving to Dayton' },
      headers: as,
    });
    expect(changed.statusCode).toBe(200);
    const finance = await h.apiKey('finance');
    await h.rawApp.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/credit-decision`,
      payload: { decision: 'approve', reason: 'ok' },
      headers: { authorization: `Bearer ${finance}` },
    });
    await h.waitForState(orderId, (s) => s.status === 'shipped');

    const shipment = await h.db.shipment.findUniqueOrThrow({ where: { id: `${orderId}-S1` } });
    expect((shipment.asn as { shipTo: { city: string } }).shipTo.city).toBe('Dayton');
    const events = await h.db.stepEvent.findMany({ where: { workflowId: orderId, toStatus: 'ship_to_changed' } });
    expect(events.map((e) => e.reason)).toEqual(['customer moved receiving to Dayton']);

    const late = await h.rawApp.inject({
      method: 'PATCH',
      url: `/v1/orders/${orderId}/ship-to`,
      payload: { shipTo: newAddress, reason: 'again' },
      headers: as,
    });
    expect(late.statusCode).toBe(422);
    expect(late.json().detail).toContain('released to the warehouse');
  });
});
