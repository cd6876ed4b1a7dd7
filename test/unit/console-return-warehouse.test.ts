import { returnWarehouseOf } from '../../console/src/finance/returns';

const shipment = (warehouseId: string, deliveredAt: string | null, skus: string[], status = 'delivered') => ({
  status,
  warehouseId,
  deliveredAt,
  lines: skus.map((sku) => ({ sku })),
});

describe('the warehouse a return goes back to (console prefill)', () => {
  it('is the latest delivered shipment that holds a returned SKU', () => {
    const shipments = [
      shipment('WH-A', '2026-11-01T10:00:00Z', ['VALVE']),
      shipment('WH-B', '2026-11-05T10:00:00Z', ['VALVE', 'GASKET']),
      shipment('WH-C', '2026-11-09T10:00:00Z', ['SOLVENT']),
      shipment('WH-D', null, ['VALVE'], 'shipped'),
    ];
    expect(returnWarehouseOf(shipments, ['VALVE'])).toBe('WH-B');
    expect(returnWarehouseOf(shipments, ['SOLVENT'])).toBe('WH-C');
  });

  it('falls back to the latest delivered shipment, and knows none when nothing was delivered', () => {
    expect(
      returnWarehouseOf(
        [shipment('WH-A', '2026-11-01T10:00:00Z', ['X']), shipment('WH-B', '2026-11-02T10:00:00Z', ['Y'])],
        ['Z'],
      ),
    ).toBe('WH-B');
    expect(returnWarehouseOf([shipment('WH-A', null, ['X'], 'picked')], ['X'])).toBeUndefined();
  });
});
