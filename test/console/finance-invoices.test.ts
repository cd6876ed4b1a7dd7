/**
 * The finance side of the console against the real system: invoices listed with filters in the URL
 * and overdue marked, one invoice with its PDF inline (fetched with the key into a blob: URL, never a
 * key in a URL), a discounted payment recorded from the page until the invoice reads paid, the AR
 * aging chart and CSV, KPIs by week, the customer 360 and the audit log. Each screen passes axe-core
 * (no serious or critical violation) and is saved under test-results/console/.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, Request, Response } from 'playwright-core';
import {
  checkScreen,
  screenshot,
  seriousA11yViolations,
  signIn,
  startConsoleSystem,
  type ConsoleSystem,
} from './support';
import { createFixture, isoDay, type Fixture } from '../../fixtures/master-data';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { minorToDecimalString, formatMinor } from '../../console/src/finance/money';

let system: ConsoleSystem;
let f: Fixture;
let financeKey: string;
/** Terms 2/10 NET30, issued today: inside the discount window. */
let discounted: {
  invoiceId: string;
  invoiceNumber: string;
  amountDueMinor: number;
  amountDueWithDiscountMinor: number;
  discountDeadline: string;
};
/** NET30, its due date moved 12 days into the past: overdue. */
let overdue: { invoiceId: string; invoiceNumber: string; balanceMinor: number };
/** NET30, nothing paid: finance voids it. */
let toVoid: { invoiceId: string; invoiceNumber: string };
const requests: Request[] = [];

async function sentInvoice(paymentTerms: string, valves: number) {
  const h = system.harness;
  const order = await shippedOrder(h, f, [
    { lines: [{ lineNo: 1, sku: 'valve', quantity: valves }], freightCostMinor: 4_000 },
  ]);
  const handle = await startInvoice(h, order, { paymentTerms });
  await h.waitForState(handle.workflowId, (s) => s.status === 'sent', 90_000);
  return (await h.app.inject({ url: `/v1/invoices/${handle.workflowId}` })).json();
}

beforeAll(async () => {
  system = await startConsoleSystem();
  const h = system.harness;
  f = await createFixture(h.db);
  financeKey = await h.apiKey('finance');
  const [a, b, c] = await Promise.all([
    sentInvoice('2/10 NET30', 10),
    sentInvoice('NET30', 4),
    sentInvoice('NET30', 1),
  ]);
  discounted = a;
  toVoid = c;
  // Twelve days past due: the list marks it, the aging puts it in 1-30 days.
  await h.db.invoice.update({ where: { id: b.invoiceId }, data: { dueDate: new Date(`${isoDay(-12)}T00:00:00Z`) } });
  overdue = b;
});

afterAll(async () => {
  await system?.stop();
});

