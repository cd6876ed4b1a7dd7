/**
 * What a document says, as plain data: the invoice, credit memo and packing list build one of these
 * and layout.ts draws it.
 */
import type { SellerIdentity } from '../../lib/config';

export interface Fact {
  label: string;
  value: string;
}

export interface TextBlock {
  heading: string;
  lines: string[];
}

export interface TableColumn {
  header: string;
  /** Fixed width in points; one column without a width takes what is left. */
  width?: number;
  align?: 'left' | 'right';
}

export interface TotalRow {
  label: string;
  value: string;
  isStrong?: boolean;
}

export interface DocumentModel {
  /** "Invoice", "Credit memo", "Packing list". */
  title: string;
  /** The document's number, printed beside the title, in the running head and in the footer. */
  reference: string;
  seller: SellerIdentity;
  /** Dates, terms, PO, shipment...: the label/value block under the title. */
  facts: Fact[];
  /** Side by side under the header: bill-to, ship-to. */
  parties: TextBlock[];
  table: { columns: TableColumn[]; rows: string[][] };
  /** Right-aligned amounts under the table (freight, tax, total...); empty for a packing list. */
  totals: TotalRow[];
  /** Full-width blocks at the end: terms, payment instructions, notes. */
  sections: TextBlock[];
}
