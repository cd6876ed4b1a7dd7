/**
 * The one page layout of closedloop's documents (invoice, credit memo, packing list): a pdfkit renderer
 * fed a plain document model. Every block is measured (heightOfString at its column's width) before it
 * is drawn, so a wrapped cell pushes the next row down instead of being overprinted, and a block that
 * does not fit on the page starts the next one. The lines table repeats its header on every page; the
 * footer "Page i of n" is written once all pages exist (bufferPages).
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { DocumentModel } from './document-model';

const FONT = 'Body';
const BOLD = 'Bold';
/**
 * DejaVu Sans Condensed, embedded (subset): the PDF standard fonts only encode WinAnsi, so a customer
 * named "Łódź Spółka" or "Ελληνικά ΑΕ" came out as garbage. DejaVu covers Latin, Greek and Cyrillic;
 * CJK needs a CJK font and prints as missing-glyph boxes. Read once per process.
 */
const FONT_FILES = {
  [FONT]: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf',
  [BOLD]: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf',
};
let fontData: Record<string, Buffer> | undefined;
const fonts = (): Record<string, Buffer> =>
  (fontData ??= Object.fromEntries(
    Object.entries(FONT_FILES).map(([name, file]) => [name, readFileSync(require.resolve(file))]),
  ));
const MARGIN = 40;
const BODY_SIZE = 9;
const CELL_PADDING = 4;
const GAP = 14;
/** Space kept free above the bottom margin for nothing: the footer lives inside the margin. */
const FOOTER_OFFSET = 20;

/** Renders the model as an A4 PDF. Deterministic for one model (no creation date). */
export function renderDocument(model: DocumentModel): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      info: { Title: `${model.title} ${model.reference}`, Author: model.seller.legalName, CreationDate: new Date(0) },
    });
    for (const [name, data] of Object.entries(fonts())) doc.registerFont(name, data);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      new Layout(doc, model).render();
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

interface Style {
  font?: string;
  size?: number;
  align?: 'left' | 'right' | 'center';
}

interface ColumnGeometry {
  x: number;
  width: number;
  align: 'left' | 'right';
}

