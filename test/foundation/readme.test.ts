/**
 * The README is executable: its "Try it" block, read from README.md at test time, runs as written with
 * bash against closedloop started the way `npm start` starts it (runtime/start.ts: Temporal dev server,
 * embedded PGlite, demo seed, mail capture, worker and API) on a fresh data folder and free ports. Every
 * command must succeed and print the answer the README shows after it; the claims the README makes in
 * words (the invoice offers the discounted amount, paying it closes the invoice paid with the discount,
 * the PDF is a PDF) are checked on what the commands printed.
 *
 * Starts its own full system, so it is slow; the system's process group is stopped even on failure.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyBp } from '../../domain/billing/rounding';
import { addCalendarDays } from '../../domain/calendar/business-days';
import {
  answerMismatch,
  describeCommand,
  extractShellBlock,
  parseCommands,
  recordingScript,
  type ReadmeCommand,
} from '../support/readme-block';
import { startLikeNpmStart, stopGroup, type StartedSystem } from '../support/npm-start';
import { expectInReadingOrder, overlappingItems, readingOrder, readPdf } from '../support/read-pdf';

const REPO = path.resolve(__dirname, '../..');
const START_TIMEOUT_MS = 5 * 60_000;
const BLOCK_TIMEOUT_MS = 10 * 60_000;
const INVOICE_URL = '/v1/invoices/invoice-order-D-2026-1042-S1';

const commands: ReadmeCommand[] = parseCommands(
  extractShellBlock(readFileSync(path.join(REPO, 'README.md'), 'utf8'), '### Try it'),
);

let root: string;
let system: StartedSystem | undefined;
let apiUrl: string;
let adminKey: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  expect(commands.length).toBeGreaterThan(0);
  root = mkdtempSync(path.join(os.tmpdir(), 'closedloop-readme-'));
  const work = path.join(root, 'work');
  mkdirSync(work);
  // The block runs "in the repository's folder": its relative paths, with the PDF written elsewhere.
  for (const entry of ['scripts', 'examples']) symlinkSync(path.join(REPO, entry), path.join(work, entry));

  // The demo orders (runtime/demo-orders.ts) would share the two cores with the block for a minute or
  // two; the block reads its own order's e-mails and numbers, and test/foundation/demo-orders.test.ts
  // runs the demo orders on a start of their own.
  system = await startLikeNpmStart({
    dataDir: path.join(root, 'data'),
    extraEnv: { DEMO_ORDERS: 'off' },
    timeoutMs: START_TIMEOUT_MS,
  });
  ({ apiUrl, adminKey, env } = system);
}, START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await system?.stop(30_000);
  // KEEP_TEST_DATABASE keeps the data folder and each command's output, as it keeps the test database.
  if (root && !process.env.KEEP_TEST_DATABASE) rmSync(root, { recursive: true, force: true });
}, 60_000);

interface Ran {
  command: ReadmeCommand;
  status?: number;
  out: string;
  err: string;
}
let ran: Ran[] = [];

/** Runs the whole block in one bash, as a person pasting it would, recording each command's output. */
async function runBlock(): Promise<Ran[]> {
  const outDir = path.join(root, 'out');
  mkdirSync(outDir, { recursive: true });
  const scriptFile = path.join(root, 'try-it.sh');
  writeFileSync(scriptFile, recordingScript(commands, outDir));
  const bash = spawn('bash', [scriptFile], {
    cwd: path.join(root, 'work'),
    detached: true,
    stdio: 'ignore',
    env: { ...env, CLOSEDLOOP_API_KEY: adminKey, CLOSEDLOOP_URL: apiUrl },
  });
  const timer = setTimeout(() => void stopGroup(bash, 1_000), BLOCK_TIMEOUT_MS);
  await new Promise((resolve) => bash.once('exit', resolve));
  clearTimeout(timer);
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  return commands.map((command) => {
    const status = read(path.join(outDir, `${command.index}.status`)).trim();
    return {
      command,
      status: status === '' ? undefined : Number(status),
      out: read(path.join(outDir, `${command.index}.out`)),
      err: read(path.join(outDir, `${command.index}.err`)),
    };
  });
}

const PROBLEM = /"type":"https:\/\/closedloop\.dev\/problems\//;

