/**
 * A rendered PDF read back by pdf.js (test/support/pdf-text.mjs, in a child process): its pages, the
 * text items with their boxes, the lines in reading order, and the boxes that overlap.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export interface PdfTextItem {
  str: string;
  /** Left edge and baseline, in PDF points from the bottom-left corner. */
  x: number;
  y: number;
  width: number;
  size: number;
  /** Glyph box from the font's descent to its ascent. */
  top: number;
  bottom: number;
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  items: PdfTextItem[];
}

export interface PdfText {
  numPages: number;
  pages: PdfPage[];
}

const EXTRACTOR = path.join(__dirname, 'pdf-text.mjs');

export function readPdf(pdf: Buffer): PdfText {
  const run = spawnSync(process.execPath, [EXTRACTOR], { input: pdf, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pdf-text.mjs failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as PdfText;
}

/** Items on one baseline (within half a point) form a line; lines top to bottom, items left to right. */
export function pageLines(page: PdfPage): string[] {
  const lines: { y: number; items: PdfTextItem[] }[] = [];
  for (const item of page.items) {
    const line = lines.find((l) => Math.abs(l.y - item.y) < 0.5);
    if (line) line.items.push(item);
    else lines.push({ y: item.y, items: [item] });
  }
  return lines
    .sort((a, b) => b.y - a.y)
    .map((l) =>
      l.items
        .sort((a, b) => a.x - b.x)
        .map((i) => i.str.trim())
        .join(' | '),
    );
}

/**
 * Every text item in the order pdf.js reads it (the content stream: what copy-and-paste, screen
 * readers and text extraction get), page after page. A side-by-side block reads as a whole, left one
 * first; a table row reads cell by cell, a wrapped cell's lines together.
 */
export function readingOrder(text: PdfText): string[] {
  return text.pages.flatMap((page) => page.items.map((item) => item.str.trim()));
}

/** Pairs of text items on the page whose boxes intersect (an overprint). */
export function overlappingItems(page: PdfPage): [PdfTextItem, PdfTextItem][] {
  const pairs: [PdfTextItem, PdfTextItem][] = [];
  const epsilon = 0.01;
  page.items.forEach((a, i) => {
    for (const b of page.items.slice(i + 1)) {
      const xOverlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const yOverlap = Math.min(a.top, b.top) - Math.max(a.bottom, b.bottom);
      if (xOverlap > epsilon && yOverlap > epsilon) pairs.push([a, b]);
    }
  });
  return pairs;
}

/**
 * Checks that each fragment is printed (inside one item or line), each at or after the previous one;
 * throws naming the first fragment missing or out of order, with everything printed, so a failure
 * says what the page shows.
 */
export function expectInReadingOrder(lines: string[], fragments: string[]): void {
  let from = 0;
  for (const fragment of fragments) {
    const at = lines.findIndex((line, i) => i >= from && line.includes(fragment));
    if (at === -1) {
      const anywhere = lines.findIndex((line) => line.includes(fragment));
      throw new Error(
        `"${fragment}" ${anywhere === -1 ? 'is not printed' : `is printed (line ${anywhere}) but before the previous fragment (line ${from})`}\n` +
          lines.map((l, i) => `${String(i).padStart(3)}: ${l}`).join('\n'),
      );
    }
    from = at;
  }
}
