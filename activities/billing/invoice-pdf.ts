/**
 * The invoice as a buyer's accounts-payable team needs it: the seller's identity, bill-to (the billing
 * address) and ship-to, PO, shipments with ship date and tracking, the lines, freight, accessorials,
 * deductions, tax by rate, total, terms, due date, the early-payment discount and its deadline, and how
 * to pay. A document model for the shared layout (activities/documents/layout.ts); the amounts are the
 * stored computation (domain/billing/invoice-calc), never recomputed here.
 */
import { taxByRate, type ComputedInvoice, type InvoiceLine } from '../../domain/billing/invoice-calc';
import { earlyPaymentDiscountMinor } from '../../domain/billing/payments';
import { formatMoney } from '../../domain/money';
import type { SellerIdentity } from '../../lib/config';
import { renderDocument } from '../documents/layout';
import type { DocumentModel, Fact, TextBlock, TotalRow } from '../documents/document-model';
import {
  addressLines,
  billToBlock,
  formatRate,
  orderFacts,
  pricedLineTable,
  type PostalAddress,
} from '../documents/parts';

/** What draft-invoice stores as the invoice's `billTo` (older rows lack `address` and per-order `taxMinor`). */
export interface InvoiceBillTo {
  name: string;
  contact: { name: string; email: string };
  /** The customer's billing (accounts-payable) address when the invoice was drafted. */
  address?: PostalAddress;
  poNumber?: string;
  shipTo?: PostalAddress;
  /** Period invoices: the period and every order billed, each taxed at its ship-to's rate. */
  period?: { label: string };
  orders?: {
    orderId: string;
    dealId: string;
    poNumber: string;
    taxRateBp: number;
    taxMinor?: number;
    shipTo?: PostalAddress;
  }[];
}

export interface InvoiceShipment {
  shipmentId: string;
  /** Dispatch date, 'YYYY-MM-DD'; the promised ship date until the shipment left. */
  shipDate?: string;
  carrier?: string;
  trackingNumber?: string;
}

export interface InvoicePdfData {
  seller: SellerIdentity;
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  paymentTerms: string;
  /** Early-payment discount of the terms (basis points) and the last day to take it. */
  discountBp?: number;
  discountDeadline?: string;
  orderId: string;
  billTo: InvoiceBillTo;
  shipments: InvoiceShipment[];
  invoice: ComputedInvoice;
  taxRateBp: number;
  isTaxExempt: boolean;
}

export function renderInvoicePdf(data: InvoicePdfData): Promise<Buffer> {
  return renderDocument(invoiceDocument(data));
}

/** The invoice as a document model (exported for tests that check what is printed, not how). */
export function invoiceDocument(data: InvoicePdfData): DocumentModel {
  const { invoice, billTo } = data;
  const money = (amountMinor: number) => formatMoney(amountMinor, invoice.currency);
  return {
    title: 'Invoice',
    reference: data.invoiceNumber,
    seller: data.seller,
    facts: facts(data),
    parties: parties(billTo),
    table: pricedLineTable('Qty shipped', invoice.lines, (l) => lineDescription(l, data, money), money),
    totals: totals(data, money),
    sections: sections(data, money),
  };
}

/**
 * Orders shipped to places with different rates (a period invoice): each line also says the tax it
 * was charged, at the rate stored on the line (lines computed before lines carried one: the invoice's).
 */
function lineDescription(line: InvoiceLine, data: InvoicePdfData, money: (m: number) => string): string {
  const rates = new Set((data.billTo.orders ?? []).map((o) => o.taxRateBp));
  if (data.isTaxExempt || rates.size <= 1) return line.description;
  return `${line.description}\nSales tax ${formatRate(line.taxRateBp ?? data.taxRateBp)}: ${money(line.taxMinor)}`;
}

/** More PO numbers than this would push the header past the page (250 orders took two pages). */
const MAX_HEADER_POS = 12;

function facts(data: InvoicePdfData): Fact[] {
  const { billTo, shipments } = data;
  const rows: Fact[] = [
    { label: 'Invoice date', value: data.issueDate },
    { label: 'Due date', value: data.dueDate },
    { label: 'Terms', value: data.paymentTerms },
  ];
  if (billTo.period && billTo.orders) {
    rows.push(
      { label: 'Billing period', value: billTo.period.label },
      // The header cannot break across pages: a month of many orders names them in "Orders billed" only.
      {
        label: 'PO numbers',
        value:
          billTo.orders.length > MAX_HEADER_POS
            ? `${billTo.orders.length} (listed below)`
            : billTo.orders.map((o) => o.poNumber).join(', '),
      },
    );
  } else {
    rows.push(...orderFacts(billTo.poNumber, data.orderId));
  }
  if (shipments.length === 1) {
    const [s] = shipments as [InvoiceShipment];
    rows.push(
      { label: 'Shipment', value: s.shipmentId },
      { label: 'Ship date', value: s.shipDate ?? 'not shipped yet' },
    );
    rows.push({
      label: 'Tracking',
      value: s.trackingNumber ? `${s.carrier ? `${s.carrier} ` : ''}${s.trackingNumber}` : 'none',
    });
  } else if (shipments.length > 1) {
    rows.push({ label: 'Shipments', value: `${shipments.length} (listed below)` });
  }
  return rows;
}