/** Why this command broke the README's promise, or undefined. */
function brokenPromise(r: Ran): string | undefined {
  if (r.status === undefined)
    return `did not finish (the shell exited or the block ran over ${BLOCK_TIMEOUT_MS / 60_000} minutes)`;
  if (r.status !== 0) return `exited with status ${r.status}`;
  if (r.command.answer) return answerMismatch(r.command.answer, r.out);
  if (PROBLEM.test(r.out)) return 'answered with an error although the README shows none';
  return undefined;
}

/** The output of the one command that does `what`, found by what it runs. */
function outputOf(what: string, runs: (script: string) => boolean): string {
  const found = ran.filter((r) => runs(r.command.script));
  if (found.length !== 1)
    throw new Error(`README "Try it" should have one command that ${what}; it has ${found.length}`);
  return found[0]!.out;
}

const json = (text: string, what: string) => {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: the answer is not JSON:\n${text}`);
  }
};

describe('README "Try it"', () => {
  it(
    'runs as written against a fresh npm start: every command succeeds and prints the answer the README shows',
    async () => {
      ran = await runBlock();
      const broken = ran.find((r) => brokenPromise(r) !== undefined);
      if (broken) {
        throw new Error(
          `${describeCommand(broken.command)}\n${brokenPromise(broken)}\n--- it printed:\n${broken.out}\n--- on stderr:\n${broken.err}` +
            `\n--- closedloop's own output ends:\n${system?.output().slice(-3000)}`,
        );
      }
    },
    BLOCK_TIMEOUT_MS + 60_000,
  );

  it('pays what the invoice shows as due: the demo invoice ends paid with the 2 % early-payment discount', async () => {
    expect(ran.length).toBeGreaterThan(0);
    const invoice = json(
      outputOf('reads the invoice', (s) => s.startsWith('curl') && s.trim().endsWith(`"$API${INVOICE_URL}"`)),
      'the invoice',
    );
    expect(invoice).toMatchObject({
      paymentTerms: '2/10 NET30',
      status: 'sent',
      balanceMinor: invoice.totalMinor,
      amountDueMinor: invoice.totalMinor,
    });
    const discountMinor = applyBp(invoice.totalMinor, 200);
    expect(invoice.amountDueWithDiscountMinor).toBe(invoice.totalMinor - discountMinor);
    expect(invoice.discountDeadline).toBe(addCalendarDays(invoice.issueDate, 10));

    const payment = json(
      outputOf('records the payment', (s) => s.includes(`${INVOICE_URL}/payments`)),
      'the payment',
    );
    expect(payment).toMatchObject({
      status: 'paid',
      paidMinor: invoice.amountDueWithDiscountMinor,
      discountTakenMinor: discountMinor,
      balanceMinor: 0,
    });

    // And as the system has it afterwards, not only as the payment's answer said.
    const after = (await (
      await fetch(`${apiUrl}${INVOICE_URL}`, { headers: { authorization: `Bearer ${adminKey}` } })
    ).json()) as { payments: unknown[] };
    expect(after).toMatchObject({
      status: 'paid',
      amountDueMinor: 0,
      discountTakenMinor: discountMinor,
      balanceMinor: 0,
    });
    expect(after.payments).toEqual([
      expect.objectContaining({
        reference: 'WIRE-7731',
        amountMinor: invoice.amountDueWithDiscountMinor,
        discountAppliedMinor: discountMinor,
      }),
    ]);
  });

  it('downloads the invoice as a real PDF that an accounts-payable team accepts', () => {
    outputOf('downloads the PDF', (s) => s.includes(`${INVOICE_URL}/pdf`));
    const pdf = path.join(root, 'work', 'invoice.pdf');
    expect(existsSync(pdf)).toBe(true);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = readPdf(bytes);
    const lines = readingOrder(text);
    // Kept with the test results: the demo invoice as the customer receives it, page by page.
    const saved = path.join(REPO, 'test-results', 'readme');
    mkdirSync(saved, { recursive: true });
    writeFileSync(path.join(saved, 'demo-invoice.pdf'), bytes);
    writeFileSync(path.join(saved, 'demo-invoice.txt'), `${lines.join('\n')}\n`);
    expectInReadingOrder(lines, [
      'Invoice',
      'PO number',
      'Tracking',
      'Bill to',
      'Ship to',
      'Line',
      'SKU',
      'Description',
      'Freight',
      'Sales tax',
      'Total due',
      'Pay by',
      'Payment terms',
      'Remit to',
      'Page 1 of 1',
    ]);
    for (const page of text.pages) expect(overlappingItems(page)).toEqual([]);
  });
});
