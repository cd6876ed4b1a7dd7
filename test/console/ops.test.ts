/**
 * The ops side of the console in a real browser against the real system: an order stuck on a failing
 * carrier adapter found in the work queue and retried from its page once the carrier is back, a
 * skippable step skipped with a reason (audit log), a bulk retry after an outage, finance approving a
 * credit hold, a crm key that sees no action, and the orders list paging through many orders. One
 * system for the file; scenarios run in order.
 */
import type { Locator, Page } from 'playwright-core';
import { checkScreen, signIn, startConsoleSystem, type ConsoleSystem } from './support';
import { createFixture, type Fixture } from '../../fixtures/master-data';
import { placeOrder, stepOf } from '../support/flows';
import { realActivities, type RealActivities } from '../support/real-activities';

const CARRIER_DOWN = 'carrier API down: T-PARCEL answered 503';
const CONFIRMATION_DOWN = 'mail relay refused the order confirmation (421)';
/** Long enough for a step's retries, the mirror and the console's polling. */
const LIVE = { timeout: 120_000 };

let system: ConsoleSystem;
let real: RealActivities;
let closeReal: () => void;
const outage = { carrier: false, confirmation: false };
let fixture: Fixture;
const keys: Record<'ops' | 'finance' | 'crm' | 'admin', string> = { ops: '', finance: '', crm: '', admin: '' };

beforeAll(async () => {
  system = await startConsoleSystem();
  const h = system.harness;
  ({ real, close: closeReal } = realActivities(h));
  // The real adapters, failing while the test says an outage is on.
  await h.stopWorker();
  await h.startWorker({
    bookCarrier: (async (...args: Parameters<RealActivities['bookCarrier']>) => {
      if (outage.carrier) throw new Error(CARRIER_DOWN);
      return real.bookCarrier(...args);
    }) as (...args: never[]) => Promise<unknown>,
    sendOrderConfirmation: (async (...args: Parameters<RealActivities['sendOrderConfirmation']>) => {
      if (outage.confirmation) throw new Error(CONFIRMATION_DOWN);
      return real.sendOrderConfirmation(...args);
    }) as (...args: never[]) => Promise<unknown>,
  });
  fixture = await createFixture(h.db);
  for (const role of ['ops', 'finance', 'crm', 'admin'] as const) keys[role] = await h.apiKey(role);
});

afterAll(async () => {
  closeReal?.();
  await system?.stop();
});

afterEach(() => {
  expect(system.pageErrors).toEqual([]);
});

async function signedIn(role: keyof typeof keys, at = '/console/'): Promise<Page> {
  const page = await system.newPage();
  await signIn(page, system.baseUrl, keys[role], at);
  return page;
}

const stepRow = (page: Page, step: string): Locator =>
  page.getByRole('row').filter({ has: page.locator('.step-name', { hasText: new RegExp(`^${step}$`) }) });

/** Waits until the orders table's first row is `orderId` (the list keeps the previous page while it loads). */
const firstOrderIs = (page: Page, orderId: string) =>
  page
    .getByRole('table', { name: 'Orders' })
    .locator('tbody tr')
    .first()
    .locator('td')
    .first()
    .getByRole('link', { name: orderId, exact: true })
    .waitFor();

async function waitForStuck(runId: string, step: string): Promise<void> {
  await system.harness.waitForState(runId, (s) => stepOf(s, step)?.status === 'needs_attention', 120_000);
}

