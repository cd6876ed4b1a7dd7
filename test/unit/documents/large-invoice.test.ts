/**
 * A big customer's month as one period invoice (6,000 lines from 250 orders, fixtures/large-documents),
 * read back with pdf.js: every line printed once, in order, with its amounts; every page numbered and
 * headed; the totals once, after the last line. How long it takes is the benchmark's business
 * (`npm run bench:documents`), never asserted here.
 */
import { formatMoney } from '../../../domain/money';
import { renderInvoicePdf, type InvoicePdfData } from '../../../activities/billing/invoice-pdf';
import { LARGE_DOCUMENT_LINES, periodInvoice } from '../../../fixtures/large-documents';
import { SKUS } from '../../../prisma/seed-data';
import { pageLines, readPdf, type PdfPage, type PdfText } from '../../support/read-pdf';
import { demoInvoice } from './fixtures';

const INVOICE_HEADER = 'Line | SKU | Description | Qty shipped | Unit price | Amount';
const usd = (minor: number) => formatMoney(minor, 'USD');
/** A table row's first printed line: ref (its first piece), SKU, description, qty, unit price, amount. */
const ROW = /^\S+ \| ([A-Z0-9.-]+) \| .* \| (\d+) \| (USD [\d,.]+) \| (USD [\d,.]+)$/;

function largeInvoice(): InvoicePdfData {
  const period = periodInvoice({
    lineCount: LARGE_DOCUMENT_LINES,
    skus: SKUS.map((s) => ({ sku: s.sku, description: s.description, unitPriceMinor: Number(s.listPriceMinor) })),
    customerName: 'Acme Industrial Supply, Inc.',
    contact: { name: 'Dana Whitfield', email: 'ap@acme-industrial.example' },
    period: '2026-11',
    dealYear: '2026',
  });
  return {
    ...demoInvoice(),
    billTo: period.billTo,
    invoice: period.invoice,
    taxRateBp: period.taxRateBp,
    shipments: period.shipmentIds.map((shipmentId) => ({ shipmentId, shipDate: '2026-11-20' })),
  };
}

/** The Line column's fragments on a page, top to bottom: a wrapped ref prints in pieces. */
function refFragments(page: PdfPage): string[] {
  const header = page.items.find((i) => i.str === 'Line');
  if (!header) return [];
  return page.items
    .filter((i) => Math.abs(i.x - header.x) < 0.5 && i.y < header.y)
    .sort((a, b) => b.y - a.y)
    .map((i) => i.str.trim());
}

describe('a 6,000-line period invoice', () => {
  const data = largeInvoice();
  const { lines } = data.invoice;
  let pdf: PdfText;
  /** Each page's lines (pageLines), read once. */
  let pages: string[][];
  beforeAll(async () => {
    pdf = readPdf(await renderInvoicePdf(data));
    pages = pdf.pages.map(pageLines);
  });

  it('prints every line once, in order, with its SKU, quantity, unit price and amount', () => {
    const printed = pages.flat().flatMap((l) => ROW.exec(l)?.slice(1) ?? []);
    const expected = lines.flatMap((l) => [l.sku, String(l.quantity), usd(l.unitPriceMinor), usd(l.amountMinor)]);
    expect(printed.length).toBe(4 * LARGE_DOCUMENT_LINES);
    expect(printed).toEqual(expected);
    // Each ref whole and in order: no row is split across two pages.
    expect(pdf.pages.flatMap(refFragments).join('')).toBe(lines.map((l) => l.ref).join(''));
  });

  it('numbers every page, heads each with the table header while lines remain, and leaves none empty', () => {
    expect(pdf.numPages).toBeGreaterThan(LARGE_DOCUMENT_LINES / 20);
    const lastRowPage = Math.max(...pdf.pages.filter((p) => refFragments(p).length > 0).map((p) => p.number));
    for (const page of pdf.pages) {
      const text = pages[page.number - 1]!;
      expect(text[text.length - 1]).toBe(`Invoice INV-0000042 | Page ${page.number} of ${pdf.numPages}`);
      if (page.number > 1) expect(text[0]).toBe('Invoice INV-0000042 (continued)');
      if (page.number > 1 && page.number <= lastRowPage) expect(text[1]).toBe(INVOICE_HEADER);
      // More than the continuation line and the footer: a page of its own for one stray fact is a layout bug.
      expect(text.length).toBeGreaterThan(3);
    }
  });

  it('prints the header once on page 1 and the totals once, after the last line', () => {
    const first = pages[0]!;
    expect(first).toContain(INVOICE_HEADER);
    expect(first.some((l) => l.startsWith('Bill to'))).toBe(true);
    const all = pages.flat();
    const lastRow = all.reduce((at, line, i) => (ROW.test(line) ? i : at), -1);
    const total = all.findIndex((l) => l.startsWith('Total due | '));
    expect(all.filter((l) => l.startsWith('Total due | '))).toEqual([`Total due | ${usd(data.invoice.totalMinor)}`]);
    expect(total).toBeGreaterThan(lastRow);
    expect(all).toContain(`Subtotal | ${usd(data.invoice.subtotalMinor)}`);
    expect(all.some((l) => l.startsWith('Payment reference: INV-0000042'))).toBe(true);
  });
});