function parties(billTo: InvoiceBillTo): TextBlock[] {
  const blocks: TextBlock[] = [billToBlock(billTo)];
  if (billTo.shipTo && !billTo.period) blocks.push({ heading: 'Ship to', lines: addressLines(billTo.shipTo) });
  return blocks;
}

function totals(data: InvoicePdfData, money: (m: number) => string): TotalRow[] {
  const { invoice } = data;
  const rows: TotalRow[] = [];
  rows.push({ label: 'Freight', value: money(invoice.freightMinor) });
  for (const a of invoice.accessorials)
    rows.push({ label: `${a.description} (${a.code}) x ${a.quantity}`, value: money(a.amountMinor) });
  for (const d of invoice.deductions)
    rows.push({
      label: `Deduction, line ${d.lineRef}: ${d.reason} (${formatRate(d.penaltyBp)})`,
      value: money(d.amountMinor),
    });
  rows.push({ label: 'Subtotal', value: money(invoice.subtotalMinor) });
  for (const tax of taxRows(data)) rows.push({ label: tax.label, value: money(tax.taxMinor) });
  rows.push({ label: 'Total due', value: money(invoice.totalMinor), isStrong: true });
  const offer = discountOffer(data);
  if (offer)
    rows.push({
      label: `Pay by ${offer.deadline} (${formatRate(offer.discountBp)} early-payment discount)`,
      value: money(invoice.totalMinor - offer.discountMinor),
    });
  return rows;
}

/** The early-payment discount the terms offer on this invoice, when they offer one. */
function discountOffer(
  data: InvoicePdfData,
): { discountBp: number; discountMinor: number; deadline: string } | undefined {
  if (!data.discountBp || !data.discountDeadline) return undefined;
  const discountMinor = earlyPaymentDiscountMinor(data.invoice.totalMinor, { discountBp: data.discountBp });
  return discountMinor > 0
    ? { discountBp: data.discountBp, discountMinor, deadline: data.discountDeadline }
    : undefined;
}

/** Tax by rate: one row per rate (period invoices bill orders shipped to places with different rates). */
function taxRows(data: InvoicePdfData): { label: string; taxMinor: number }[] {
  const { invoice, billTo } = data;
  if (data.isTaxExempt) return [{ label: 'Sales tax (customer exempt)', taxMinor: invoice.taxMinor }];
  const orders = billTo.orders;
  if (!orders || orders.length === 0)
    return [{ label: `Sales tax ${formatRate(data.taxRateBp)}`, taxMinor: invoice.taxMinor }];
  if (orders.some((o) => o.taxMinor === undefined))
    return [{ label: "Sales tax (at each ship-to's rate)", taxMinor: invoice.taxMinor }];
  return taxByRate(orders.map((o) => ({ taxRateBp: o.taxRateBp, taxMinor: o.taxMinor! }))).map((t) => ({
    label: `Sales tax ${formatRate(t.rateBp)}`,
    taxMinor: t.taxMinor,
  }));
}

function sections(data: InvoicePdfData, money: (m: number) => string): TextBlock[] {
  const { seller, billTo, shipments, invoice } = data;
  const blocks: TextBlock[] = [];
  if (billTo.period && billTo.orders) {
    blocks.push({
      heading: 'Orders billed',
      lines: billTo.orders.map(
        (o) =>
          `PO ${o.poNumber}: order ${o.orderId} (lines ${o.dealId}/<line>/<shipment>)${o.shipTo ? `, shipped to ${addressLines(o.shipTo).join(', ')}` : ''}, sales tax ${formatRate(o.taxRateBp)}`,
      ),
    });
  }
  if (shipments.length > 1) {
    blocks.push({
      heading: 'Shipments',
      lines: shipments.map(
        (s) =>
          `${s.shipmentId}: shipped ${s.shipDate ?? 'not yet'}${s.trackingNumber ? `, ${s.carrier ? `${s.carrier} ` : ''}tracking ${s.trackingNumber}` : ''}`,
      ),
    });
  }
  const offer = discountOffer(data);
  blocks.push({
    heading: 'Payment terms',
    lines: [
      `${data.paymentTerms}: ${money(invoice.totalMinor)} due on ${data.dueDate}.`,
      ...(offer
        ? [
            `Early-payment discount: ${formatRate(offer.discountBp)} (${money(offer.discountMinor)}) when ${money(invoice.totalMinor - offer.discountMinor)} is received on or before ${offer.deadline}.`,
          ]
        : []),
    ],
  });
  blocks.push({
    heading: 'Remit to / payment instructions',
    lines: [
      `Bank transfer to ${seller.legalName}: ${seller.remitTo.bankName}, ${seller.remitTo.account}, ${seller.remitTo.routing}.`,
      `Payment reference: ${data.invoiceNumber}`,
      `Cheques payable to ${seller.legalName}, mailed to ${seller.remitTo.addressLines.join(', ')}.`,
      `Questions about this invoice: ${seller.email}`,
    ],
  });
  return blocks;
}
