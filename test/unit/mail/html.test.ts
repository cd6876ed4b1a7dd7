import { emailDocument, escapeHtml, html, textToHtml } from '../../../activities/mail/html';

describe('e-mail HTML', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['Smith & "Sons" O\'Brien', 'Smith &amp; &quot;Sons&quot; O&#39;Brien'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
  ])('escapes %j', (value, escaped) => {
    expect(escapeHtml(value)).toBe(escaped);
    expect(html`<td>${value}</td>`.value).toBe(`<td>${escaped}</td>`);
  });

  it('keeps nested templates, joins arrays and drops null, undefined and false', () => {
    const rows = ['A<1>', 'B&2'].map((sku) => html`<tr><td>${sku}</td></tr>`);
    expect(html`<table>${rows}</table>${null}${undefined}${false}${0}`.value).toBe(
      '<table><tr><td>A&lt;1&gt;</td></tr><tr><td>B&amp;2</td></tr></table>0',
    );
  });

  it('never trusts a plain string, even one that looks like markup', () => {
    const customerName = '</p><a href="https://evil.example">pay here</a>';
    const page = emailDocument(`Invoice for ${customerName}`, textToHtml(`Dear ${customerName},\n\nplease pay.`));
    expect(page).not.toContain('<a href');
    expect(page).toContain('&lt;/p&gt;&lt;a href=&quot;https://evil.example&quot;&gt;pay here&lt;/a&gt;');
  });

  it('turns text into paragraphs with its line breaks', () => {
    expect(textToHtml('Dear Dana,\n\nLines:\n  1. VALVE x 240\n  2. GASKET x 1200').value).toBe(
      '<p style="white-space: pre-wrap; margin: 0 0 1em;">Dear Dana,</p>' +
        '<p style="white-space: pre-wrap; margin: 0 0 1em;">Lines:<br>  1. VALVE x 240<br>  2. GASKET x 1200</p>',
    );
  });
});