describe('ops console', () => {
  it('finds an order stuck on a failing carrier in the work queue, reads the error, and retries it once the carrier is back', async () => {
    outage.carrier = true;
    const orderId = await placeOrder(system.harness, fixture);
    await waitForStuck(`${orderId}-S1`, 'book-carrier');

    const page = await signedIn('ops');
    const section = page.getByTestId('section-needs_attention');
    const item = section.getByRole('link').filter({ hasText: orderId }).first();
    // The queue lists the oldest 50 of a section: in a database shared with other test files ours may
    // be past them, and then the section's link to the full list in the orders list leads to it.
    const all = section.getByRole('link', { name: 'All of them in the orders list' });
    await item.or(all).waitFor(LIVE);
    await expect(page.getByTestId('count-needs_attention').textContent()).resolves.toMatch(/^[1-9]\d*/);
    await checkScreen(page, 'work-queue');

    if ((await item.count()) > 0) {
      await expect(item.textContent()).resolves.toContain(CARRIER_DOWN);
      await item.click();
    } else {
      await all.click();
      await page.getByRole('link', { name: orderId, exact: true }).click();
    }
    await page.getByRole('heading', { name: `Order ${orderId}` }).waitFor();
    const row = stepRow(page, 'book-carrier');
    await row.getByText(CARRIER_DOWN).waitFor(LIVE);
    await expect(row.locator('.badge').textContent()).resolves.toBe('needs attention');

    // book-carrier is not skippable: the workflow refuses, and the dialog shows the API's reason verbatim.
    await row.getByRole('button', { name: 'Skip' }).click();
    const skipDialog = page.getByRole('dialog');
    await skipDialog.getByLabel('Reason').fill('try skipping the carrier');
    await skipDialog.getByRole('button', { name: 'Skip' }).click();
    const refusal = skipDialog.getByRole('alert');
    await refusal.waitFor();
    const api = await system.harness.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}-S1/steps/book-carrier/skip`,
      payload: { reason: 'same request' },
      headers: { authorization: `Bearer ${keys.ops}` },
    });
    expect(api.statusCode).toBeGreaterThanOrEqual(400);
    await expect(refusal.locator('.problem-detail').textContent()).resolves.toBe(api.json().detail);
    await skipDialog.getByRole('button', { name: 'Cancel' }).click();
    await checkScreen(page, 'order-detail-stuck');

    outage.carrier = false;
    await row.getByRole('button', { name: 'Retry' }).click();
    const retryDialog = page.getByRole('dialog');
    await retryDialog.getByLabel(/Reason/).fill('carrier is back');
    await retryDialog.getByRole('button', { name: 'Retry' }).click();
    await retryDialog.waitFor({ state: 'detached' });
    await page.getByTestId('order-status').getByText('shipped', { exact: true }).waitFor(LIVE);
    await stepRow(page, 'book-carrier')
      .locator('.badge', { hasText: /^completed$/ })
      .waitFor(LIVE);
    await page.getByRole('cell', { name: 'carrier is back' }).first().waitFor(LIVE);
    // Shipped: each line shows the lots picked for it (FEFO: the 200-day lot first) and the shipment its advance ship notice.
    const shipments = page.getByRole('table', { name: 'Shipments' });
    await shipments
      .getByText(new RegExp(`^lot LOT-A-${fixture.tag} × \\d+, expires `))
      .first()
      .waitFor(LIVE);
    const asn = shipments.getByTestId('asn');
    await asn.getByText(`${orderId}-S1`, { exact: true }).waitFor(LIVE);
    await asn.getByText(/^sent /).waitFor(LIVE);
    // Shipped: cancelling is no longer offered, and the button says why.
    await expect(page.getByRole('button', { name: 'Cancel order' }).isDisabled()).resolves.toBe(true);
    await page.getByText('Already shipped: returns, not cancellation.').waitFor();
    // The screenshot for the README, once the outcome message has gone.
    await page.getByTestId('announcer').filter({ hasText: /^$/ }).waitFor({ state: 'attached' });
    await checkScreen(page, 'order-detail');

    // Ops record the proof of delivery from the page: the signer and each line's OTIF show.
    await shipments.getByRole('button', { name: 'Record delivery' }).click();
    const deliveryDialog = page.getByRole('dialog');
    await deliveryDialog.getByLabel('Signed by').fill('Dock 4, J. Park');
    await deliveryDialog.getByRole('button', { name: 'Record delivery' }).click();
    await deliveryDialog.waitFor({ state: 'detached' });
    await shipments.getByTestId('pod').getByText('signed by Dock 4, J. Park').waitFor(LIVE);
    await shipments.getByTestId('otif').first().waitFor(LIVE);
    await checkScreen(page, 'order-detail-delivered');
    await page.close();
  });

  it('skips a skippable step with a reason, keeps typed text through refreshes, and the audit log shows it', async () => {
    outage.confirmation = true;
    const orderId = await placeOrder(system.harness, await createFixture(system.harness.db));
    await waitForStuck(orderId, 'send-order-confirmation');

    const page = await signedIn('ops', `/console/orders/${orderId}`);
    const row = stepRow(page, 'send-order-confirmation');
    await row.getByText(CONFIRMATION_DOWN).waitFor(LIVE);
    // By keyboard: Enter on the button opens the dialog with the focus in its first field.
    await row.getByRole('button', { name: 'Skip' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect(dialog.getByLabel('Reason').evaluate((el) => el === el.ownerDocument.activeElement)).resolves.toBe(
      true,
    );
    const reason = 'customer confirmed by phone; mail relay down';
    await page.keyboard.type(reason);
    await checkScreen(page, 'skip-dialog');
    // Two polling rounds go by while the dialog is open: what was typed stays.
    const refreshes = page.waitForResponse(
      (r) => r.url().endsWith(`/v1/orders/${orderId}`) && r.request().method() === 'GET',
    );
    await refreshes;
    await page.waitForResponse((r) => r.url().endsWith(`/v1/orders/${orderId}`) && r.request().method() === 'GET');
    await expect(dialog.getByLabel('Reason').inputValue()).resolves.toBe(reason);
    await dialog.getByRole('button', { name: 'Skip' }).click();
    await dialog.waitFor({ state: 'detached' });
    outage.confirmation = false;

    await stepRow(page, 'send-order-confirmation').locator('.badge', { hasText: 'skipped' }).waitFor(LIVE);
    await stepRow(page, 'send-order-confirmation').getByText(`Skipped: ${reason}`).waitFor(LIVE);

    const audit = await system.harness.app.inject({
      url: `/v1/audit?targetId=${orderId}`,
      headers: { authorization: `Bearer ${keys.finance}` },
    });
    expect(audit.statusCode).toBe(200);
    const entries = audit.json().items as { action: string; reason: string | null; outcome: string; actor: string }[];
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'skip send-order-confirmation', reason, outcome: 'done' }),
      ]),
    );
    await page.close();
  });

  it('retries every run stuck on a step after an outage: dry-run count and list, then confirm', async () => {
    outage.carrier = true;
    const f = await createFixture(system.harness.db, { stock: { primary: { solvent: 100 } } });
    const orders = [
      await placeOrder(system.harness, f),
      await placeOrder(system.harness, f),
      await placeOrder(system.harness, f),
    ];
    for (const orderId of orders) await waitForStuck(`${orderId}-S1`, 'book-carrier');

    const page = await signedIn('ops', '/console/bulk-retry');
    await page.getByRole('heading', { name: 'Bulk retry' }).waitFor();
    await page.getByLabel('Step').fill('book-carrier');
    await page.getByLabel('Reason').fill('carrier outage over');
    await page.getByRole('button', { name: /Dry run/ }).click();
    const summary = page.getByTestId('bulk-summary');
    await summary.waitFor();
    const dryText = (await summary.textContent()) ?? '';
    const counted = Number(/(\d+) run/.exec(dryText)?.[1]);
    expect(counted).toBeGreaterThanOrEqual(3);
    for (const orderId of orders) await page.getByRole('link', { name: `${orderId}-S1` }).waitFor();
    await checkScreen(page, 'bulk-retry');

    outage.carrier = false;
    await page.getByRole('button', { name: new RegExp(`^Retry ${counted} runs on book-carrier$`) }).click();
    await summary.getByText(/^Retried \d+ of \d+ runs on book-carrier$/).waitFor(LIVE);
    for (const orderId of orders) {
      await expect(
        page
          .getByRole('row')
          .filter({ hasText: `${orderId}-S1` })
          .getByRole('cell')
          .nth(1)
          .textContent(),
      ).resolves.toBe('retried');
    }
    for (const orderId of orders) await system.harness.waitForState(orderId, (s) => s.status === 'shipped');
    await page.close();
  });

  it('lets finance approve an order on credit hold from the order page', async () => {
    const tight = await createFixture(system.harness.db, { creditLimitMinor: 100 });
    const orderId = await placeOrder(system.harness, tight);
    await system.harness.waitForState(orderId, (s) => stepOf(s, 'credit-approval')?.status === 'waiting');

    const page = await signedIn('finance', `/console/orders/${orderId}`);
    await page.getByRole('button', { name: 'Credit decision' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Approve').check();
    await dialog.getByLabel('Reason').fill('prepayment received by wire');
    await checkScreen(page, 'credit-decision');
    await dialog.getByRole('button', { name: 'Credit decision' }).click();
    await dialog.waitFor({ state: 'detached' });
    await stepRow(page, 'credit-approval').locator('.badge', { hasText: 'completed' }).waitFor(LIVE);
    // The timeline and the order (whose steps offer the action) refresh as two queries: wait for both.
    await page.getByRole('button', { name: 'Credit decision', exact: true }).waitFor({ ...LIVE, state: 'detached' });
    // Finance takes no ops action on an order.
    await expect(page.getByRole('button', { name: 'Hold' }).count()).resolves.toBe(0);
    await page.close();
  });

  it('shows a crm key no action at all', async () => {
    outage.carrier = true;
    const orderId = await placeOrder(system.harness, await createFixture(system.harness.db));
    await waitForStuck(`${orderId}-S1`, 'book-carrier');
    outage.carrier = false;

    const page = await signedIn('crm', `/console/orders/${orderId}`);
    // The order's own steps; the timeline (shipment steps, reasons) is for ops and finance.
    await stepRow(page, 'reserve-stock')
      .locator('.badge', { hasText: /^completed$/ })
      .waitFor(LIVE);
    await page.getByTestId('no-timeline').waitFor();
    await page.getByTestId('no-actions').waitFor();
    const actionButtons = page.getByRole('main').getByRole('button', {
      name: /Retry|Skip|Hold|Release|Cancel order|Change ship-to|Credit decision|Record delivery/,
    });
    await expect(actionButtons.count()).resolves.toBe(0);
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bulk retry' }).count(),
    ).resolves.toBe(0);
    await checkScreen(page, 'order-detail-crm');

    await page.goto(`${system.baseUrl}/console/bulk-retry`);
    await page.getByText(/may not retry runs in bulk/).waitFor();
    await page.close();
    // Let the stuck run finish, so it does not linger in other scenarios' queues.
    await system.harness.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}-S1/steps/book-carrier/retry`,
      payload: {},
      headers: { authorization: `Bearer ${keys.ops}` },
    });
  });

  it('filters, sorts and pages through many orders, all in the URL', async () => {
    const customerId = `C-LIST-${fixture.tag}`;
    const base = Date.now() - 3_600_000;
    const rows = Array.from({ length: 60 }, (_, i) => ({
      id: `order-LIST-${fixture.tag}-${String(i).padStart(3, '0')}`,
      dealId: `LIST-${fixture.tag}-${i}`,
      customerId,
      customerName: `List Customer ${fixture.tag}`,
      poNumber: `PO-LIST-${i}`,
      currency: 'USD',
      totalMinor: BigInt(10_000 + i * 100),
      status: i % 3 === 0 ? 'needs_attention_demo' : 'shipped',
      currentStep: i % 3 === 0 ? 'book-carrier' : null,
      needsAttention: i % 3 === 0,
      slaBreached: false,
      event: {},
      createdAt: new Date(base + i * 1000),
    }));
    await system.harness.db.order.createMany({ data: rows });

    const page = await signedIn('ops', `/console/orders?customerId=${customerId}`);
    const table = page.getByRole('table', { name: 'Orders' });
    const bodyRows = table.locator('tbody tr');
    await table.waitFor();
    // Newest first.
    await firstOrderIs(page, rows[59]!.id);
    await expect(bodyRows.count()).resolves.toBe(25);
    await checkScreen(page, 'orders');

    const seen = new Set<string>();
    for (let pageNo = 1; ; pageNo += 1) {
      for (const id of await bodyRows.locator('td:first-child a').allTextContents()) seen.add(id);
      const next = page.getByRole('button', { name: 'Next page →' });
      if ((await next.count()) === 0) break;
      const last = (await bodyRows.last().locator('td:first-child a').textContent()) ?? '';
      await next.click();
      await page
        .getByTestId('page-number')
        .getByText(new RegExp(`^Page ${pageNo + 1}\\b`))
        .waitFor();
      // The next page has loaded once the row we saw last is gone.
      await page.getByRole('link', { name: last, exact: true }).waitFor({ state: 'detached' });
    }
    expect(seen.size).toBe(60);
    expect(page.url()).toContain(`customerId=${customerId}`);

    // Needs attention only: 20 of the 60, and the filter is in the URL (a reload shows the same list).
    await page.goto(`${system.baseUrl}/console/orders?customerId=${customerId}`);
    await page.getByLabel('Needs attention').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/needsAttention=true/);
    await firstOrderIs(page, rows[57]!.id);
    await expect(bodyRows.count()).resolves.toBe(20);
    await page.reload();
    await firstOrderIs(page, rows[57]!.id);
    await expect(bodyRows.count()).resolves.toBe(20);
    await expect(page.getByLabel('Needs attention').isChecked()).resolves.toBe(true);

    // Oldest first, by clicking the Created header.
    await page.getByRole('button', { name: /Created/ }).click();
    await page.waitForURL(/sort=createdAt/);
    await firstOrderIs(page, rows[0]!.id);

    // Highest value first, then lowest, by the Value header.
    await page.getByRole('button', { name: /^Value/ }).click();
    await page.waitForURL(/sort=-value/);
    await firstOrderIs(page, rows[57]!.id);
    await page.getByRole('button', { name: /^Value/ }).click();
    await page.waitForURL(/sort=value/);
    await firstOrderIs(page, rows[0]!.id);

    // Free text on the PO number, and a date range that holds none of them.
    await page.goto(`${system.baseUrl}/console/orders?customerId=${customerId}`);
    await page.getByLabel('Search').fill('po-list-42');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await firstOrderIs(page, rows[42]!.id);
    await expect(bodyRows.count()).resolves.toBe(1);
    await page.goto(`${system.baseUrl}/console/orders?customerId=${customerId}`);
    await page.getByLabel('Created from').fill(new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No orders match these filters.').waitFor();
    expect(page.url()).toMatch(/from=\d{4}-\d{2}-\d{2}/);

    // Nothing matches: a designed empty state.
    await page.goto(`${system.baseUrl}/console/orders?customerId=C-NOBODY-${fixture.tag}`);
    await page.getByText('No orders match these filters.').waitFor();
    await page.close();
  });
});
