/** Return rules the console repeats to prefill a form (the API decides; this only saves typing). */

interface DeliveredShipment {
  status: string;
  warehouseId: string;
  deliveredAt: string | null;
  lines: { sku: string }[];
}

/**
 * The warehouse a return goes back to, as the return check picks it (activities/returns/check-return):
 * the one that shipped the latest delivered shipment holding a returned SKU (any delivered shipment
 * when none holds one). Used when the run's state has no step results: the step-event mirror keeps
 * statuses, not the label step's output.
 */
export function returnWarehouseOf(shipments: DeliveredShipment[], skus: string[]): string | undefined {
  const delivered = shipments.filter((s) => s.status === 'delivered');
  const holding = delivered.filter((s) => s.lines.some((l) => skus.includes(l.sku)));
  const latest = (holding.length > 0 ? holding : delivered).reduce<DeliveredShipment | undefined>(
    (a, b) => (!a || (b.deliveredAt ?? '') > (a.deliveredAt ?? '') ? b : a),
    undefined,
  );
  return latest?.warehouseId;
}
