/**
 * HTML for e-mails, escaped by construction. `html` is a tagged template: every interpolated value is
 * escaped unless it is already `SafeHtml` (built by `html` itself), so customer data (names, PO
 * numbers, addresses) can never inject markup. There is no way to mark a plain string as safe.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Markup that went through `html` (its values escaped). */
export class SafeHtml {
  private constructor(readonly value: string) {}

  /** Only this module makes SafeHtml: from a template whose values it escaped. */
  static fromTemplate(strings: TemplateStringsArray, values: unknown[]): SafeHtml {
    return new SafeHtml(
      strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''),
    );
  }

  toString(): string {
    return this.value;
  }
}

type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** html`<p>Dear ${name},</p>`: values escaped, nested html`` kept, arrays joined, null/false dropped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return SafeHtml.fromTemplate(strings, values);
}

/** Plain text as HTML: blank-line separated paragraphs, line breaks kept, everything escaped. */
export function textToHtml(text: string): SafeHtml {
  const paragraphs = text.split(/\n{2,}/).map((p) => p.split('\n'));
  return html`${paragraphs.map((lines) => html`<p style="white-space: pre-wrap; margin: 0 0 1em;">${lines.map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>`)}`;
}

/** The whole message: a minimal, mail-client-safe page around the body. */
export function emailDocument(subject: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family: Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.45; color: #1a1a1a;">
${body}
</body></html>`.value;
}
