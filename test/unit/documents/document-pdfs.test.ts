/**
 * The PDFs a B2B customer receives, read back with pdf.js: every field accounts payable needs, in
 * reading order; no two text boxes overlap on any page; long descriptions wrap inside their cell; a
 * long invoice breaks across pages with the table header repeated and "Page i of n" on each.
 */
import { formatMoney } from '../../../domain/money';
import { invoiceDocument, renderInvoicePdf } from '../../../activities/billing/invoice-pdf';
import { renderCreditMemoPdf } from '../../../activities/returns/credit-memo-pdf';
import { renderPackingListPdf } from '../../../activities/shipping/packing-list-pdf';
import {
  expectInReadingOrder,
  overlappingItems,
  pageLines,
  readingOrder,
  readPdf,
  type PdfText,
} from '../../support/read-pdf';
import { demoCreditMemo, demoInvoice, demoPackingList } from './fixtures';

const INVOICE_HEADER = 'Line | SKU | Description | Qty shipped | Unit price | Amount';

function expectNoOverlaps(pdf: PdfText): void {
  const overlaps = pdf.pages.flatMap((page) =>
    overlappingItems(page).map(([a, b]) => `page ${page.number}: "${a.str}" overlaps "${b.str}"`),
  );
  expect(overlaps).toEqual([]);
}

describe('invoice PDF', () => {
  const data = demoInvoice();
  let pdf: PdfText;
  beforeAll(async () => {
    pdf = readPdf(await renderInvoicePdf(data));
  });

  it('prints what accounts payable needs, in reading order', () => {
    const { invoice, seller } = data;
    expectInReadingOrder(readingOrder(pdf), [
      seller.legalName,
      seller.addressLines[0]!,
      `Tax ID: ${seller.taxId}`,
      'Invoice',
      'INV-0000042',
      'Invoice date',
      '2026-12-10',
      'Due date',
      '2027-01-09',
      'Terms',
      '2/10 NET30',
      'PO number',
      'PO-778341',
      'Shipment',
      'order-D-2026-1042-S1',
      'Ship date',
      '2026-12-04',
      'Tracking',
      'Freightline LTL & Truckload',
      'FRL-000123456',
      // The billing address (accounts payable), then the dock it shipped to.
      'Bill to',
      'Acme Industrial Supply, Inc. - Accounts Payable',
      '200 East Broad Street',
      'Columbus, OH 43215',
      'Attn: Dana Whitfield, ap@acme-industrial.example',
      'Ship to',
      'Acme Industrial Supply - Dock 4',
      '1800 Commerce Parkway',
      'Columbus, OH 43219',
      'Line',
      'SKU',
      'Description',
      'Qty shipped',
      'Unit price',
      'Amount',
      '1',
      'VALVE-BR-050',
      'Brass ball valve',
      '240',
      'USD 21.50',
      'USD 5,160.00',
      '2',
      'GASKET-NBR-050',
      'NBR (Buna-N) flange gasket',
      '1200',
      'USD 0.85',
      'USD 1,020.00',
      '3',
      'SOLVENT-IPA-20L',
      'Isopropyl alcohol 99%',
      '12',
      'USD 92.00',
      'USD 1,104.00',
      'Freight',
      `USD ${(invoice.freightMinor / 100).toFixed(2)}`,
      'Hazardous goods handling (HAZMAT) x 1',
      'USD 45.00',
      'Deduction, line 2: OTIF: late',
      '-USD 20.40',
      'Subtotal',
      'Sales tax 5.75%',
      'Total due',
      'Pay by 2026-12-20 (2% early-payment discount)',
      'Payment terms',
      '2/10 NET30',
      'Early-payment discount: 2%',
      'Remit to / payment instructions',
      seller.remitTo.bankName,
      'Payment reference: INV-0000042',
      'Page 1 of 1',
    ]);
  });

  it('lays each table row out on its own lines, a wrapped description below its first line', () => {
    const lines = pageLines(pdf.pages[0]!);
    expectInReadingOrder(lines, [
      INVOICE_HEADER,
      '1 | VALVE-BR-050 | Brass ball valve',
      '2 | GASKET-NBR-050 | NBR (Buna-N) flange gasket',
      '3 | SOLVENT-IPA-20L | Isopropyl alcohol 99%',
      'Freight | USD',
    ]);
  });

  it('prints the stored amounts: total, tax and the discounted amount to pay', () => {
    const text = pageLines(pdf.pages[0]!).join('\n');
    const usd = (minor: number) => formatMoney(minor, 'USD');
    expect(text).toContain(`Total due | ${usd(data.invoice.totalMinor)}`);
    expect(text).toContain(`Sales tax 5.75% | ${usd(data.invoice.taxMinor)}`);
    expect(text).toContain(`${usd(data.invoice.totalMinor - Math.round(data.invoice.totalMinor * 0.02))}`);
  });

  it('never draws one text box over another', () => {
    expect(pdf.numPages).toBe(1);
    expectNoOverlaps(pdf);
  });
});

