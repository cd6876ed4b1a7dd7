/**
 * One order's part of an invoice: its shipped lines at the order's prices, OTIF deductions for lines
 * that missed on-time-in-full, hazmat handling per hazardous shipment, freight by the order's terms and
 * tax by its ship-to. draftInvoice combines the parts into one invoice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Prisma } from '../../lib/db';
import { FAILURES } from '../../domain/failures';
import {
  computeInvoice,
  type AccessorialFee,
  type ComputedInvoice,
  type InvoiceInput,
  type InvoiceLineInput,
} from '../../domain/billing/invoice-calc';
import { taxRateFor, type TaxRate } from '../../domain/billing/tax';
import type { ShipmentPicks, SkuRecord, SlaProfile } from '../../adapters/types';
import type { BilledOrder } from './types';

export const HAZMAT_FEE_CODE = 'HAZMAT';

export const invalid = (message: string) =>
  ApplicationFailure.create({ type: FAILURES.InvoiceInvalid.type, message, nonRetryable: true });

/** What every part of one invoice is computed from, read once for the whole invoice. */
export interface InvoiceBasis {
  invoiceId: string;
  currency: string;
  orders: BilledOrder[];
  customer: Prisma.CustomerModel;
  profile: SlaProfile | undefined;
  shipments: Prisma.ShipmentModel[];
  skus: SkuRecord[];
  otif: Prisma.LineOtifModel[];
  feeTable: Record<string, AccessorialFee>;
  rateTable: TaxRate[];
  defaultTaxRateBp: number | undefined;
}

export interface InvoicePart {
  invoice: ComputedInvoice;
  taxRateBp: number;
}

/** One order's part, under its own ship-to tax and freight terms. */
export function invoicePart(basis: InvoiceBasis, order: BilledOrder): InvoicePart {
  const { invoiceId, orders, customer, shipments, feeTable, rateTable } = basis;
  const ordered = order.shipmentIds.map((id) => shipments.find((s) => s.id === id)!);
  const { lines, otifDeductions, hazardousShipments } = billedLines(basis, order, ordered);
  // An exempt customer pays no tax anywhere; anyone else needs a rate for the ship-to, never a silent 0 %.
  const tax = customer.isTaxExempt
    ? { rateBp: 0 }
    : taxRateFor(rateTable, order.event.shipTo, { defaultRateBp: basis.defaultTaxRateBp });
  if (!('rateBp' in tax))
    throw invalid(`invoice ${invoiceId}${orders.length > 1 ? ` (order ${order.orderId})` : ''}: ${tax.reason}`);
  const computed = computeInvoice({
    currency: basis.currency,
    lines,
    freight: {
      terms: order.event.freightTerms,
      carrierCostMinor: ordered.reduce((sum, s) => sum + Number(s.freightCostMinor ?? 0n), 0),
      markupBp: customer.freightMarkupBp,
    },
    accessorials: hazardousShipments > 0 ? [{ code: HAZMAT_FEE_CODE, quantity: hazardousShipments }] : [],
    feeTable,
    taxRateBp: tax.rateBp,
    isTaxExempt: customer.isTaxExempt,
    otifDeductions,
  });
  if (!computed.ok)
    throw invalid(
      `invoice ${invoiceId}${orders.length > 1 ? ` (order ${order.orderId})` : ''}: ${computed.errors.map((e) => e.message).join('; ')}`,
    );
  return { invoice: computed.invoice, taxRateBp: tax.rateBp };
}

/** The order's shipped lines with their refs, the OTIF deductions they earn and the hazardous shipments. */
function billedLines(basis: InvoiceBasis, order: BilledOrder, ordered: Prisma.ShipmentModel[]) {
  const { orders, skus, otif, profile } = basis;
  // Line refs: "1" (one shipment), "1/S2" (one order, several shipments), "D-1001/1/S2" (several orders).
  const prefix = orders.length > 1 ? `${order.event.dealId}/` : '';
  const isSingle = orders.length === 1 && ordered.length === 1;
  const lines: InvoiceLineInput[] = [];
  const otifDeductions: InvoiceInput['otifDeductions'] = [];
  let hazardousShipments = 0;
  for (const shipment of ordered) {
    const suffix = shipment.id.startsWith(`${order.orderId}-`)
      ? shipment.id.slice(order.orderId.length + 1)
      : shipment.id;
    // Bill what was picked (what left the dock); the plan only when nothing was recorded as picked.
    const shipped =
      (shipment.picks as ShipmentPicks | null)?.lines ??
      (shipment.lines as { lineNo: number; sku: string; quantity: number }[]);
    let isHazardous = false;
    for (const line of shipped) {
      const price = order.prices.find((p) => p.lineNo === line.lineNo);
      if (!price)
        throw invalid(`shipment ${shipment.id} line ${line.lineNo} (${line.sku}): no price on order ${order.orderId}`);
      const sku = skus.find((s) => s.sku === line.sku);
      if (sku?.hazardClass) isHazardous = true;
      const ref = isSingle ? String(line.lineNo) : `${prefix}${line.lineNo}/${suffix}`;
      lines.push({
        ref,
        sku: line.sku,
        description: sku?.description ?? line.sku,
        quantity: line.quantity,
        unitPriceMinor: price.unitPriceMinor,
      });
      const missed = otif.find(
        (o) => o.shipmentId === shipment.id && o.lineNo === line.lineNo && (!o.isOnTime || !o.isInFull),
      );
      if (missed && profile && profile.otifPenaltyBp > 0)
        otifDeductions.push({ lineRef: ref, penaltyBp: profile.otifPenaltyBp, reason: otifReason(missed) });
    }
    if (isHazardous) hazardousShipments += 1;
  }
  return { lines, otifDeductions, hazardousShipments };
}

/** Why a delivered line missed on-time-in-full, as the invoice prints it. */
function otifReason(missed: Prisma.LineOtifModel): string {
  const why = [
    !missed.isOnTime &&
      `late (promised ${missed.promisedDate.toISOString().slice(0, 10)}, delivered ${missed.deliveredDate.toISOString().slice(0, 10)})`,
    !missed.isInFull && `not in full (${missed.goodQuantity} of ${missed.quantity} good)`,
  ]
    .filter(Boolean)
    .join(', ');
  return `OTIF: ${why}`;
}
