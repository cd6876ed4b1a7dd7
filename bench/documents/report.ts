/** The large-document benchmark's figures (bench-results/billing.json `largeDocuments`) and its printed report. */

export interface DocumentFigures {
  lines: number;
  p50Ms: number;
  maxMs: number;
  /** CPU time of the attempt's process: the work itself, whatever else competes for the cores. */
  p50CpuMs: number;
  /** The step's start-to-close timeout: one attempt must finish inside it. */
  timeoutMs: number;
  maxShareOfTimeout: number;
  peakRssMb: number;
  rssGrowthMb: number;
  heapTotalMb: number;
  pdfBytes: number;
  pages: number;
  /** The e-mail as transferred over SMTP (MIME, base64 attachment): what a size limit counts. */
  messageBytes: number;
  /** The activity's input as JSON: a Temporal payload (2 MB limit). */
  stepInputBytes: number;
  baseline: Omit<DocumentFigures, 'maxMs' | 'timeoutMs' | 'maxShareOfTimeout' | 'stepInputBytes' | 'baseline'>;
}

export interface LargeDocuments {
  method: { rounds: number; machine: object; measured: string; memory: string };
  invoice: DocumentFigures;
  creditMemo: DocumentFigures;
}

/**
 * Smallest common inbound limits: Exchange Server's default 10 MB, Gmail 25 MB, Microsoft 365's
 * default 35 MB. The report measures against the smallest.
 */
export const SMTP_SIZE_LIMIT_BYTES = 10 * 1_000_000;
/** Temporal's default limit on one payload (blob size limit); it warns from 512 KB. */
export const TEMPORAL_PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

function rows(name: string, f: DocumentFigures): string[] {
  const b = f.baseline;
  return [
    `  ${name} of ${f.lines.toLocaleString('en-US')} lines (baseline: ${b.lines} lines)`,
    `    attempt      p50 ${f.p50Ms} ms, max ${f.maxMs} ms (CPU p50 ${f.p50CpuMs} ms)   baseline p50 ${b.p50Ms} ms (CPU ${b.p50CpuMs} ms)`,
    `    timeout      ${f.timeoutMs / 1000} s start-to-close: the slowest attempt used ${pct(f.maxShareOfTimeout)} of it`,
    `    memory       peak RSS ${f.peakRssMb} MB (+${f.rssGrowthMb} MB during the attempt), heap ${f.heapTotalMb} MB`,
    `                 baseline peak RSS ${b.peakRssMb} MB (+${b.rssGrowthMb} MB), heap ${b.heapTotalMb} MB`,
    `    PDF          ${f.pages} pages, ${kb(f.pdfBytes)}   baseline ${b.pages} page(s), ${kb(b.pdfBytes)}`,
    `    e-mail       ${kb(f.messageBytes)} as sent (${pct(f.messageBytes / SMTP_SIZE_LIMIT_BYTES)} of a 10 MB SMTP limit)   baseline ${kb(b.messageBytes)}`,
    `    step input   ${kb(f.stepInputBytes)} (${pct(f.stepInputBytes / TEMPORAL_PAYLOAD_LIMIT_BYTES)} of Temporal's 2 MB payload limit)`,
  ];
}

export function printDocumentsReport(result: LargeDocuments): void {
  const lines = [
    '',
    'closedloop large-document benchmark',
    '',
    'method',
    `  measured    ${result.method.measured}`,
    `  memory      ${result.method.memory}`,
    `  rounds      ${result.method.rounds}, each: baseline and large invoice, baseline and large credit memo`,
    `  machine     ${JSON.stringify(result.method.machine)}`,
    '',
    ...rows('period invoice', result.invoice),
    ...rows('credit memo', result.creditMemo),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
