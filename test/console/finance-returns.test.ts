/**
 * Returns in the console against the real system: an order delivered and invoiced through the real
 * workflows, a return above the auto-approval limit waiting for ops; an ops key approves it, records
 * the parcel's receipt and inspects the line (part restocked, part scrapped) from the return's page,
 * and the credit memo appears. A finance key sees the same return without the buttons, told why.
 */
import type { Page } from 'playwright-core';
import { checkScreen, signIn, startConsoleSystem, type ConsoleSystem } from './support';
import { createFixture, type Fixture } from '../../fixtures/master-data';
import { stepOf } from '../support/flows';
import { deliveredInvoicedOrder, startReturn } from '../support/returns';

let system: ConsoleSystem;
let f: Fixture;
let returnId: string;
let invoiceId: string;

beforeAll(async () => {
  system = await startConsoleSystem();
  const h = system.harness;
  f = await createFixture(h.db);
  const order = await deliveredInvoicedOrder(h, f);
  invoiceId = order.invoiceId;
  // 200 valves x 21.50 = 4 300.00, above the 500.00 auto-approval limit: waits for ops.
  const handle = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 200, reasonCode: 'WRONG_ITEM' }]);
  returnId = handle.workflowId;
  await h.waitForState(returnId, (s) => stepOf(s, 'approve-return')?.status === 'waiting');
});

afterAll(async () => {
  await system?.stop();
});

afterEach(() => {
  expect(system.pageErrors).toEqual([]);
});

async function pageAs(role: 'ops' | 'finance', at: string): Promise<Page> {
  const page = await system.newPage();
  await signIn(page, system.baseUrl, await system.harness.apiKey(role), at);
  return page;
}

describe('finance console: returns', () => {
  it('tells a finance key it may not approve returns, instead of showing the button', async () => {
    const page = await pageAs('finance', `/console/returns/${returnId}`);
    await page.getByRole('heading', { level: 1, name: `Return ${returnId} pending approval` }).waitFor();
    await page.getByText(/may not approve returns/).waitFor();
    await expect(page.getByRole('button', { name: 'Approve or reject' }).count()).resolves.toBe(0);
    await page.close();
  });

  it('ops approve, receive and inspect a return from its page, and the credit memo appears', async () => {
    const h = system.harness;
    const page = await pageAs('ops', '/console/returns?status=pending_approval');
    const list = page.getByRole('table', { name: 'Returns' });
    await list.getByRole('link', { name: returnId }).waitFor();
    await checkScreen(page, 'returns');
    await list.getByRole('link', { name: returnId }).click();

    await page.getByRole('heading', { level: 1, name: `Return ${returnId} pending approval` }).waitFor();
    await checkScreen(page, 'return-detail-approval');
    await page.getByRole('button', { name: 'Approve or reject' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Approve' }).check();
    await dialog.getByLabel(/Reason/).fill('shipped the wrong valve size');
    await dialog.getByRole('button', { name: 'Send decision' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The label is booked next; then the run waits for the parcel.
    await page.getByRole('button', { name: 'Record receipt' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Record receipt' }).click();
    dialog = page.getByRole('dialog');
    // Prefilled with the warehouse the prepaid label sends the parcel to.
    const warehouse = dialog.getByLabel('Received at warehouse');
    await expect(warehouse.inputValue()).resolves.toBe(f.warehouses.primary);
    await dialog.getByRole('button', { name: 'Record receipt' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Record inspection' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Record inspection' }).click();
    dialog = page.getByRole('dialog');
    const restock = dialog.getByLabel(/Line 1 .*units restocked/);
    const scrap = dialog.getByLabel(/Line 1 .*units scrapped/);
    await expect(restock.inputValue()).resolves.toBe('200');
    // More than was returned is refused before anything is sent.
    await scrap.fill('1');
    await dialog.getByRole('button', { name: 'Record inspection' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain(
      'Line 1: restock 200 + scrap 1 is more than the 200 returned',
    );
    await restock.fill('150');
    await scrap.fill('50');
    await checkScreen(page, 'return-inspection-dialog');
    await dialog.getByRole('button', { name: 'Record inspection' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('heading', { level: 1, name: `Return ${returnId} completed` }).waitFor({ timeout: 90_000 });
    await page
      .getByTestId('return-credit-memo')
      .filter({ hasText: /CM-\d+/ })
      .waitFor({ timeout: 30_000 });
    await checkScreen(page, 'return-detail');

    // Finance sees the credit memo on the invoice it was applied to (ops keys do not read credit memos).
    const memo = await h.db.creditMemo.findUniqueOrThrow({ where: { returnId } });
    const finance = await pageAs('finance', `/console/invoices/${invoiceId}`);
    const memos = finance.getByRole('table', { name: /Credit memos/ });
    await memos.getByRole('cell', { name: memo.creditMemoNumber }).waitFor();
    await expect(memos.getByRole('link', { name: returnId }).count()).resolves.toBe(1);
    await finance.close();

    const lines = await h.db.returnLine.findMany({ where: { returnId } });
    expect(lines).toEqual([expect.objectContaining({ lineNo: 1, restockQuantity: 150, scrapQuantity: 50 })]);
    const row = await h.db.returnRequest.findUniqueOrThrow({ where: { id: returnId } });
    expect(row).toMatchObject({
      decision: 'approved',
      decisionReason: 'shipped the wrong valve size',
      warehouseId: f.warehouses.primary,
    });
    await page.close();
  });
});
