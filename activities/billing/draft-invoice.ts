/**
 * The invoice draft: what left the dock (picked quantities per shipment) at the order's validated
 * prices, freight by the deal's freight terms from the carrier's cost plus the customer's markup,
 * accessorials (hazmat handling per shipment carrying hazardous goods), tax by ship-to jurisdiction
 * unless the customer is exempt, and OTIF deductions from the SLA profile for delivered lines that
 * missed on-time-in-full. A period invoice bills several orders: each is computed as a part under its
 * own ship-to and freight terms, and the parts are combined. The arithmetic is
 * domain/billing/invoice-calc; this file gathers its inputs.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import {
  combineInvoices,
  computeInvoice,
  type AccessorialFee,
  type InvoiceLineInput,
} from '../../domain/billing/invoice-calc';
import { taxRateFor } from '../../domain/billing/tax';
import type { ShipmentPicks } from '../../adapters/types';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import {
  billedOrdersOf,
  type BilledOrder,
  type BillingSettings,
  type DraftedInvoice,
  type InvoiceRequest,
} from './types';
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { InvoiceBillTo } from './invoice-pdf';
import type { PostalAddress } from '../documents/parts';
import { toBillingPeriodKind } from '../../domain/billing/billing-period';

export const HAZMAT_FEE_CODE = 'HAZMAT';

const invalid = (message: string) =>
  ApplicationFailure.create({ type: FAILURES.InvoiceInvalid.type, message, nonRetryable: true });

export const requestOf = (input: StepInput): InvoiceRequest => input.results.request as InvoiceRequest;

/**
 * The orders an invoice bills, with their events and prices: from the request, or, for a period
 * invoice that bills its orders by reference, from the period_billing_item rows its close claimed.
 */
export async function loadBilledOrders(deps: ActivityDeps, request: InvoiceRequest): Promise<BilledOrder[]> {
  if (!request.billed) return billedOrdersOf(request);
  const items = await deps.db.periodBillingItem.findMany({
    where: { shipmentId: { in: request.billed.flatMap((o) => o.shipmentIds) } },
    select: { orderId: true, event: true, prices: true },
    // Every row of an order holds the same event and prices; the first queued is the one the old plan carried.
    orderBy: [{ billableAt: 'asc' }, { shipmentId: 'asc' }],
  });
  return request.billed.map((ref) => {
    const item = items.find((i) => i.orderId === ref.orderId);
    if (!item)
      throw invalid(
        `order ${ref.orderId}: shipment(s) ${ref.shipmentIds.join(', ')} are not queued for period billing`,
      );
    return {
      orderId: ref.orderId,
      event: item.event as unknown as ClosedWonEvent,
      shipmentIds: ref.shipmentIds,
      prices: item.prices as unknown as BilledOrder['prices'],
    };
  });
}

