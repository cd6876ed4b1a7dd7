/**
 * `npm run bench:documents` (`-- --rounds R`, default 3; `--lines N`, default 6,000): can one attempt
 * of send-invoice send a big customer's monthly period invoice of N lines, and send-credit-memo a
 * credit memo of N lines, well inside the step's start-to-close timeout (read from the step
 * declarations)? The same run measures a 10-line document of each kind as the baseline.
 *
 * Each attempt is the real activity (sendInvoice, sendCreditMemo) with its real dependencies: the
 * document row is read from PostgreSQL, the PDF rendered, the e-mail sent through nodemailer over SMTP
 * to an SMTP capture in this process (which parses it, as a receiving server would), the outbox and the
 * stored PDF written back. Every attempt runs in a fresh process (bench/documents/attempt.ts) after an
 * unmeasured warm-up, so its peak RSS is its own. Sizes: the PDF, the message as transferred (what an
 * SMTP size limit counts) and the step input (a Temporal payload, limit 2 MB).
 *
 * BENCH_CPU_PROF_DIR=<dir> writes a V8 CPU profile of every attempt process there (open in Chrome's
 * DevTools) to see where an attempt's time goes.
 *
 * The billing phase of `npm run bench` runs this too and writes it into bench-results/billing.json as
 * `largeDocuments`; run alone, it creates its own scratch database and replaces only that key.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createFixture, type Fixture } from '../fixtures/master-data';
import { LARGE_DOCUMENT_LINES } from '../fixtures/large-documents';
import { createDb, type Db } from '../lib/db';
import { migrateDeploy } from '../runtime/migrate';
import { startMailCapture, type MailCapture } from '../runtime/mail-capture';
import { sendInvoiceStep } from '../workflows/billing/steps/send-invoice';
import { sendCreditMemoStep } from '../workflows/returns/steps/send-credit-memo';
import { durationToMs } from '../workflows/shared/duration';
import { parseFlags } from './args';
import { prepareCase, type DocumentKind } from './documents/cases';
import type { AttemptFigures, AttemptJob } from './documents/attempt';
import { printDocumentsReport, type DocumentFigures, type LargeDocuments } from './documents/report';
import { createScratchDatabase, machine, runBench, writeResults } from './harness';
import { percentile } from './stats';

const BASELINE_LINES = 10;
const ATTEMPT = path.join(__dirname, 'documents', 'attempt.ts');
const RESULTS_FILE = path.join(__dirname, '..', 'bench-results', 'billing.json');
const TIMEOUTS_MS: Record<DocumentKind, number> = {
  invoice: durationToMs(sendInvoiceStep.timeout ?? '1 minute'),
  'credit-memo': durationToMs(sendCreditMemoStep.timeout ?? '1 minute'),
};

export interface DocumentsArgs {
  rounds: number;
  lines: number;
}

export interface DocumentsContext {
  db: Db;
  databaseUrl: string;
  fixture: Fixture;
  say: (message: string) => void;
}

interface Sample extends AttemptFigures {
  pdfBytes: number;
  pages: number;
  messageBytes: number;
  stepInputBytes: number;
}

/** Runs one attempt in a fresh process and reads back what the SMTP capture received. */
async function attempt(
  ctx: DocumentsContext,
  mail: MailCapture,
  kind: DocumentKind,
  lineCount: number,
): Promise<Sample> {
  const id = `bench-${kind}-${randomUUID().slice(0, 8)}`;
  const warmup = await prepareCase(ctx.db, ctx.fixture, { kind, lineCount: BASELINE_LINES }, `${id}-w`);
  const measured = await prepareCase(ctx.db, ctx.fixture, { kind, lineCount }, id);
  const job: AttemptJob = { kind, databaseUrl: ctx.databaseUrl, smtpUrl: mail.url, warmup, measured };
  const figures = await runChild(job);
  const number = kind === 'invoice' ? `INV-${id}` : `CM-${id}`;
  const [sent] = await mail.waitFor((m) => m.attachments.some((a) => a.filename === `${number}.pdf`), 1, 30_000);
  const pdf = sent!.attachments.find((a) => a.filename === `${number}.pdf`)!.content;
  return {
    ...figures,
    pdfBytes: pdf.length,
    pages: pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0,
    messageBytes: sent!.sizeBytes,
    stepInputBytes: Buffer.byteLength(JSON.stringify(measured)),
  };
}

function runChild(job: AttemptJob): Promise<AttemptFigures> {
  return new Promise((resolve, reject) => {
    const profile = process.env.BENCH_CPU_PROF_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
      : [];
    const child = spawn(process.execPath, ['--expose-gc', ...profile, '--import', 'tsx', ATTEMPT], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as AttemptFigures)
        : reject(new Error(`${job.kind} attempt: exited ${code}`)),
    );
    child.stdin.end(JSON.stringify(job));
  });
}

