/**
 * Finds or makes the Temporal CLI that runs the dev server, so `npm start` and `npm test` need no set-up
 * step on any machine. In order: TEMPORAL_CLI_PATH, `temporal` on PATH, closedloop's cache
 * (CLOSEDLOOP_CACHE_DIR, else ~/.cache/closedloop), then, once, under a lock in the cache: the download
 * the SDK uses, else a build from Go modules when `go` is installed. With neither, one message names the
 * three ways out.
 *
 * Every outside effect (PATH, cache folder, `go` locations, downloader, builder, clock, output, pids)
 * is a dependency, so the unit tests run the whole order with fakes and no network or Go.
 */
import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { formatElapsed, systemClock, withProgress, type Clock } from '../../lib/progress';
import { CacheLock, isProcessAlive } from './cache-lock';
import { goBuild, TEMPORAL_CLI_VERSION } from './go-build';
import { sdkDownload } from './sdk-download';

export { TEMPORAL_CLI_VERSION } from './go-build';

export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'download' | 'Go build';

export interface TemporalCli {
  path: string;
  source: CliSource;
}

export interface TemporalCliDeps {
  /** TEMPORAL_CLI_PATH: used as is, never second-guessed. */
  explicitPath: string | undefined;
  /** The PATH searched for `temporal` and `go`. */
  searchPath: string;
  cacheDir: string;
  /** Where `go` may be when it is not on PATH (GOROOT/bin). */
  goLocations: string[];
  /** Writes the CLI binary to `dest`; throws when there is no download (DownloadUnavailableError). */
  download: (dest: string) => Promise<void>;
  /** Writes the CLI binary to `dest` (named `temporal`) with the given `go`. */
  build: (go: string, dest: string) => Promise<void>;
  clock: Clock;
  say: (line: string) => void;
  pid: number;
  isAlive: (pid: number) => boolean;
  progressEveryMs: number;
  lockPollMs: number;
  staleLockMs: number;
}

/** Nothing found and nothing could be made, or TEMPORAL_CLI_PATH is wrong: a message, not a stack trace. */
export class TemporalCliUnavailableError extends Error {
  override name = 'TemporalCliUnavailableError';
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CLOSEDLOOP_CACHE_DIR || path.join(os.homedir(), '.cache', 'closedloop');
}

export function cachedCliPath(cacheDir: string): string {
  return path.join(cacheDir, 'bin', 'temporal');
}

/** The real machine, with the given dependencies replaced (tests replace most of them). */
export function temporalCliDeps(overrides: Partial<TemporalCliDeps> = {}): TemporalCliDeps {
  const env = process.env;
  const clock = overrides.clock ?? systemClock;
  const say = overrides.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  return {
    explicitPath: env.TEMPORAL_CLI_PATH || undefined,
    searchPath: env.PATH ?? '',
    cacheDir: defaultCacheDir(env),
    goLocations: env.GOROOT ? [path.join(env.GOROOT, 'bin', 'go')] : [],
    download: sdkDownload({ sdkVersion: sdkVersion(), clock, say }),
    build: goBuild(),
    clock,
    say,
    pid: process.pid,
    isAlive: isProcessAlive,
    progressEveryMs: 15_000,
    lockPollMs: 1_000,
    staleLockMs: 2 * 60 * 60 * 1000, // a build takes minutes; a lock this old has a reused pid
    ...overrides,
  };
}