afterEach(() => {
  expect(system.pageErrors).toEqual([]);
  for (const r of requests) expect(r.url()).not.toContain(financeKey);
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition()); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

async function financePage(at: string): Promise<Page> {
  const page = await system.newPage();
  page.on('request', (r) => requests.push(r));
  await signIn(page, system.baseUrl, financeKey, at);
  return page;
}

describe('finance console: invoices', () => {
  it('lists invoices filtered by customer and status from the URL, overdue marked in words', async () => {
    expect(discounted.amountDueWithDiscountMinor).toBeLessThan(discounted.amountDueMinor);
    const page = await financePage(`/console/invoices?customerId=${f.customerId}`);
    const table = page.getByRole('table', { name: 'Invoices' });
    await table.getByRole('link', { name: overdue.invoiceNumber }).waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(3);
    const overdueRow = table.locator('tr', { has: page.getByRole('link', { name: overdue.invoiceNumber }) });
    await expect(overdueRow.getAttribute('class')).resolves.toContain('row-overdue');
    await expect(overdueRow.textContent()).resolves.toContain('overdue 12 d');
    const currentRow = table.locator('tr', { has: page.getByRole('link', { name: discounted.invoiceNumber }) });
    await expect(currentRow.textContent()).resolves.not.toContain('overdue');
    // The customer field offers matching customers (by name or id) as their ids.
    await page.getByLabel('Customer id').fill(f.tag.toLowerCase());
    await expect(page.locator(`#f-customer-options option[value="${f.customerId}"]`).textContent()).resolves.toBe(
      `Test Customer ${f.tag}`,
    );
    await page.getByLabel('Customer id').fill(f.customerId);
    await checkScreen(page, 'invoices');

    // Overdue only: the flag goes into the URL and the current invoice leaves the list.
    await page.getByLabel('Overdue only').check();
    await page.waitForURL(/overdue=true/);
    await table.getByRole('link', { name: discounted.invoiceNumber }).waitFor({ state: 'detached' });
    await expect(table.getByRole('link', { name: overdue.invoiceNumber }).isVisible()).resolves.toBe(true);
    expect(new URL(page.url()).searchParams.get('customerId')).toBe(f.customerId);

    // Pages by cursor, two invoices a page, newest first; the cursor goes into the URL, so Back returns.
    await page.goto(`${system.baseUrl}/console/invoices?customerId=${f.customerId}&limit=2`);
    await table.locator('tbody tr').nth(1).waitFor();
    const firstPage = await table.locator('tbody tr').allTextContents();
    expect(firstPage).toHaveLength(2);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.waitForURL(/cursor=/);
    await until(async () => (await table.locator('tbody tr').count()) === 1, 'the second page');
    const secondPage = await table.locator('tbody tr').allTextContents();
    const numbers = [discounted.invoiceNumber, overdue.invoiceNumber, toVoid.invoiceNumber];
    expect(numbers.filter((n) => [...firstPage, ...secondPage].some((row) => row.includes(n)))).toEqual(numbers);
    await expect(page.getByRole('button', { name: 'Next page' }).count()).resolves.toBe(0);
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('cursor'));
    await until(async () => (await table.locator('tbody tr').count()) === 2, 'the first page again');
    await expect(table.locator('tbody tr').allTextContents()).resolves.toEqual(firstPage);

    // A status that matches nothing says so (the designed empty state), with a way back.
    await page.goto(`${system.baseUrl}/console/invoices?customerId=${f.customerId}&status=void`);
    await page.getByText('No invoice matches these filters.').waitFor();
    await checkScreen(page, 'invoices-empty');
    await page.close();
  });

  it('shows an invoice with its PDF inline and records the discounted payment until the invoice reads paid', async () => {
    const page = await financePage(`/console/invoices?customerId=${f.customerId}`);
    const pdfAnswers: Response[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith(`/v1/invoices/${discounted.invoiceId}/pdf`)) pdfAnswers.push(r);
    });
    await page.getByRole('link', { name: discounted.invoiceNumber }).click();
    await page.getByRole('heading', { level: 1, name: `Invoice ${discounted.invoiceNumber} sent` }).waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await expect(page.getByTestId('invoice-timeline').textContent()).resolves.toContain(
      'Invoice e-mailed to the customer',
    );

    // The PDF, fetched with the key in the Authorization header, shown from a blob: URL.
    const pdf = page.getByTestId('invoice-pdf');
    await pdf.waitFor();
    const src = (await pdf.getAttribute('src'))!;
    expect(src).toMatch(/^blob:/);
    expect(pdfAnswers.length).toBeGreaterThan(0);
    expect(pdfAnswers[0]!.headers()['content-type']).toBe('application/pdf');
    expect(await pdfAnswers[0]!.request().headerValue('authorization')).toBe(`Bearer ${financeKey}`);
    // The blob the frame shows is the invoice's PDF, byte for byte (saved through the page's own link).
    const expected = (await system.harness.app.inject({ url: `/v1/invoices/${discounted.invoiceId}/pdf` })).rawPayload;
    const [saved] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Download ${discounted.invoiceNumber}.pdf` }).click(),
    ]);
    const bytes = readFileSync((await saved.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.equals(expected)).toBe(true);
    // The frame really holds the document (Chromium's PDF viewer loads the blob: URL).
    await until(() => page.frames().some((fr) => fr.url() === src), 'the PDF frame to load its blob: URL');
    await checkScreen(page, 'invoice-detail-sent');

    await page.getByRole('button', { name: 'Record payment' }).click();
    const dialog = page.getByRole('dialog');
    const amount = dialog.getByLabel(/Amount received/);
    // Prefilled with the discounted amount, inside the window.
    await expect(amount.inputValue()).resolves.toBe(minorToDecimalString(discounted.amountDueWithDiscountMinor, 'USD'));
    await expect(dialog.getByRole('radio', { name: /Discounted/ }).isChecked()).resolves.toBe(true);
    await dialog.getByLabel('Reference').fill('WIRE-CONSOLE-1');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'invoice-payment-dialog');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('heading', { level: 1, name: `Invoice ${discounted.invoiceNumber} paid` }).waitFor();
    await expect(page.getByTestId('invoice-balance').textContent()).resolves.toBe(formatMinor(0, 'USD'));
    const payments = page.getByTestId('invoice-payments');
    await expect(payments.textContent()).resolves.toContain('WIRE-CONSOLE-1');
    await expect(payments.textContent()).resolves.toContain(formatMinor(discounted.amountDueWithDiscountMinor, 'USD'));
    await expect(page.getByRole('button', { name: 'Record payment' }).count()).resolves.toBe(0);

    const row = await system.harness.db.invoice.findUniqueOrThrow({ where: { id: discounted.invoiceId } });
    expect(row.status).toBe('paid');
    expect(Number(row.paidMinor)).toBe(discounted.amountDueWithDiscountMinor);
    expect(Number(row.discountTakenMinor)).toBe(discounted.amountDueMinor - discounted.amountDueWithDiscountMinor);

    // The page as a person opening the paid invoice sees it (the toast gone, the PDF painted: Chromium's
    // viewer paints a moment after its frame loads).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Invoice ${discounted.invoiceNumber} paid` }).waitFor();
    const paidPdf = (await page.getByTestId('invoice-pdf').getAttribute('src'))!;
    await until(() => page.frames().some((fr) => fr.url() === paidPdf), 'the PDF frame to load its blob: URL');
    await page.getByTestId('invoice-pdf').scrollIntoViewIfNeeded();
    await page.waitForTimeout(2000);
    await checkScreen(page, 'invoice-detail');
    // The README's screenshot is refreshed on request only, so a test run leaves the tree unchanged.
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      const docs = path.join(__dirname, '..', '..', 'docs');
      mkdirSync(docs, { recursive: true });
      copyFileSync(
        path.join(__dirname, '..', '..', 'test-results', 'console', 'invoice-detail.png'),
        path.join(docs, 'console-invoice-detail.png'),
      );
    }
    await page.close();
  });

  it('draws the AR aging as a stacked bar per customer, with the table and the CSV', async () => {
    const page = await financePage('/console/reports/ar-aging');
    const aging = (await system.harness.app.inject({ url: '/v1/reports/ar-aging' })).json();
    const mine = aging.rows.find((r: { customerId: string }) => r.customerId === f.customerId);
    expect(mine.d1_30).toBe(overdue.balanceMinor);

    const chart = page.getByTestId('aging-chart-USD');
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
    // Chart.js painted something: the canvas is not blank.
    const painted = await page.evaluate<number>(
      `(() => { const c = document.querySelector('[data-testid="aging-chart-USD"]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`,
    );
    expect(painted).toBeGreaterThan(1000);
    const row = page
      .getByRole('table')
      .locator('tr', { has: page.getByRole('link', { name: `Test Customer ${f.tag}` }) });
    await expect(row.textContent()).resolves.toContain(formatMinor(mine.totalMinor, 'USD'));
    await expect(row.textContent()).resolves.toContain(formatMinor(overdue.balanceMinor, 'USD'));
    await checkScreen(page, 'ar-aging');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^ar-aging-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('customer');
    expect(csv).toContain(f.customerId);
    await page.close();
  });

  it('charts KPIs by week over a date range, with the figures in a table', async () => {
    const page = await financePage(`/console/reports/kpis?from=${isoDay(-27)}&to=${isoDay(0)}`);
    const otif = page.getByTestId('kpi-chart-otif');
    await otif.waitFor();
    // This test's shipments were delivered on time today: this week's OTIF is drawn.
    expect(Number(await otif.getAttribute('data-points'))).toBeGreaterThan(0);
    for (const key of ['cycle', 'invoice', 'dso', 'sla']) await page.getByTestId(`kpi-chart-${key}`).waitFor();
    await expect(page.getByTestId('kpi-table').locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(4);
    // One request answers every week (groupBy=week), not one request per week.
    const kpiCalls = requests
      .filter((r) => new URL(r.url()).pathname === '/v1/kpis')
      .map((r) => new URL(r.url()).searchParams);
    expect(kpiCalls.length).toBeGreaterThan(0);
    for (const query of kpiCalls) expect(query.get('groupBy')).toBe('week');
    await checkScreen(page, 'kpis');
    await page.close();
  });

  it('shows the customer 360 with credit, billing and the open invoice, overdue marked', async () => {
    const page = await financePage(`/console/customers?q=${f.tag}`);
    await page.getByRole('link', { name: `Test Customer ${f.tag}` }).waitFor();
    await checkScreen(page, 'customers');
    await page.getByRole('link', { name: `Test Customer ${f.tag}` }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`Test Customer ${f.tag}`) }).waitFor();
    const open = page.getByRole('table', { name: 'Open invoices, oldest due first' });
    await open.getByRole('link', { name: overdue.invoiceNumber }).waitFor();
    await expect(open.textContent()).resolves.toContain('overdue 12 d');
    await expect(page.getByTestId('customer-credit-hold').textContent()).resolves.toBe('no');
    await checkScreen(page, 'customer-detail');
    await page.close();
  });

  it('shows the audit log to a finance key: who did what, on which invoice, and the outcome', async () => {
    const h = system.harness;
    const paid = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${overdue.invoiceId}/payments`,
      headers: { authorization: `Bearer ${financeKey}` },
      payload: { amountMinor: 1_000, receivedDate: isoDay(0), reference: 'CHK-AUDIT-1' },
    });
    expect(paid.statusCode).toBe(200);
    const page = await financePage(`/console/audit?targetId=${overdue.invoiceId}`);
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.getByText('payment CHK-AUDIT-1').waitFor();
    await expect(table.getByRole('link', { name: overdue.invoiceId }).count()).resolves.toBeGreaterThan(0);
    await checkScreen(page, 'audit');
    await page.close();
  });

  it("shows the API's refusal verbatim, writes off with a required reason, and says when an invoice does not exist", async () => {
    const h = system.harness;
    const before = (await h.app.inject({ url: `/v1/invoices/${overdue.invoiceId}` })).json();
    expect(before.balanceMinor).toBeGreaterThan(0);
    const page = await financePage(`/console/invoices/${overdue.invoiceId}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Invoice ${overdue.invoiceNumber}`) }).waitFor();

    // One minor unit more than the balance: the API refuses, and the dialog shows its words.
    const tooMuch = before.balanceMinor + 1;
    const refused = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${overdue.invoiceId}/payments`,
      headers: { authorization: `Bearer ${financeKey}` },
      payload: { amountMinor: tooMuch, receivedDate: isoDay(0), reference: 'WIRE-TOO-MUCH' },
    });
    expect(refused.statusCode).toBe(422);
    await page.getByRole('button', { name: 'Record payment' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Other amount' }).check();
    await dialog.getByLabel(/Amount received/).fill(minorToDecimalString(tooMuch, 'USD'));
    await dialog.getByLabel('Reference').fill('WIRE-TOO-MUCH');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain(refused.json().detail);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await h.db.invoice.findUniqueOrThrow({ where: { id: overdue.invoiceId } })).paidMinor).toBe(
      BigInt(before.paidMinor),
    );

    await page.getByRole('button', { name: 'Write off' }).click();
    dialog = page.getByRole('dialog');
    // The reason is required: an empty one is not sent.
    await dialog.getByRole('button', { name: 'Write off' }).click();
    await expect(dialog.isVisible()).resolves.toBe(true);
    await dialog.getByLabel(/Reason/).fill('customer in liquidation; collection agency declined');
    await dialog.getByRole('button', { name: 'Write off' }).click();
    await page.getByRole('heading', { level: 1, name: `Invoice ${overdue.invoiceNumber} written off` }).waitFor();
    const row = await h.db.invoice.findUniqueOrThrow({ where: { id: overdue.invoiceId } });
    expect(row.status).toBe('written_off');
    const audit = await h.db.auditLog.findFirstOrThrow({ where: { targetId: overdue.invoiceId, action: 'write-off' } });
    expect(audit.reason).toBe('customer in liquidation; collection agency declined');

    await page.goto(`${system.baseUrl}/console/invoices/invoice-does-not-exist`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('no invoice invoice-does-not-exist');
    await checkScreen(page, 'invoice-not-found');
    await page.close();
  });

  it('voids an invoice nothing was paid on, with a reason, from the keyboard alone', async () => {
    const page = await financePage(`/console/invoices/${toVoid.invoiceId}`);
    await page.getByRole('heading', { level: 1, name: `Invoice ${toVoid.invoiceNumber} sent` }).waitFor();
    await page.getByRole('button', { name: 'Void' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The modal dialog takes the focus, on its first field: the reason.
    await expect(dialog.getByLabel(/Reason/).evaluate((el) => el === el.ownerDocument.activeElement)).resolves.toBe(
      true,
    );
    await page.keyboard.type('billed to the wrong entity; reissued');
    await page.keyboard.press('Tab'); // Cancel
    await page.keyboard.press('Tab'); // Void invoice
    await expect(
      dialog.getByRole('button', { name: 'Void invoice' }).evaluate((el) => el === el.ownerDocument.activeElement),
    ).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Invoice ${toVoid.invoiceNumber} void` }).waitFor();
    for (const action of ['Record payment', 'Void', 'Write off'])
      await expect(page.getByRole('button', { name: action }).count()).resolves.toBe(0);
    expect((await system.harness.db.invoice.findUniqueOrThrow({ where: { id: toVoid.invoiceId } })).status).toBe(
      'void',
    );
    await page.close();
  });
});
