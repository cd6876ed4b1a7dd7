/** Small pieces every document prints the same way: addresses, rates, parties, line tables. */
import type { DocumentModel, Fact, TableColumn, TextBlock } from './document-model';

/** A postal address as the closed-won event and the customer master carry it. */
export interface PostalAddress {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

/** Printed lines of an address: name, street lines, "City, RG 12345", country. */
export function addressLines(address: PostalAddress): string[] {
  const cityLine = `${address.city}${address.region ? `, ${address.region}` : ''} ${address.postalCode}`;
  return [address.name, address.line1, address.line2, cityLine, address.country].filter(
    (line): line is string => !!line,
  );
}

/** Basis points as a percentage: 725 -> "7.25%", 800 -> "8%". */
export function formatRate(bp: number): string {
  return `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

/** The order a document belongs to, as the buyer files it: its PO number (when it has one), then the order. */
export function orderFacts(poNumber: string | undefined, orderId: string): Fact[] {
  return [...(poNumber ? [{ label: 'PO number', value: poNumber }] : []), { label: 'Order', value: orderId }];
}

/** The bill-to block of an invoice or credit memo: the buyer, its billing address and the person to write to. */
export function billToBlock(billTo: {
  name: string;
  contact: { name: string; email: string };
  address?: PostalAddress;
}): TextBlock {
  const contact = `Attn: ${billTo.contact.name}, ${billTo.contact.email}`;
  return {
    heading: 'Bill to',
    lines: billTo.address
      ? [billTo.name, ...addressLines(billTo.address), contact]
      : [billTo.name, '(no billing address on file)', contact],
  };
}

/** The columns every line table starts with; `quantityHeader` says what the quantity counts ("Qty shipped"). */
export function lineColumns(quantityHeader: string): TableColumn[] {
  return [
    { header: 'Line', width: 32 },
    { header: 'SKU', width: 96 },
    { header: 'Description' },
    { header: quantityHeader, width: 66, align: 'right' },
  ];
}

/** A line that carries a price: an invoice's or a credit memo's. */
export interface PricedLine {
  ref: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
}

/** The table of priced lines: line, SKU, description, quantity, unit price and amount. */
export function pricedLineTable<L extends PricedLine>(
  quantityHeader: string,
  lines: readonly L[],
  describe: (line: L) => string,
  money: (amountMinor: number) => string,
): DocumentModel['table'] {
  return {
    columns: [
      ...lineColumns(quantityHeader),
      { header: 'Unit price', width: 70, align: 'right' },
      { header: 'Amount', width: 88, align: 'right' },
    ],
    rows: lines.map((l) => [
      l.ref,
      l.sku,
      describe(l),
      String(l.quantity),
      money(l.unitPriceMinor),
      money(l.amountMinor),
    ]),
  };
}
