/**
 * Downloads the Temporal CLI the way the SDK does for `TestWorkflowEnvironment.createLocal()`
 * (@temporalio/core-bridge, sdk-core `ephemeral_server`): ask temporal.download which archive suits this
 * SDK version and platform, fetch it, extract the binary. Done here rather than through the SDK because
 * the SDK's download cannot be cancelled and takes about 40 s to fail without internet; this one gives
 * up within seconds, so the Go build (or the message saying what to do) comes quickly.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { promisify } from 'node:util';
import type { Clock } from '../../lib/progress';
import { formatElapsed, systemClock } from '../../lib/progress';

const execFileAsync = promisify(execFile);

export interface SdkDownloadOptions {
  /** The @temporalio SDK version the CLI must suit (the service picks the CLI version from it). */
  sdkVersion: string;
  fetch?: typeof fetch;
  /** Whole budget for the question "which archive?": DNS failures and dead proxies end here. */
  lookupTimeoutMs?: number;
  /** The archive download is given up when no byte arrives for this long. */
  idleTimeoutMs?: number;
  clock?: Clock;
  progressEveryMs?: number;
  say?: (line: string) => void;
  baseUrl?: string;
}

interface DownloadInfo {
  archiveUrl: string;
  fileToExtract: string;
}

/** Raised for every way the download can fail; its message is the short reason shown to the user. */
export class DownloadUnavailableError extends Error {
  override name = 'DownloadUnavailableError';
}

/** Returns a downloader that writes the CLI binary to `dest`. */
export function sdkDownload(options: SdkDownloadOptions): (dest: string) => Promise<void> {
  const settings: DownloadSettings = {
    doFetch: options.fetch ?? fetch,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    clock: options.clock ?? systemClock,
    say: options.say ?? (() => {}),
    progressEveryMs: options.progressEveryMs ?? 15_000,
  };
  const baseUrl = options.baseUrl ?? 'https://temporal.download';

  return async (dest) => {
    const info = await lookUpArchive(settings.doFetch, baseUrl, options.sdkVersion, options.lookupTimeoutMs ?? 8_000);
    const dir = path.dirname(dest);
    const archive = path.join(dir, 'cli.tar.gz');
    await downloadArchive(settings, info.archiveUrl, archive);
    // Extracting with the system's tar keeps a tar parser out of our code; every Linux and macOS has it.
    await attempt('could not extract the archive', () =>
      execFileAsync('tar', ['-xzf', archive, '-C', dir, info.fileToExtract]),
    );
    const extracted = path.join(dir, info.fileToExtract);
    if (extracted !== dest) await rename(extracted, dest);
  };
}

interface DownloadSettings {
  doFetch: typeof fetch;
  idleTimeoutMs: number;
  clock: Clock;
  say: (line: string) => void;
  progressEveryMs: number;
}

/** Asks the download service which archive suits this SDK version and platform, and checks the answer. */
async function lookUpArchive(
  doFetch: typeof fetch,
  baseUrl: string,
  sdkVersion: string,
  lookupTimeoutMs: number,
): Promise<DownloadInfo> {
  const query = new URLSearchParams({
    arch: process.arch === 'arm64' ? 'arm64' : 'amd64',
    platform: process.platform === 'darwin' ? 'darwin' : process.platform === 'win32' ? 'windows' : 'linux',
    format: 'tar.gz',
    'sdk-name': 'sdk-typescript',
    'sdk-version': sdkVersion,
  });
  const lookupUrl = `${baseUrl}/cli/default?${query}`;
  const info = await attempt(`${new URL(baseUrl).host} unreachable`, async () => {
    const response = await doFetch(lookupUrl, { signal: AbortSignal.timeout(lookupTimeoutMs) });
    if (!response.ok) throw new DownloadUnavailableError(`${lookupUrl} answered ${response.status}`);
    return (await response.json()) as DownloadInfo;
  });
  const isSafeName =
    typeof info.fileToExtract === 'string' &&
    !path.isAbsolute(info.fileToExtract) &&
    !path.normalize(info.fileToExtract).startsWith('..');
  if (typeof info.archiveUrl !== 'string' || !info.archiveUrl.endsWith('.tar.gz') || !isSafeName) {
    throw new DownloadUnavailableError(`unexpected answer from ${baseUrl}: ${JSON.stringify(info).slice(0, 200)}`);
  }
  return info;
}

/** Fetches the archive to `archive`, saying how far it got; given up when no byte arrives for idleTimeoutMs. */
async function downloadArchive(settings: DownloadSettings, archiveUrl: string, archive: string): Promise<void> {
  const { doFetch, idleTimeoutMs, clock, say } = settings;
  const started = clock.now();
  let received = 0;
  let total = 0;
  const stopTicker = clock.every(settings.progressEveryMs, () =>
    say(
      `downloading the Temporal CLI, first run only: ${mb(received)}${total ? ` of ${mb(total)}` : ''}, ${formatElapsed(clock.now() - started)}`,
    ),
  );
  try {
    await attempt('archive download failed', async () => {
      const idle = new AbortController();
      let idleTimer = setTimeout(() => idle.abort(new Error(`no data for ${idleTimeoutMs / 1000} s`)), idleTimeoutMs);
      try {
        const response = await doFetch(archiveUrl, { signal: idle.signal });
        if (!response.ok || !response.body)
          throw new DownloadUnavailableError(`${archiveUrl} answered ${response.status}`);
        total = Number(response.headers.get('content-length') ?? 0);
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            received += chunk.length;
            clearTimeout(idleTimer);
            idleTimer = setTimeout(() => idle.abort(new Error(`no data for ${idleTimeoutMs / 1000} s`)), idleTimeoutMs);
            done(null, chunk);
          },
        });
        await pipeline(
          Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
          counter,
          createWriteStream(archive),
          { signal: idle.signal },
        );
      } finally {
        clearTimeout(idleTimer);
      }
    });
  } finally {
    stopTicker();
  }
}

async function attempt<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof DownloadUnavailableError) throw error;
    throw new DownloadUnavailableError(`${what}: ${reasonOf(error)}`);
  }
}

/**
 * The useful part of a fetch error: undici hides the DNS or socket error in `cause`, and an abort
 * carries our reason there. Duck-typed, because errors from Node's internals may come from another
 * realm (jest's sandbox), where `instanceof Error` is false.
 */
function reasonOf(error: unknown): string {
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { message?: string } };
  if (name === 'TimeoutError') return 'timed out';
  return cause?.message ?? message ?? String(error);
}

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
