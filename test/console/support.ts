/**
 * Browser tests of the console: the real system (test/support/harness.ts: Temporal, PostgreSQL,
 * worker, API) listening on a free port, and Debian's Chromium driven by playwright-core (never a
 * downloaded browser) with a fresh profile. Helpers sign in through the login screen, check a screen
 * with axe-core (no serious or critical violation) and save its screenshot to test-results/console/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startHarness, type Harness, type HarnessOptions } from '../support/harness';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'test-results', 'console');

export interface ConsoleSystem {
  harness: Harness;
  /** http://127.0.0.1:PORT (the API, serving the console at /console/). */
  baseUrl: string;
  browser: BrowserContext;
  /** A new tab (its own sessionStorage, so signed out); page errors fail the test at `assertNoPageErrors`. */
  newPage(): Promise<Page>;
  /** Errors thrown in any page so far (uncaught exceptions). */
  pageErrors: string[];
  stop(): Promise<void>;
}

export async function startConsoleSystem(options: HarnessOptions = {}): Promise<ConsoleSystem> {
  const harness = await startHarness(options);
  const address = await harness.rawApp.listen({ host: '127.0.0.1', port: 0 });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'closedloop-chromium-'));
  let browser: BrowserContext;
  try {
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1360, height: 900 },
      timeout: 60_000,
    });
  } catch (error) {
    await harness.stop();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  browser.setDefaultTimeout(20_000);
  browser.setDefaultNavigationTimeout(30_000);
  for (const page of browser.pages()) await page.close();
  const pageErrors: string[] = [];
  return {
    harness,
    baseUrl: address.replace('[::1]', '127.0.0.1'),
    browser,
    pageErrors,
    async newPage() {
      const page = await browser.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    async stop() {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
      await harness.stop();
    },
  };
}

/** Opens the console and signs in with `key` through the login screen; waits for the signed-in frame. */
export async function signIn(page: Page, baseUrl: string, key: string, at = '/console/'): Promise<void> {
  await page.goto(`${baseUrl}${at}`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('whoami').waitFor();
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (WCAG 2 A/AA and best practices) and answers the serious and critical
 * violations, each as one readable line, so an assertion failure says what to fix.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the console's CSP (script-src 'self') stays on.
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page: the test code has no DOM types.
  const violations = await page.evaluate<
    AxeViolation[]
  >(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
}

/** Saves the whole page as test-results/console/<screen>.png. */
export async function screenshot(page: Page, screen: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${screen}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Checks a screen the way every browser test does: axe finds nothing serious, then a screenshot. */
export async function checkScreen(page: Page, screen: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  await screenshot(page, screen);
}
