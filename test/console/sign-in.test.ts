/**
 * The console is served by the API at /console/ and opens on the login screen; a refused key shows
 * the API's reason verbatim and is never kept, put in a URL or sent anywhere but the Authorization
 * header.
 */
import type { Page, Request } from 'playwright-core';
import { checkScreen, startConsoleSystem, type ConsoleSystem } from './support';
import { DEFAULT_OUT_DIR, JS_BUDGET_BYTES, jsSizes } from '../../scripts/build-console';

let system: ConsoleSystem;

beforeAll(async () => {
  system = await startConsoleSystem();
});

afterAll(async () => {
  await system?.stop();
});

afterEach(() => {
  expect(system.pageErrors).toEqual([]);
});

describe('console served by the API', () => {
  it('serves the app at /console/, deep links as the app, assets cached and a missing asset as 404', async () => {
    const { rawApp } = system.harness;
    const root = await rawApp.inject({ url: '/console' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/console/');

    const index = await rawApp.inject({ url: '/console/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    expect(script).toBeDefined();

    const deep = await rawApp.inject({ url: '/console/orders/ORD-404?status=shipped' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toBe(index.body);

    const asset = await rawApp.inject({ url: script! });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await rawApp.inject({ url: '/console/assets/gone-0000.js' })).statusCode).toBe(404);
    // Neither the build stamp nor a path out of the folder is served.
    expect((await rawApp.inject({ url: '/console/.build-stamp' })).body).toBe(index.body);
    expect((await rawApp.inject({ url: '/console/..%2f..%2fpackage.json' })).body).not.toContain(
      '"name": "closedloop"',
    );
  });
});

describe('console build', () => {
  it('keeps the JavaScript the browser loads under 300 kB gzipped', () => {
    const files = jsSizes(DEFAULT_OUT_DIR);
    const total = files.reduce((sum, f) => sum + f.gzip, 0);
    expect(files.length).toBeGreaterThan(0);
    expect(JS_BUDGET_BYTES).toBe(300_000);
    expect(total).toBeLessThan(JS_BUDGET_BYTES);
    process.stdout.write(`console JavaScript: ${(total / 1000).toFixed(1)} kB gzipped in ${files.length} file(s)\n`);
  });
});

describe('login screen', () => {
  let page: Page;
  const requests: Request[] = [];

  beforeAll(async () => {
    page = await system.newPage();
    page.on('request', (r) => requests.push(r));
  });

  afterAll(async () => {
    await page.close();
  });

  it('opens on the login screen with no serious accessibility violation', async () => {
    await page.goto(`${system.baseUrl}/console/`);
    await expect(page.getByRole('heading', { name: 'closedloop console' }).isVisible()).resolves.toBe(true);
    await checkScreen(page, 'login');
  });

  it("shows the API's reason verbatim for a refused key and keeps nothing", async () => {
    const badKey = 'cl_not-a-real-key-0000000000';
    await page.getByLabel('API key').fill(badKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    // The detail the API sent, exactly.
    const refused = await system.harness.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${badKey}` } });
    expect(refused.statusCode).toBe(401);
    await expect(alert.textContent()).resolves.toContain(refused.json().detail);
    await checkScreen(page, 'login-refused');

    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    expect(page.url()).not.toContain(badKey);
    const meCalls = requests.filter((r) => r.url().includes('/v1/me'));
    expect(meCalls.length).toBeGreaterThan(0);
    for (const r of requests) expect(r.url()).not.toContain(badKey);
    for (const r of meCalls) expect(await r.headerValue('authorization')).toBe(`Bearer ${badKey}`);
  });
});

describe('signed in', () => {
  it('signs in with the keyboard at a deep link, keeps the key in this tab only, and signs out', async () => {
    const key = await system.harness.apiKey('ops');
    const page = await system.newPage();
    const deepLink = `${system.baseUrl}/console/orders?status=shipped`;
    await page.goto(deepLink);
    await page.getByLabel('API key').focus();
    await page.keyboard.type(key);
    await page.keyboard.press('Enter');
    await page.getByTestId('whoami').waitFor();
    await expect(page.getByTestId('whoami').textContent()).resolves.toMatch(/^test-ops-\w+ ops$/);
    // The screen asked for, with its filter; the key in sessionStorage only, never in the URL.
    expect(page.url()).toBe(deepLink);
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('shipped');
    expect(await page.evaluate<string | null>("sessionStorage.getItem('closedloop.apiKey')")).toBe(key);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).resolves.toEqual([
      'Work queue',
      'Orders',
      'Bulk retry',
      'Invoices',
      'Customers',
      'Returns',
      'KPIs',
    ]);

    // A reload stays signed in; the first Tab reaches the skip link.
    await page.reload();
    await page.getByTestId('whoami').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Skip to content');

    // Another tab is a new session.
    const other = await system.newPage();
    await other.goto(`${system.baseUrl}/console/`);
    await other.getByLabel('API key').waitFor();
    await other.close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await page.close();
  });
});
