/**
 * The invoice as a PDF (pdfkit): header, bill-to, lines, freight, accessorials, OTIF deductions, tax,
 * total, terms. Rendered from the stored invoice row, so the API can also render it on demand.
 */
import PDFDocument from 'pdfkit';
import type { ComputedInvoice } from '../../domain/billing/invoice-calc';
import { formatMoney } from '../../domain/money';

export interface InvoicePdfData {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  paymentTerms: string;
  discountDeadline?: string;
  orderId: string;
  billTo: {
    name: string;
    contact: { name: string; email: string };
    poNumber?: string;
    shipTo?: { line1: string; city: string; region?: string; postalCode: string; country: string };
    /** Period invoices: the period and every order billed, each taxed at its ship-to's rate. */
    period?: { label: string };
    orders?: { orderId: string; dealId: string; poNumber: string; taxRateBp: number }[];
  };
  invoice: ComputedInvoice;
  taxRateBp: number;
  isTaxExempt: boolean;
}

export function renderInvoicePdf(data: InvoicePdfData): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${data.invoiceNumber}`, Author: 'closedloop' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const money = (m: number) => formatMoney(m, data.invoice.currency);
    const row = (label: string, amount: string) => {
      const y = doc.y;
      doc.text(label, 50, y, { width: 380 });
      doc.text(amount, 430, y, { width: 115, align: 'right' });
    };

    doc.fontSize(20).text(`Invoice ${data.invoiceNumber}`);
    doc.moveDown(0.5).fontSize(10);
    doc.text(`Issue date: ${data.issueDate}    Due date: ${data.dueDate}    Terms: ${data.paymentTerms}`);
    if (data.discountDeadline) doc.text(`Early-payment discount if paid by ${data.discountDeadline}`);
    const { period, orders } = data.billTo;
    if (period && orders) {
      doc.text(`Billing period: ${period.label}`);
      for (const o of orders) doc.text(`PO: ${o.poNumber}    Order: ${o.orderId}    (lines ${o.dealId}/<line>/<shipment>)`);
    } else {
      doc.text(`Order: ${data.orderId}${data.billTo.poNumber ? `    PO: ${data.billTo.poNumber}` : ''}`);
    }
    doc.moveDown().text('Bill to:').text(data.billTo.name).text(`${data.billTo.contact.name} <${data.billTo.contact.email}>`);
    const s = data.billTo.shipTo;
    if (s && !period) doc.text(`Ship to: ${s.line1}, ${s.city}${s.region ? `, ${s.region}` : ''} ${s.postalCode}, ${s.country}`);
    doc.moveDown();
    // Orders shipped to places with different rates: each line says the tax it was charged.
    const rates = new Set((orders ?? []).map((o) => o.taxRateBp));
    const isMixedRate = !data.isTaxExempt && rates.size > 1;
    for (const l of data.invoice.lines) {
      const tax = isMixedRate ? ` (tax ${(l.taxRateBp ?? data.taxRateBp) / 100}%: ${money(l.taxMinor)})` : '';
      row(`${l.ref}. ${l.sku} ${l.description}: ${l.quantity} x ${money(l.unitPriceMinor)}${tax}`, money(l.amountMinor));
    }
    if (data.invoice.freightMinor !== 0) row('Freight', money(data.invoice.freightMinor));
    for (const a of data.invoice.accessorials) row(`${a.description} (${a.code}) x ${a.quantity}`, money(a.amountMinor));
    for (const d of data.invoice.deductions) row(`Deduction line ${d.lineRef}: ${d.reason} (${d.penaltyBp / 100}%)`, money(d.amountMinor));
    doc.moveDown();
    row('Subtotal', money(data.invoice.subtotalMinor));
    row(data.isTaxExempt ? 'Tax (exempt)' : isMixedRate ? 'Tax (at each ship-to\'s rate)' : `Tax (${data.taxRateBp / 100}%)`, money(data.invoice.taxMinor));
    doc.fontSize(12);
    row('Total due', money(data.invoice.totalMinor));
    doc.end();
  });
}
