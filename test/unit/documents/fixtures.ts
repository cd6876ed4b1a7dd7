/**
 * Documents of the demo order (examples/closed-won.json on the seed data): what the invoice, credit memo
 * and packing list activities hand the renderers. Amounts come from the domain's own computation.
 */
import { computeInvoice, type InvoiceLineInput } from '../../../domain/billing/invoice-calc';
import { computeCreditMemo } from '../../../domain/billing/credit-memo';
import { discountDeadline, dueDate, parsePaymentTerms } from '../../../domain/billing/payment-terms';
import { DEMO_SELLER } from '../../../lib/config';
import { CUSTOMERS, SKUS } from '../../../prisma/seed-data';
import type { InvoicePdfData } from '../../../activities/billing/invoice-pdf';
import type { CreditMemoPdfData } from '../../../activities/returns/credit-memo-pdf';
import type { PackingListPdfData } from '../../../activities/shipping/packing-list-pdf';
import demoEvent from '../../../examples/closed-won.json';

const acme = CUSTOMERS.find((c) => c.id === 'CUST-ACME')!;
const describe = (sku: string) => SKUS.find((s) => s.sku === sku)!.description;
const OHIO_TAX_BP = 575;
const CONTRACT: Record<string, number> = { 'VALVE-BR-050': 2_150, 'SOLVENT-IPA-20L': 9_200 };
const priceOf = (line: (typeof demoEvent.lines)[number]): number =>
  typeof line.unitPriceMinor === 'number' ? line.unitPriceMinor : CONTRACT[line.sku]!;

const billTo = {
  name: demoEvent.customer.name,
  contact: demoEvent.customer.billingContact,
  address: acme.billingAddress,
  poNumber: demoEvent.poNumber,
  shipTo: demoEvent.shipTo,
};

/** The demo order's invoice: every line shipped, prepaid-and-add freight, hazmat handling, one OTIF deduction. */
export function demoInvoice(lineCount?: number): InvoicePdfData {
  const lines: InvoiceLineInput[] =
    lineCount === undefined
      ? demoEvent.lines.map((l, i) => ({
          ref: String(i + 1),
          sku: l.sku,
          description: describe(l.sku),
          quantity: l.quantity,
          unitPriceMinor: priceOf(l),
        }))
      : Array.from({ length: lineCount }, (_, i) => {
          const sku = SKUS[i % SKUS.length]!;
          // Every seventh description is long enough to wrap twice in its cell.
          const description =
            i % 7 === 3
              ? `${sku.description}; packed per customer spec ${i}, batch certificate and safety data sheet enclosed, deliver to dock 4 only`
              : sku.description;
          return {
            ref: String(i + 1),
            sku: sku.sku,
            description,
            quantity: 1 + (i % 13),
            unitPriceMinor: Number(sku.listPriceMinor),
          };
        });
  const computed = computeInvoice({
    currency: 'USD',
    lines,
    freight: { terms: 'prepaid_and_add', carrierCostMinor: 18_640, markupBp: acme.freightMarkupBp },
    accessorials: [{ code: 'HAZMAT', quantity: 1 }],
    feeTable: { HAZMAT: { description: 'Hazardous goods handling', amountMinor: 4_500, taxable: true } },
    taxRateBp: OHIO_TAX_BP,
    isTaxExempt: false,
    otifDeductions: [
      { lineRef: '2', penaltyBp: 200, reason: 'OTIF: late (promised 2026-12-08, delivered 2026-12-10)' },
    ],
  });
  if (!computed.ok) throw new Error(computed.errors.map((e) => e.message).join('; '));
  const parsed = parsePaymentTerms(acme.paymentTerms);
  if (!parsed.ok) throw new Error(parsed.reason);
  const issueDate = '2026-12-10';
  return {
    seller: DEMO_SELLER,
    invoiceNumber: 'INV-0000042',
    issueDate,
    dueDate: dueDate(issueDate, parsed.terms),
    paymentTerms: parsed.terms.label,
    discountBp: parsed.terms.discountBp,
    discountDeadline: discountDeadline(issueDate, parsed.terms),
    orderId: `order-${demoEvent.dealId}`,
    billTo,
    shipments: [
      {
        shipmentId: `order-${demoEvent.dealId}-S1`,
        shipDate: '2026-12-04',
        carrier: 'Freightline LTL & Truckload',
        trackingNumber: 'FRL-000123456',
      },
    ],
    invoice: computed.invoice,
    taxRateBp: OHIO_TAX_BP,
    isTaxExempt: false,
  };
}