export async function draftInvoice(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const request = requestOf(input);
  const invoiceId = input.run.id;
  const { event } = input.run;
  const existing = await deps.db.invoice.findUnique({ where: { id: invoiceId } });
  if (existing && existing.status !== 'draft')
    throw invalid(`invoice ${invoiceId} is ${existing.status}: it can no longer be drafted`);

  const customer = await deps.db.customer.findUnique({ where: { id: event.customer.id } });
  if (!customer) throw invalid(`customer ${event.customer.id} not found`);
  const orders = await loadBilledOrders(deps, request);
  const shipmentIds = orders.flatMap((o) => o.shipmentIds);
  const profile = await deps.adapters.erp.getSlaProfile(event.slaProfile ?? customer.slaProfileId);
  const shipments = await deps.db.shipment.findMany({ where: { id: { in: shipmentIds } } });
  const missing = shipmentIds.filter((id) => !shipments.some((s) => s.id === id));
  if (missing.length > 0) throw invalid(`shipment(s) ${missing.join(', ')} not found`);

  const skuIds = [...new Set(orders.flatMap((o) => o.prices.map((p) => p.sku)))];
  const countries = [...new Set(orders.map((o) => o.event.shipTo.country))];
  const [skus, fees, rates, otif] = await Promise.all([
    deps.adapters.erp.getSkus(skuIds),
    deps.db.accessorialFee.findMany({ where: { currency: event.currency } }),
    deps.db.taxRate.findMany({ where: { country: { in: countries } } }),
    deps.db.lineOtif.findMany({ where: { shipmentId: { in: shipmentIds } } }),
  ]);
  const feeTable: Record<string, AccessorialFee> = Object.fromEntries(
    fees.map((f) => [f.code, { description: f.description, amountMinor: Number(f.amountMinor), taxable: f.isTaxable }]),
  );
  const rateTable = rates.map((r) => ({ country: r.country, region: r.region || undefined, rateBp: r.rateBp }));

  // One part per order (its own ship-to tax and freight terms), combined into one invoice.
  const parts = orders.map((order) => {
    // Line refs: "1" (one shipment), "1/S2" (one order, several shipments), "D-1001/1/S2" (several orders).
    const prefix = orders.length > 1 ? `${order.event.dealId}/` : '';
    const ordered = order.shipmentIds.map((id) => shipments.find((s) => s.id === id)!);
    const isSingle = orders.length === 1 && ordered.length === 1;
    const lines: InvoiceLineInput[] = [];
    const otifDeductions: { lineRef: string; penaltyBp: number; reason: string }[] = [];
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
          throw invalid(
            `shipment ${shipment.id} line ${line.lineNo} (${line.sku}): no price on order ${order.orderId}`,
          );
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
        if (missed && profile && profile.otifPenaltyBp > 0) {
          const why = [
            !missed.isOnTime &&
              `late (promised ${missed.promisedDate.toISOString().slice(0, 10)}, delivered ${missed.deliveredDate.toISOString().slice(0, 10)})`,
            !missed.isInFull && `not in full (${missed.goodQuantity} of ${missed.quantity} good)`,
          ]
            .filter(Boolean)
            .join(', ');
          otifDeductions.push({ lineRef: ref, penaltyBp: profile.otifPenaltyBp, reason: `OTIF: ${why}` });
        }
      }
      if (isHazardous) hazardousShipments += 1;
    }
    // An exempt customer pays no tax anywhere; anyone else needs a rate for the ship-to, never a silent 0 %.
    const tax = customer.isTaxExempt
      ? { rateBp: 0 }
      : taxRateFor(rateTable, order.event.shipTo, { defaultRateBp: deps.settings.defaultTaxRateBp });
    if (!('rateBp' in tax))
      throw invalid(`invoice ${invoiceId}${orders.length > 1 ? ` (order ${order.orderId})` : ''}: ${tax.reason}`);
    const computed = computeInvoice({
      currency: event.currency,
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
  });
  const invoice = combineInvoices(parts.map((p) => p.invoice));
  // The invoice's headline rate: the first order's. Each line carries its own rate and tax, which is
  // what the PDF prints when the orders' rates differ and what a return credits.
  const taxRateBp = parts[0]!.taxRateBp;

  const fields = {
    orderId: request.orderId,
    orderIds: orders.map((o) => o.orderId),
    customerId: customer.id,
    shipmentIds,
    currency: event.currency,
    paymentTerms: request.paymentTerms,
    subtotalMinor: BigInt(invoice.subtotalMinor),
    taxMinor: BigInt(invoice.taxMinor),
    totalMinor: BigInt(invoice.totalMinor),
    taxRateBp,
    isTaxExempt: customer.isTaxExempt,
    lines: invoice as object,
    billTo: {
      name: event.customer.name,
      contact: event.customer.billingContact,
      // The customer's accounts-payable address as it was when billed (documents print this, not the ship-to).
      address: (customer.billingAddress as PostalAddress | null) ?? undefined,
      shipTo: event.shipTo,
      poNumber: event.poNumber,
      ...(request.period
        ? {
            period: request.period,
            orders: orders.map((o, i) => ({
              orderId: o.orderId,
              dealId: o.event.dealId,
              poNumber: o.event.poNumber,
              taxRateBp: parts[i]!.taxRateBp,
              taxMinor: parts[i]!.invoice.taxMinor,
              shipTo: o.event.shipTo,
            })),
          }
        : {}),
    } satisfies InvoiceBillTo as object,
  };
  if (existing) {
    await deps.db.invoice.updateMany({ where: { id: invoiceId, status: 'draft' }, data: fields });
  } else {
    await deps.db.invoice.createMany({
      data: [{ id: invoiceId, idempotencyKey: invoiceId, status: 'draft', ...fields }],
      skipDuplicates: true,
    });
  }
  const drafted: DraftedInvoice = {
    invoiceId,
    customerId: customer.id,
    currency: event.currency,
    subtotalMinor: invoice.subtotalMinor,
    taxMinor: invoice.taxMinor,
    totalMinor: invoice.totalMinor,
    lineCount: invoice.lines.length,
    taxRateBp,
    isTaxExempt: customer.isTaxExempt,
  };
  return { data: drafted, status: 'draft' };
}

/** Compensation of the draft: a run cancelled before issue leaves a void draft (no number was used). */
export async function voidDraftInvoice(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  await deps.db.invoice.updateMany({
    where: { id: input.run.id, status: 'draft' },
    data: { status: 'void', closedReason: 'cancelled before issue' },
  });
  return { status: 'void' };
}

/** When and how the order hands shipments to billing (customer master data). */
export async function getBillingSettings(deps: ActivityDeps, customerId: string): Promise<BillingSettings> {
  const customer = await deps.db.customer.findUnique({ where: { id: customerId } });
  return {
    billOn: customer?.billOn === 'ship' ? 'ship' : 'delivery',
    invoiceGrouping:
      customer?.invoiceGrouping === 'per-order' || customer?.invoiceGrouping === 'per-period'
        ? customer.invoiceGrouping
        : 'per-shipment',
    billingPeriod: toBillingPeriodKind(customer?.billingPeriod),
  };
}
