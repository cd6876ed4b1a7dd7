/**
 * What a return request is checked against, read from the order's delivered shipments and issued
 * invoices: delivered quantities and lots per SKU, the latest delivery, invoiced prices and tax rates.
 */
import type { ComputedInvoice } from '../../domain/billing/invoice-calc';
import type { ReturnRequestError } from '../../domain/returns/policy';
import type { ShipmentPicks } from '../../adapters/types';
import type { Prisma } from '../../lib/db';
import type { ReturnRequestInput } from './types';

type Line = ReturnRequestInput['lines'][number] & { lineNo: number };
export interface Delivery {
  deliveredAt: Date;
  warehouseId: string;
  carrierId: string | null;
}

/** Delivered units and lots per SKU, and the (last) delivery that carried each SKU. */
export function deliveriesOf(shipments: Prisma.ShipmentModel[]) {
  const delivered: Record<string, number> = {};
  const lotsShipped = new Map<string, Set<string>>();
  const deliveryOf = new Map<string, Delivery>();
  for (const s of shipments) {
    const picked =
      (s.picks as ShipmentPicks | null)?.lines ??
      (s.lines as { sku: string; quantity: number }[]).map((l) => ({ ...l, lots: [] }));
    for (const l of picked) {
      delivered[l.sku] = (delivered[l.sku] ?? 0) + l.quantity;
      for (const lot of l.lots ?? [])
        (lotsShipped.get(l.sku) ?? lotsShipped.set(l.sku, new Set()).get(l.sku)!).add(lot.lotId);
      deliveryOf.set(l.sku, {
        deliveredAt: s.deliveredAt ?? s.createdAt,
        warehouseId: s.warehouseId,
        carrierId: s.carrierId,
      });
    }
  }
  return { delivered, lotsShipped, deliveryOf };
}

/** The latest delivery of a shipment carrying a requested SKU (else of any): the window runs from it. */
export function latestDelivery(lines: Line[], deliveryOf: Map<string, Delivery>): Delivery {
  const requested = lines.map((l) => deliveryOf.get(l.sku)).filter((d) => d !== undefined);
  const latest = (requested.length > 0 ? requested : [...deliveryOf.values()]).reduce((a, b) =>
    b.deliveredAt > a.deliveredAt ? b : a,
  );
  return latest;
}

/** Unit prices and tax rates per SKU from this deal's lines of the order's invoices, first invoice first. */
export function invoicedPrices(invoices: Prisma.InvoiceModel[], dealId: string) {
  const unitPrices: Record<string, number> = {};
  const taxRatesBp: Record<string, number> = {};
  for (const inv of invoices) {
    // A period invoice also bills other orders: only this deal's lines ("<dealId>/<line>/<shipment>") count.
    const ours = (l: { ref: string }) => inv.orderIds.length <= 1 || l.ref.startsWith(`${dealId}/`);
    for (const l of (inv.lines as unknown as ComputedInvoice).lines) {
      if (!ours(l) || unitPrices[l.sku] !== undefined) continue;
      unitPrices[l.sku] = l.unitPriceMinor;
      // The rate the line was charged at (a period invoice taxes each order at its own ship-to's rate).
      if (l.taxRateBp !== undefined) taxRatesBp[l.sku] = l.taxRateBp;
    }
  }

  return { unitPrices, taxRatesBp };
}

/** Problems of single lines the policy cannot see: an uninvoiced SKU, a missing or foreign lot. */
export function lineProblems(
  lines: Line[],
  {
    delivered,
    lotsShipped,
    unitPrices,
    skus,
  }: {
    delivered: Record<string, number>;
    lotsShipped: Map<string, Set<string>>;
    unitPrices: Record<string, number>;
    skus: { sku: string; isLotTracked: boolean }[];
  },
): ReturnRequestError[] {
  const extra: ReturnRequestError[] = [];
  for (const l of lines) {
    const at = `line ${l.lineNo} (${l.sku}${l.lotId === undefined ? '' : `, lot ${l.lotId}`})`;
    if ((delivered[l.sku] ?? 0) > 0 && unitPrices[l.sku] === undefined) {
      extra.push({
        line: l.lineNo,
        field: 'sku',
        message: `${at}: SKU ${l.sku} is delivered but not invoiced yet; a return is credited against its invoice`,
      });
    }
    const shippedLots = lotsShipped.get(l.sku);
    if (skus.find((s) => s.sku === l.sku)?.isLotTracked && (delivered[l.sku] ?? 0) > 0 && l.lotId === undefined) {
      extra.push({
        line: l.lineNo,
        field: 'lotId',
        message: `${at}: lotId is required for lot-tracked SKU ${l.sku} (lots delivered: ${[...(shippedLots ?? [])].join(', ') || 'none'})`,
      });
    } else if (l.lotId !== undefined && shippedLots && !shippedLots.has(l.lotId)) {
      extra.push({
        line: l.lineNo,
        field: 'lotId',
        message: `${at}: lot ${l.lotId} was not delivered on this order (lots delivered: ${[...shippedLots].join(', ')})`,
      });
    }
  }
  return extra;
}
