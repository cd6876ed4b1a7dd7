/**
 * One activity attempt in a process of its own, so its peak memory is its own: started by
 * bench/documents.ts with `node --expose-gc --import tsx`, it reads an AttemptJob (JSON) from stdin,
 * wires the real activity dependencies (database, nodemailer to the benchmark's SMTP capture,
 * built-in adapters), runs one unmeasured warm-up attempt (modules, fonts, JIT, connections), collects
 * garbage, then runs the measured attempt and prints an AttemptFigures line (JSON) on stdout.
 */
import { createBuiltinAdapters } from '../../adapters/builtin';
import { createSmtpMailAdapter } from '../../adapters/mail/smtp';
import type { StepInput, StepOutput } from '../../activities/contract';
import type { ActivityDeps } from '../../activities/deps';
import { sendInvoice } from '../../activities/billing/send-invoice';
import { sendCreditMemo } from '../../activities/returns/send-credit-memo';
import { DEMO_SELLER } from '../../lib/config';
import { createDb } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import type { DocumentKind } from './cases';

export interface AttemptJob {
  kind: DocumentKind;
  databaseUrl: string;
  smtpUrl: string;
  warmup: StepInput;
  measured: StepInput;
}

export interface AttemptFigures {
  ms: number;
  /** CPU time of this process during the attempt (user + system): what contention for cores cannot inflate. */
  cpuMs: number;
  /** Resident set size before the measured attempt (after the warm-up and a full GC) and its peak since the process began. */
  rssBeforeMb: number;
  peakRssMb: number;
  /** V8's committed heap after the attempt: it grows to hold the attempt's largest live set. */
  heapTotalBeforeMb: number;
  heapTotalAfterMb: number;
}

const ACTIVITIES: Record<DocumentKind, (deps: ActivityDeps, input: StepInput) => Promise<StepOutput>> = {
  invoice: sendInvoice,
  'credit-memo': sendCreditMemo,
};
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function readJob(): Promise<AttemptJob> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as AttemptJob;
}

async function main(): Promise<void> {
  const job = await readJob();
  const db = createDb(job.databaseUrl, 2);
  const mail = createSmtpMailAdapter(job.smtpUrl, 'closedloop bench <billing@closedloop.bench>');
  const deps: ActivityDeps = {
    db,
    mail,
    adapters: createBuiltinAdapters(db),
    log: createLogger('warn'),
    settings: {
      opsEmail: 'ops@closedloop.bench',
      financeEmail: 'finance@closedloop.bench',
      publicUrl: 'http://localhost',
      seller: DEMO_SELLER,
    },
  };
  const send = ACTIVITIES[job.kind];
  try {
    await send(deps, job.warmup);
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage();
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    const output = await send(deps, job.measured);
    const ms = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuBefore);
    if (!(output.data as { isSent?: boolean } | undefined)?.isSent)
      throw new Error(`${job.kind}: not sent (${JSON.stringify(output.data)})`);
    const figures: AttemptFigures = {
      ms: Math.round(ms),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      rssBeforeMb: mb(before.rss),
      peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
      heapTotalBeforeMb: mb(before.heapTotal),
      heapTotalAfterMb: mb(process.memoryUsage().heapTotal),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    mail.close();
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
