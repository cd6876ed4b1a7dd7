/**
 * The packing list (delivery note) of one shipment, attached to the advance ship notice: what the
 * receiving dock checks against the goods: shipper, ship-to, PO, shipment, ship date, carrier and
 * tracking, each line with its lots and expiry, and the packages.
 */
import type { SellerIdentity } from '../../lib/config';
import { renderDocument } from '../documents/layout';
import type { DocumentModel } from '../documents/document-model';
import { addressLines, lineColumns, orderFacts, type PostalAddress } from '../documents/parts';

export interface PackingListPdfData {
  seller: SellerIdentity;
  shipmentId: string;
  orderId: string;
  poNumber: string;
  customerName: string;
  receivingContact: { name: string; email: string };
  shipFrom: string;
  shipTo: PostalAddress;
  /** Planned dispatch, 'YYYY-MM-DD' (the ASN goes out before the truck leaves). */
  shipDate: string;
  promisedDeliveryDate: string;
  carrier: string;
  mode: string;
  trackingNumber: string;
  lines: {
    lineNo: number;
    sku: string;
    description: string;
    quantity: number;
    lots: { lotId: string; quantity: number; expiryDate?: string | null }[];
  }[];
  packages: { packageNo: number; kind: string; weightGrams: number; contents: { sku: string; quantity: number }[] }[];
}

export function renderPackingListPdf(data: PackingListPdfData): Promise<Buffer> {
  return renderDocument(packingListDocument(data));
}

const kg = (grams: number) => `${(grams / 1000).toFixed(1)} kg`;

export function packingListDocument(data: PackingListPdfData): DocumentModel {
  const totalGrams = data.packages.reduce((sum, p) => sum + p.weightGrams, 0);
  return {
    title: 'Packing list',
    reference: data.shipmentId,
    seller: data.seller,
    facts: [
      ...orderFacts(data.poNumber, data.orderId),
      { label: 'Shipment', value: data.shipmentId },
      { label: 'Ship date', value: data.shipDate },
      { label: 'Delivery by', value: data.promisedDeliveryDate },
      { label: 'Carrier', value: `${data.carrier} (${data.mode})` },
      { label: 'Tracking', value: data.trackingNumber },
    ],
    parties: [
      { heading: 'Ship from', lines: [data.seller.legalName, data.shipFrom] },
      {
        heading: 'Ship to',
        lines: [
          data.customerName,
          ...addressLines(data.shipTo),
          `Attn: ${data.receivingContact.name}, ${data.receivingContact.email}`,
        ],
      },
    ],
    table: {
      columns: [...lineColumns('Qty shipped'), { header: 'Lots (qty, expiry)', width: 130 }],
      rows: data.lines.map((l) => [
        String(l.lineNo),
        l.sku,
        l.description,
        String(l.quantity),
        l.lots.length > 0
          ? l.lots.map((lot) => `${lot.lotId} (${lot.quantity}, exp ${lot.expiryDate ?? 'n/a'})`).join('; ')
          : '-',
      ]),
    },
    totals: [],
    sections: [
      {
        heading: `Packages: ${data.packages.length}, ${kg(totalGrams)} in total`,
        lines: data.packages.map(
          (p) =>
            `Package ${p.packageNo} (${p.kind}, ${kg(p.weightGrams)}): ${p.contents.map((c) => `${c.quantity} x ${c.sku}`).join(', ')}`,
        ),
      },
      {
        heading: 'Receiving',
        lines: [
          `Please report shortages or damage within 48 hours, quoting ${data.shipmentId} and PO ${data.poNumber}: ${data.seller.email}`,
        ],
      },
    ],
  };
}