class Layout {
  private y = MARGIN;
  private readonly left = MARGIN;
  private readonly width: number;
  /** Redraws what must head a continued page (the table header inside the table). */
  private continuation: (() => void) | undefined;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly model: DocumentModel,
  ) {
    this.width = doc.page.width - 2 * MARGIN;
  }

  render(): void {
    this.header();
    this.parties();
    this.table();
    this.totals();
    this.sections();
    this.footers();
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN;
  }

  private measure(text: string, width: number, style: Style = {}): number {
    this.doc.font(style.font ?? FONT).fontSize(style.size ?? BODY_SIZE);
    return this.doc.heightOfString(text, { width, align: style.align });
  }

  private draw(text: string, x: number, y: number, width: number, style: Style = {}): number {
    const height = this.measure(text, width, style);
    this.place(text, x, y, width, style);
    return height;
  }

  /** Writes text already measured: measuring twice was a third of a 6,000-line invoice's layout time. */
  private place(text: string, x: number, y: number, width: number, style: Style = {}): void {
    this.doc.font(style.font ?? FONT).fontSize(style.size ?? BODY_SIZE);
    this.doc.text(text, x, y, { width, align: style.align });
  }

  /** Starts a new page when `height` more points do not fit on this one. */
  private ensure(height: number): void {
    if (this.y + height <= this.bottom) return;
    this.doc.addPage();
    this.y = MARGIN;
    const head = `${this.model.title} ${this.model.reference} (continued)`;
    this.y += this.draw(head, this.left, this.y, this.width, { font: BOLD, size: 10 }) + GAP / 2;
    this.continuation?.();
  }

  private header(): void {
    const { seller, title, reference, facts } = this.model;
    const sellerWidth = 240;
    const factsX = this.left + sellerWidth + 20;
    const factsWidth = this.width - sellerWidth - 20;
    const labelWidth = 85;
    let left = this.y;
    left += this.draw(seller.legalName, this.left, left, sellerWidth, { font: BOLD, size: 12 });
    for (const line of [...seller.addressLines, `Tax ID: ${seller.taxId}`, seller.email])
      left += this.draw(line, this.left, left, sellerWidth);

    let right = this.y;
    right += this.draw(title, factsX, right, factsWidth, { font: BOLD, size: 16 });
    right += this.draw(reference, factsX, right, factsWidth, { font: BOLD, size: 11 }) + 4;
    for (const fact of facts) {
      const height = Math.max(
        this.measure(fact.label, labelWidth, { font: BOLD }),
        this.measure(fact.value, factsWidth - labelWidth),
      );
      this.draw(fact.label, factsX, right, labelWidth, { font: BOLD });
      this.draw(fact.value, factsX + labelWidth, right, factsWidth - labelWidth);
      right += height;
    }
    this.y = Math.max(left, right) + GAP;
  }

  private parties(): void {
    const blocks = this.model.parties;
    if (blocks.length === 0) return;
    const gutter = 20;
    const width = (this.width - gutter * (blocks.length - 1)) / blocks.length;
    const heights = blocks.map(
      (b) =>
        this.measure(b.heading, width, { font: BOLD }) +
        b.lines.reduce((sum, line) => sum + this.measure(line, width), 0),
    );
    this.ensure(Math.max(...heights));
    blocks.forEach((block, i) => {
      const x = this.left + i * (width + gutter);
      let y = this.y;
      y += this.draw(block.heading, x, y, width, { font: BOLD });
      for (const line of block.lines) y += this.draw(line, x, y, width);
    });
    this.y += Math.max(...heights) + GAP;
  }

  private columnGeometry(): ColumnGeometry[] {
    const { columns } = this.model.table;
    const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
    const flexible = columns.filter((c) => c.width === undefined).length;
    const rest = Math.max(40, (this.width - fixed) / Math.max(1, flexible));
    let x = this.left;
    return columns.map((c) => {
      const width = c.width ?? rest;
      const geometry = { x, width, align: c.align ?? 'left' };
      x += width;
      return geometry;
    });
  }

  /** One row's height: its tallest cell, each wrapped inside its column, plus the padding. */
  private rowHeight(cells: string[], style: Style, geometry: ColumnGeometry[]): number {
    let height = 0;
    cells.forEach((cell, i) => {
      const g = geometry[i]!;
      height = Math.max(height, this.measure(cell, g.width - 2 * CELL_PADDING, { ...style, align: g.align }));
    });
    return height + 2 * CELL_PADDING;
  }

  /** Draws a row at the current y; its height comes from rowHeight, measured once. */
  private drawRow(cells: string[], style: Style, geometry: ColumnGeometry[]): void {
    cells.forEach((cell, i) => {
      const g = geometry[i]!;
      const cellStyle = { ...style, align: g.align };
      this.place(cell, g.x + CELL_PADDING, this.y + CELL_PADDING, g.width - 2 * CELL_PADDING, cellStyle);
    });
  }

  private table(): void {
    const { columns, rows } = this.model.table;
    const geometry = this.columnGeometry();
    const headers = columns.map((c) => c.header);
    const headerStyle = { font: BOLD };
    const headerHeight = this.rowHeight(headers, headerStyle, geometry);
    const drawHeader = () => {
      this.drawRow(headers, headerStyle, geometry);
      this.y += headerHeight;
      this.rule(1);
    };
    // A header alone at the foot of a page is useless: keep it with the first row.
    this.ensure(headerHeight + (rows[0] ? this.rowHeight(rows[0], {}, geometry) : 0));
    drawHeader();
    this.continuation = drawHeader;
    for (const cells of rows) {
      const height = this.rowHeight(cells, {}, geometry);
      this.ensure(height);
      this.drawRow(cells, {}, geometry);
      this.y += height;
      this.rule(0.3);
    }
    this.continuation = undefined;
    this.y += GAP / 2;
  }

  private rule(lineWidth: number): void {
    this.doc
      .save()
      .lineWidth(lineWidth)
      .strokeColor('#888888')
      .moveTo(this.left, this.y)
      .lineTo(this.left + this.width, this.y)
      .stroke()
      .restore();
  }

  private totals(): void {
    const valueWidth = 110;
    const labelWidth = 200;
    const valueX = this.left + this.width - valueWidth;
    const labelX = valueX - labelWidth - 10;
    for (const total of this.model.totals) {
      const style: Style = total.isStrong ? { font: BOLD, size: 11 } : {};
      const height =
        Math.max(
          this.measure(total.label, labelWidth, style),
          this.measure(total.value, valueWidth, { ...style, align: 'right' }),
        ) + 2;
      this.ensure(height);
      this.draw(total.label, labelX, this.y, labelWidth, style);
      this.draw(total.value, valueX, this.y, valueWidth, { ...style, align: 'right' });
      this.y += height;
    }
    if (this.model.totals.length > 0) this.y += GAP;
  }

  private sections(): void {
    for (const section of this.model.sections) {
      const height =
        this.measure(section.heading, this.width, { font: BOLD }) +
        section.lines.reduce((sum, line) => sum + this.measure(line, this.width), 0);
      // Short blocks stay whole; a block taller than a page flows line by line.
      this.ensure(Math.min(height, this.bottom - MARGIN - 40));
      this.y += this.draw(section.heading, this.left, this.y, this.width, { font: BOLD });
      for (const line of section.lines) {
        const lineHeight = this.measure(line, this.width);
        this.ensure(lineHeight);
        this.place(line, this.left, this.y, this.width);
        this.y += lineHeight;
      }
      this.y += GAP / 2;
    }
  }

  /** "Page i of n" on every page, inside the bottom margin, once the page count is known. */
  private footers(): void {
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = 0; i < count; i += 1) {
      this.doc.switchToPage(start + i);
      const { margins } = this.doc.page;
      const bottomMargin = margins.bottom;
      // Text inside the bottom margin would otherwise make pdfkit open a page of its own.
      margins.bottom = 0;
      const y = this.doc.page.height - MARGIN + FOOTER_OFFSET;
      const pageNumber = `Page ${i + 1} of ${count}`;
      this.doc.font(FONT).fontSize(8);
      // No width: with one, pdfkit wraps even when told not to break lines.
      this.doc.text(`${this.model.title} ${this.model.reference}`, this.left, y, { lineBreak: false });
      this.doc.text(pageNumber, this.left + this.width - this.doc.widthOfString(pageNumber), y, { lineBreak: false });
      margins.bottom = bottomMargin;
    }
  }
}