/** Steps 1-3 only: an existing CLI, without downloading or building anything. */
export function findExistingTemporalCli(
  deps: Pick<TemporalCliDeps, 'explicitPath' | 'searchPath' | 'cacheDir'>,
): TemporalCli | undefined {
  if (deps.explicitPath) {
    if (!isExecutable(deps.explicitPath)) {
      throw new TemporalCliUnavailableError(`TEMPORAL_CLI_PATH: no executable file at ${deps.explicitPath}`);
    }
    return { path: deps.explicitPath, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal', deps.searchPath);
  if (onPath) return { path: onPath, source: 'PATH' };
  const cached = cachedCliPath(deps.cacheDir);
  return isExecutable(cached) ? { path: cached, source: 'cache' } : undefined;
}

/** Finds the CLI, or makes it once into the cache (download, else Go build). */
export async function resolveTemporalCli(overrides: Partial<TemporalCliDeps> = {}): Promise<TemporalCli> {
  const deps = temporalCliDeps(overrides);
  return findExistingTemporalCli(deps) ?? (await provision(deps));
}

/**
 * One process makes the CLI; any other waits for its result (polling the cache), and takes over if the
 * maker dies. A lock is only ever held while making, never while a server runs.
 */
async function provision(deps: TemporalCliDeps): Promise<TemporalCli> {
  const target = cachedCliPath(deps.cacheDir);
  const binDir = path.dirname(target);
  mkdirSync(binDir, { recursive: true });
  const lock = new CacheLock(path.join(binDir, 'temporal.lock'), {
    pid: deps.pid,
    isAlive: deps.isAlive,
    now: () => deps.clock.now(),
    staleAfterMs: deps.staleLockMs,
    say: deps.say,
  });

  let waitingSince: number | undefined;
  let lastSaid = 0;
  for (;;) {
    if (isExecutable(target)) {
      if (waitingSince !== undefined) deps.say(`Temporal CLI ready: ${target}`);
      return { path: target, source: 'cache' };
    }
    const attempt = lock.tryAcquire();
    if (attempt.acquired) {
      try {
        if (isExecutable(target)) return { path: target, source: 'cache' }; // finished just before we locked
        return await make(deps, target);
      } finally {
        attempt.release();
      }
    }
    const now = deps.clock.now();
    const holder = attempt.owner ? `process ${attempt.owner.pid}` : 'another process';
    if (waitingSince === undefined) {
      waitingSince = lastSaid = now;
      deps.say(
        `${holder} is making the Temporal CLI (first run only); waiting for it instead of building a second one (lock: ${lock.file})`,
      );
    } else if (now - lastSaid >= deps.progressEveryMs) {
      lastSaid = now;
      deps.say(
        `waiting for ${holder} to finish the Temporal CLI, first run only: ${formatElapsed(now - waitingSince)}`,
      );
    }
    await deps.clock.sleep(deps.lockPollMs);
  }
}

/** Under the lock: download, else build, into a private folder; then one atomic rename into the cache. */
async function make(deps: TemporalCliDeps, target: string): Promise<TemporalCli> {
  const binDir = path.dirname(target);
  removeLeftovers(binDir); // from makers killed mid-way; we hold the lock, so nobody is using them
  const workDir = mkdtempSync(path.join(binDir, '.partial-'));
  const dest = path.join(workDir, 'temporal');
  const started = deps.clock.now();
  try {
    deps.say(`no Temporal CLI found (TEMPORAL_CLI_PATH, PATH, ${binDir}): downloading it, first run only`);
    let source: CliSource = 'download';
    try {
      await deps.download(dest);
    } catch (error) {
      const noDownload = messageOf(error);
      const go = findGo(deps);
      if (!go) throw new TemporalCliUnavailableError(noWayOutMessage(noDownload));
      deps.say(
        `no download (${noDownload}); building the Temporal CLI v${TEMPORAL_CLI_VERSION} from Go modules with ${go} instead, first run only (a few minutes)`,
      );
      source = 'Go build';
      try {
        await withProgress(() => deps.build(go, dest), {
          clock: deps.clock,
          say: deps.say,
          everyMs: deps.progressEveryMs,
          line: (elapsed) => `building the Temporal CLI from Go modules, first run only: ${elapsed}`,
        });
      } catch (buildError) {
        throw new TemporalCliUnavailableError(
          `building the Temporal CLI from Go modules failed; set TEMPORAL_CLI_PATH to a Temporal CLI binary instead, or put \`temporal\` on PATH.\n${messageOf(buildError)}`,
        );
      }
    }
    await assertRuns(dest, source);
    renameSync(dest, target);
    deps.say(
      `Temporal CLI ready: ${target} (${source === 'download' ? 'downloaded' : 'built from Go modules'} in ${formatElapsed(deps.clock.now() - started)})`,
    );
    return { path: target, source };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

export function noWayOutMessage(downloadProblem: string): string {
  return [
    'no Temporal CLI found, and this machine can neither download nor build one. Any one of these fixes it:',
    '  - install Go (https://go.dev/dl/) and start again: the CLI is then built from Go modules, once, in a few minutes;',
    '  - or set TEMPORAL_CLI_PATH to a Temporal CLI binary, or put `temporal` on PATH (https://docs.temporal.io/cli);',
    `  - or allow access to temporal.download, where the Temporal SDK downloads the CLI from (here: ${downloadProblem}).`,
  ].join('\n');
}

function findGo(deps: TemporalCliDeps): string | undefined {
  return findOnPath('go', deps.searchPath) ?? deps.goLocations.find(isExecutable);
}

function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A truncated download or a broken build must not be cached: every later start would trip on it. */
async function assertRuns(binary: string, source: CliSource): Promise<void> {
  try {
    await promisify(execFile)(binary, ['--version'], { timeout: 60_000 });
  } catch (error) {
    throw new TemporalCliUnavailableError(
      `the Temporal CLI from the ${source} does not run (\`temporal --version\`: ${messageOf(error).split('\n')[0]})`,
    );
  }
}

function removeLeftovers(binDir: string): void {
  for (const name of readdirSync(binDir)) {
    if (name.startsWith('.partial-')) rmSync(path.join(binDir, name), { recursive: true, force: true });
  }
}

/** Duck-typed: errors from Node's internals may come from another realm, where instanceof Error fails. */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

function sdkVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('@temporalio/client/package.json'), 'utf8')) as { version: string })
    .version;
}
