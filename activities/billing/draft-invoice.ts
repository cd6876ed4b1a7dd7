/**
 * The invoice draft: what left the dock (picked quantities per shipment) at the order's validated
 * prices, freight by the deal's freight terms from the carrier's cost plus the customer's markup,
 * accessorials (hazmat handling per shipment carrying hazardous goods), tax by ship-to jurisdiction
 * unless the customer is exempt, and OTIF deductions from the SLA profile for delivered lines that
 * missed on-time-in-full. A period invoice bills several orders: each is computed as a part under its
 * own ship-to and freight terms, and the parts are combined. The arithmetic is
 * domain/billing/invoice-calc; this file gathers its inputs.
 */
import { combineInvoices, type AccessorialFee, type ComputedInvoice } from '../../domain/billing/invoice-calc';
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
import { invalid, invoicePart, type InvoiceBasis, type InvoicePart } from './invoice-parts';

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

/**
 * Drafts the invoice (or redrafts a draft on retry): gathers each billed order's shipments, prices,
 * fees, tax rates and OTIF, computes one part per order and stores the combined draft under the run id.
 */
export async function draftInvoice(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const request = requestOf(input);
  const invoiceId = input.run.id;
  const { event } = input.run;
  const existing = await deps.db.invoice.findUnique({ where: { id: invoiceId } });
  if (existing && existing.status !== 'draft')
    throw invalid(`invoice ${invoiceId} is ${existing.status}: it can no longer be drafted`);

  const basis = await invoiceBasis(deps, input, request);
  const { customer, orders } = basis;
  // One part per order (its own ship-to tax and freight terms), combined into one invoice.
  const parts = orders.map((order) => invoicePart(basis, order));
  const invoice = combineInvoices(parts.map((p) => p.invoice));
  // The invoice's headline rate: the first order's. Each line carries its own rate and tax, which is
  // what the PDF prints when the orders' rates differ and what a return credits.
  const taxRateBp = parts[0]!.taxRateBp;

  const fields = invoiceFields(input, request, basis, parts, invoice, taxRateBp);
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

/** Everything the invoice's parts are computed from; an unknown customer or shipment is invalid. */
async function invoiceBasis(deps: ActivityDeps, input: StepInput, request: InvoiceRequest): Promise<InvoiceBasis> {
  const invoiceId = input.run.id;
  const { event } = input.run;
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

  return {
    invoiceId,
    currency: event.currency,
    orders,
    customer,
    profile,
    shipments,
    skus,
    otif,
    feeTable,
    rateTable,
    defaultTaxRateBp: deps.settings.defaultTaxRateBp,
  };
}

/** The invoice row's columns: amounts, parties and, on a period invoice, each order's part. */
function invoiceFields(
  input: StepInput,
  request: InvoiceRequest,
  { orders, customer }: InvoiceBasis,
  parts: InvoicePart[],
  invoice: ComputedInvoice,
  taxRateBp: number,
) {
  const { event } = input.run;
  const shipmentIds = orders.flatMap((o) => o.shipmentIds);
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
  return fields;
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
