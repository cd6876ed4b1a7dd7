/**
 * Reads a PDF from stdin and prints, as JSON, every text item of every page with its box: the text
 * read back by pdf.js, the way a viewer or an AP team's OCR-free import sees it.
 *
 * A separate ESM process because pdfjs-dist 4 and later ship as ES modules only, which jest's CommonJS
 * module loader cannot import; the maintained release (security fixes included) is worth the child
 * process. Used by test/support/read-pdf.ts.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const data = new Uint8Array(Buffer.concat(chunks));
const pdf = await getDocument({
  data,
  isEvalSupported: false,
  disableFontFace: true,
  useSystemFonts: false,
  verbosity: 0,
}).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n += 1) {
  const page = await pdf.getPage(n);
  const [, , width, height] = page.view;
  const content = await page.getTextContent();
  const items = content.items
    .filter((item) => 'str' in item && item.str.trim() !== '')
    .map((item) => {
      const [, , , scaleY, x, y] = item.transform;
      const size = Math.abs(scaleY);
      const style = content.styles[item.fontName] ?? {};
      // The glyph box: from the baseline down by the font's descent and up by its ascent.
      const ascent = style.ascent ?? 0.8;
      const descent = style.descent ?? -0.2;
      return { str: item.str, x, y, width: item.width, size, top: y + ascent * size, bottom: y + descent * size };
    });
  pages.push({ number: n, width, height, items });
}
process.stdout.write(JSON.stringify({ numPages: pdf.numPages, pages }));