describe('names beyond ASCII', () => {
  it('prints Polish, German, Greek and Cyrillic customer data as written', async () => {
    const names = ['Łódź Spółka z o.o.', 'Müller & Söhne Straße 5', 'Ελληνικά Εργαλεία ΑΕ', 'ООО «Ромашка»'];
    const data = demoInvoice();
    data.billTo = {
      ...data.billTo,
      name: names[0]!,
      address: { ...data.billTo.address!, name: names[1]!, line1: names[2]!, line2: names[3]! },
    };
    const pdf = readPdf(await renderInvoicePdf(data));
    expectInReadingOrder(readingOrder(pdf), ['Bill to', ...names]);
    expectNoOverlaps(pdf);
  });
});

describe('invoice tax lines', () => {
  const taxRows = (data: ReturnType<typeof demoInvoice>) =>
    invoiceDocument(data)
      .totals.filter((t) => t.label.startsWith('Sales tax'))
      .map((t) => [t.label, t.value]);

  it("prints one tax line per rate on a period invoice, from each order's stored tax", () => {
    const data = demoInvoice();
    const usd = (minor: number) => formatMoney(minor, 'USD');
    const ohio = data.invoice.taxMinor - 1_000;
    data.billTo = {
      ...data.billTo,
      period: { label: '2026-12' },
      orders: [
        { orderId: 'order-A', dealId: 'A', poNumber: 'PO-A', taxRateBp: 575, taxMinor: ohio - 300 },
        { orderId: 'order-B', dealId: 'B', poNumber: 'PO-B', taxRateBp: 825, taxMinor: 1_000 },
        { orderId: 'order-C', dealId: 'C', poNumber: 'PO-C', taxRateBp: 575, taxMinor: 300 },
      ],
    };
    expect(taxRows(data)).toEqual([
      ['Sales tax 5.75%', usd(ohio)],
      ['Sales tax 8.25%', usd(1_000)],
    ]);
    // Mixed rates: each line also says the tax it was charged, at its own stored rate.
    data.invoice = {
      ...data.invoice,
      lines: data.invoice.lines.map((l, i) => (i === 1 ? { ...l, taxRateBp: 825 } : l)),
    };
    const rows = invoiceDocument(data).table.rows;
    expect(rows[1]![2]).toBe(
      `${data.invoice.lines[1]!.description}\nSales tax 8.25%: ${usd(data.invoice.lines[1]!.taxMinor)}`,
    );
    expect(rows[0]![2]).toBe(
      `${data.invoice.lines[0]!.description}\nSales tax 5.75%: ${usd(data.invoice.lines[0]!.taxMinor)}`,
    );
    const ordersBilled = invoiceDocument(data).sections.find((b) => b.heading === 'Orders billed')!;
    expect(ordersBilled.lines[1]).toBe('PO PO-B: order order-B (lines B/<line>/<shipment>), sales tax 8.25%');
    data.billTo.orders![1]!.shipTo = {
      name: 'Dock 9',
      line1: '1 Pier Road',
      city: 'Seattle',
      region: 'WA',
      postalCode: '98101',
      country: 'US',
    };
    expect(invoiceDocument(data).sections.find((b) => b.heading === 'Orders billed')!.lines[1]).toBe(
      'PO PO-B: order order-B (lines B/<line>/<shipment>), shipped to Dock 9, 1 Pier Road, Seattle, WA 98101, US, sales tax 8.25%',
    );
  });

  it('says a tax-exempt customer is exempt, and falls back to one line for period invoices stored without per-order tax', () => {
    expect(taxRows({ ...demoInvoice(), isTaxExempt: true })[0]![0]).toBe('Sales tax (customer exempt)');
    const old = demoInvoice();
    old.billTo = {
      ...old.billTo,
      period: { label: '2026-11' },
      orders: [{ orderId: 'order-A', dealId: 'A', poNumber: 'PO-A', taxRateBp: 575 }],
    };
    expect(taxRows(old)).toEqual([["Sales tax (at each ship-to's rate)", formatMoney(old.invoice.taxMinor, 'USD')]]);
  });
});