/** A return of part of the demo order: 40 valves and 2 drums accepted, 15% restocking fee. */
export function demoCreditMemo(): CreditMemoPdfData {
  const computed = computeCreditMemo({
    currency: 'USD',
    acceptedLines: [
      { ref: '1', sku: 'VALVE-BR-050', quantity: 40, unitPriceMinor: CONTRACT['VALVE-BR-050']! },
      { ref: '3', sku: 'SOLVENT-IPA-20L', quantity: 2, unitPriceMinor: CONTRACT['SOLVENT-IPA-20L']! },
    ],
    restockingFeeBp: 1_500,
    taxRateBp: OHIO_TAX_BP,
    isTaxExempt: false,
  });
  if (!computed.ok) throw new Error(computed.errors.map((e) => e.message).join('; '));
  const { memo } = computed;
  return {
    seller: DEMO_SELLER,
    creditMemoNumber: 'CM-0000007',
    issueDate: '2026-12-20',
    returnId: 'RMA-D-2026-1042-1',
    orderId: `order-${demoEvent.dealId}`,
    poNumber: demoEvent.poNumber,
    billTo: { name: billTo.name, contact: billTo.contact, address: billTo.address },
    descriptions: Object.fromEntries(SKUS.map((s) => [s.sku, s.description])),
    memo,
    restockingFeeBp: 1_500,
    taxRateBp: OHIO_TAX_BP,
    isTaxExempt: false,
    applications: [{ invoiceNumber: 'INV-0000042', appliedMinor: memo.totalMinor - 1_000, balanceAfterMinor: 0 }],
    refundMinor: 1_000,
    refundReference: 'RF-0000003',
  };
}

/** The demo order's one shipment as the ASN describes it: lots and expiry for the lot-tracked solvent. */
export function demoPackingList(): PackingListPdfData {
  return {
    seller: DEMO_SELLER,
    shipmentId: `order-${demoEvent.dealId}-S1`,
    orderId: `order-${demoEvent.dealId}`,
    poNumber: demoEvent.poNumber,
    customerName: demoEvent.customer.name,
    receivingContact: demoEvent.customer.shippingContact,
    shipFrom: 'Columbus, OH distribution center',
    shipTo: demoEvent.shipTo,
    shipDate: '2026-12-04',
    promisedDeliveryDate: '2026-12-08',
    carrier: 'Freightline LTL & Truckload',
    mode: 'ltl',
    trackingNumber: 'FRL-000123456',
    lines: demoEvent.lines.map((l, i) => ({
      lineNo: i + 1,
      sku: l.sku,
      description: describe(l.sku),
      quantity: l.quantity,
      lots:
        l.sku === 'SOLVENT-IPA-20L'
          ? [
              { lotId: 'IPA-2611-A', quantity: 8, expiryDate: '2028-05-31' },
              { lotId: 'IPA-2611-B', quantity: 4, expiryDate: '2028-08-31' },
            ]
          : [],
    })),
    packages: [
      {
        packageNo: 1,
        kind: 'pallet',
        weightGrams: 122_400,
        contents: [
          { sku: 'VALVE-BR-050', quantity: 240 },
          { sku: 'GASKET-NBR-050', quantity: 1200 },
        ],
      },
      { packageNo: 2, kind: 'pallet', weightGrams: 204_000, contents: [{ sku: 'SOLVENT-IPA-20L', quantity: 12 }] },
    ],
  };
}