const median = (values: number[]) => percentile(values, 50);
const max = (values: number[]) => Math.max(...values);
const round1 = (value: number) => Math.round(value * 10) / 10;

function figuresOf(kind: DocumentKind, lines: number, samples: Sample[], base: Sample[]): DocumentFigures {
  const growth = (s: Sample[]) => round1(max(s.map((x) => x.peakRssMb - x.rssBeforeMb)));
  const timeoutMs = TIMEOUTS_MS[kind];
  return {
    lines,
    p50Ms: median(samples.map((s) => s.ms)),
    maxMs: max(samples.map((s) => s.ms)),
    p50CpuMs: median(samples.map((s) => s.cpuMs)),
    timeoutMs,
    maxShareOfTimeout: Math.round((max(samples.map((s) => s.ms)) / timeoutMs) * 1000) / 1000,
    peakRssMb: max(samples.map((s) => s.peakRssMb)),
    rssGrowthMb: growth(samples),
    heapTotalMb: max(samples.map((s) => s.heapTotalAfterMb)),
    pdfBytes: samples[0]!.pdfBytes,
    pages: samples[0]!.pages,
    messageBytes: samples[0]!.messageBytes,
    stepInputBytes: samples[0]!.stepInputBytes,
    baseline: {
      lines: BASELINE_LINES,
      p50Ms: median(base.map((s) => s.ms)),
      p50CpuMs: median(base.map((s) => s.cpuMs)),
      peakRssMb: max(base.map((s) => s.peakRssMb)),
      rssGrowthMb: growth(base),
      heapTotalMb: max(base.map((s) => s.heapTotalAfterMb)),
      pdfBytes: base[0]!.pdfBytes,
      pages: base[0]!.pages,
      messageBytes: base[0]!.messageBytes,
    },
  };
}

/** Rounds of: baseline and large invoice, baseline and large credit memo, each attempt in a fresh process. */
export async function measureLargeDocuments(ctx: DocumentsContext, args: DocumentsArgs): Promise<LargeDocuments> {
  const mail = await startMailCapture(0);
  try {
    const samples = new Map<string, Sample[]>();
    const add = (key: string, sample: Sample) => samples.set(key, [...(samples.get(key) ?? []), sample]);
    for (let round = 1; round <= args.rounds; round += 1) {
      for (const kind of ['invoice', 'credit-memo'] as const) {
        for (const lines of [BASELINE_LINES, args.lines]) {
          ctx.say(`documents: round ${round}/${args.rounds}, ${kind} of ${lines} lines`);
          add(`${kind}:${lines}`, await attempt(ctx, mail, kind, lines));
          mail.clear();
        }
      }
    }
    const of = (kind: DocumentKind) =>
      figuresOf(kind, args.lines, samples.get(`${kind}:${args.lines}`)!, samples.get(`${kind}:${BASELINE_LINES}`)!);
    return {
      method: {
        rounds: args.rounds,
        machine: machine(),
        measured:
          'one attempt of the real send-invoice / send-credit-memo activity: read the row, render the PDF, send it by nodemailer over SMTP to a capture that parses it, write the outbox and stored PDF; each in a fresh process after a 10-line warm-up attempt',
        memory:
          'peak RSS: the process maximum (getrusage); growth: peak minus RSS before the measured attempt (after a full GC); heap: V8 committed heap after it',
      },
      invoice: of('invoice'),
      creditMemo: of('credit-memo'),
    };
  } finally {
    await mail.stop();
  }
}

/** bench-results/billing.json with `largeDocuments` replaced, the billing phase's figures kept. */
function mergeIntoBillingResults(largeDocuments: LargeDocuments, say: (message: string) => void): void {
  const current = existsSync(RESULTS_FILE) ? (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as object) : {};
  writeResults(RESULTS_FILE, { ...current, largeDocuments }, say);
}

const say = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

async function entry(): Promise<void> {
  let args: DocumentsArgs;
  try {
    args = parseFlags(
      process.argv.slice(2),
      { rounds: 3, lines: LARGE_DOCUMENT_LINES },
      { '--rounds': { key: 'rounds', min: 1 }, '--lines': { key: 'lines', min: BASELINE_LINES + 1 } },
    );
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  await runBench(say, async (cleanup) => {
    const { databaseUrl } = await createScratchDatabase('closedloop_bench_documents', cleanup, say);
    say('migrating the scratch database');
    await migrateDeploy(databaseUrl.toString());
    const db = createDb(databaseUrl.toString(), 2);
    cleanup.add('disconnect the database client', () => db.$disconnect());
    const fixture = await createFixture(db);
    const result = await measureLargeDocuments({ db, databaseUrl: databaseUrl.toString(), fixture, say }, args);
    printDocumentsReport(result);
    mergeIntoBillingResults(result, say);
  });
}

if (require.main === module) void entry();