describe('a 200-line invoice', () => {
  const data = demoInvoice(200);
  let pdf: PdfText;
  beforeAll(async () => {
    pdf = readPdf(await renderInvoicePdf(data));
  });

  it('breaks across pages, each with the table header above its rows and "Page i of n"', () => {
    expect(pdf.numPages).toBeGreaterThanOrEqual(5);
    for (const page of pdf.pages) {
      const lines = pageLines(page);
      const firstRow = lines.findIndex((l) => /^\d+ \| [A-Z0-9.-]+ \|/.test(l));
      // Every page with lines on it heads them with the header (a last page may hold only the totals).
      if (page.number < pdf.numPages) expect(firstRow).toBeGreaterThan(-1);
      if (firstRow > -1) expect(lines.indexOf(INVOICE_HEADER)).toBe(firstRow - 1);
      expect(lines[lines.length - 1]).toContain(`Page ${page.number} of ${pdf.numPages}`);
      if (page.number > 1) expect(lines[0]).toBe('Invoice INV-0000042 (continued)');
    }
  });

  it('prints every line once, in order, and the totals after the last line', () => {
    const lines = pdf.pages.flatMap(pageLines);
    const refs = lines
      .map((l) => /^(\d+) \| [A-Z0-9.-]+ \|/.exec(l)?.[1])
      .filter((r): r is string => r !== undefined)
      .map(Number);
    expect(refs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expectInReadingOrder(lines, [
      '200 | ',
      'Freight',
      'Subtotal',
      'Total due',
      'Remit to / payment instructions',
      'Payment reference: INV-0000042',
    ]);
  });

  it('wraps long descriptions inside their cell, pushing the next row down', () => {
    const long = data.invoice.lines[3]!; // ref 4: a description written to wrap
    const page = pdf.pages.find((p) => pageLines(p).some((l) => l.startsWith(`4 | ${long.sku} |`)))!;
    const at = (str: string) => page.items.find((i) => i.str === str)!;
    const lineColumnX = at('Line').x;
    const rowOf = (ref: string) => page.items.find((i) => i.str === ref && Math.abs(i.x - lineColumnX) < 0.5)!;
    const [row4, row5] = [rowOf('4'), rowOf('5')];
    const fragments = page.items.filter(
      (i) => Math.abs(i.x - at('Description').x) < 0.5 && i.y <= row4.y && i.y > row5.y,
    );
    expect(fragments.length).toBeGreaterThanOrEqual(2);
    // The whole description, in order, inside the description column and above the next row.
    expect(fragments.map((f) => f.str.trim()).join(' ')).toBe(long.description);
    for (const f of fragments) expect(f.x + f.width).toBeLessThan(at('Qty shipped').x);
    expect(row5.top).toBeLessThan(Math.min(...fragments.map((f) => f.bottom)));
  });

  it('never draws one text box over another, on any page', () => {
    expectNoOverlaps(pdf);
  });
});

describe('credit memo PDF', () => {
  const data = demoCreditMemo();
  let pdf: PdfText;
  beforeAll(async () => {
    pdf = readPdf(await renderCreditMemoPdf(data));
  });

  it('prints the credit, its lines and how it was settled, in reading order, without overlaps', () => {
    const usd = (minor: number) => formatMoney(minor, 'USD');
    expectInReadingOrder(readingOrder(pdf), [
      data.seller.legalName,
      `Tax ID: ${data.seller.taxId}`,
      'Credit memo',
      'CM-0000007',
      'Credit memo date',
      '2026-12-20',
      'Return',
      'RMA-D-2026-1042-1',
      'PO number',
      'PO-778341',
      'Bill to',
      '200 East Broad Street',
    ]);
    expectInReadingOrder(pageLines(pdf.pages[0]!), [
      'Line | SKU | Description | Qty credited | Unit price | Amount',
      '1 | VALVE-BR-050 | Brass ball valve',
      '3 | SOLVENT-IPA-20L | Isopropyl alcohol 99%',
      `Merchandise credited | ${usd(data.memo.merchandiseMinor)}`,
      `Restocking fee (15%) | ${usd(data.memo.restockingFeeMinor)}`,
      `Sales tax credited 5.75% | ${usd(data.memo.taxMinor)}`,
      `Total credit | ${usd(data.memo.totalMinor)}`,
      'How the credit is settled',
      'Applied to invoice INV-0000042',
      'Refunded: USD 10.00 (reference RF-0000003).',
      'Page 1 of 1',
    ]);
    expectNoOverlaps(pdf);
  });
});

describe('packing list PDF', () => {
  const data = demoPackingList();
  let pdf: PdfText;
  beforeAll(async () => {
    pdf = readPdf(await renderPackingListPdf(data));
  });

  it('prints shipment, carrier, tracking, lines with lots and the packages, in reading order, without overlaps', () => {
    expectInReadingOrder(readingOrder(pdf), [
      data.seller.legalName,
      'Packing list',
      'order-D-2026-1042-S1',
      'PO number',
      'PO-778341',
      'Shipment',
      'order-D-2026-1042-S1',
      'Ship date',
      '2026-12-04',
      'Carrier',
      'Freightline LTL & Truckload (ltl)',
      'Tracking',
      'FRL-000123456',
      'Ship from',
      'Columbus, OH distribution center',
      'Ship to',
      '1800 Commerce Parkway',
    ]);
    expectInReadingOrder(pageLines(pdf.pages[0]!), [
      'Line | SKU | Description | Qty shipped | Lots (qty, expiry)',
      '1 | VALVE-BR-050',
      '3 | SOLVENT-IPA-20L | Isopropyl alcohol 99%',
      'Packages: 2, 326.4 kg in total',
      'Package 2 (pallet, 204.0 kg): 12 x SOLVENT-IPA-20L',
      'Page 1 of 1',
    ]);
    expectNoOverlaps(pdf);
  });
});
