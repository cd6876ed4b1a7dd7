/**
 * How npm start and npm test find or make the Temporal CLI (runtime/temporal-cli): lookup order, the
 * lock in the cache, progress lines and the message when nothing works. Real files, real locks and
 * real processes; only the PATH, the download and the Go build are fakes (shell scripts stand in for
 * the CLI), so no network and no Go are needed.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatElapsed } from '../../../lib/progress';
import {
  cachedCliPath,
  resolveTemporalCli,
  TemporalCliUnavailableError,
  type TemporalCliDeps,
} from '../../../runtime/temporal-cli';
import { CacheLock } from '../../../runtime/temporal-cli/cache-lock';
import { DownloadUnavailableError } from '../../../runtime/temporal-cli/sdk-download';
import { FakeClock } from '../../support/fake-clock';

const NO_INTERNET = 'temporal.download unreachable: getaddrinfo ENOTFOUND temporal.download';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'closedloop-cli-test-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A shell script that answers `--version` like the CLI does. */
function writeFakeCli(file: string, version = 'temporal version 0.0.0-fake'): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho "${version}"\n`);
  chmodSync(file, 0o755);
  return file;
}

interface Recorded {
  lines: string[];
  downloads: number;
  builds: { go: string; dest: string }[];
}

/** A machine with no CLI anywhere, no internet and no Go, unless the test adds them. */
function bareMachine(overrides: Partial<TemporalCliDeps> = {}): { deps: Partial<TemporalCliDeps>; recorded: Recorded } {
  const recorded: Recorded = { lines: [], downloads: 0, builds: [] };
  const deps: Partial<TemporalCliDeps> = {
    explicitPath: undefined,
    searchPath: [path.join(root, 'usr-bin'), path.join(root, 'home-bin')].join(path.delimiter),
    cacheDir: path.join(root, 'cache'),
    goLocations: [],
    download: async () => {
      recorded.downloads++;
      throw new DownloadUnavailableError(NO_INTERNET);
    },
    build: async (go, dest) => {
      recorded.builds.push({ go, dest });
      throw new Error('this test expects no build');
    },
    say: (line) => recorded.lines.push(line),
    lockPollMs: 5,
    ...overrides,
  };
  return { deps, recorded };
}

/** A builder that writes a working fake CLI, after `whenDone` resolves. */
function fakeBuilder(recorded: Recorded, whenDone: () => Promise<void> = async () => {}): TemporalCliDeps['build'] {
  return async (go, dest) => {
    recorded.builds.push({ go, dest });
    await whenDone();
    writeFakeCli(dest, 'temporal version 1.5.1 (built)');
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The pid of a process that has just exited: certainly not alive. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(cacheDir: string, owner: { pid: number; since?: number; token?: string }): string {
  const file = path.join(cacheDir, 'bin', 'temporal.lock');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ host: os.hostname(), since: Date.now(), token: 'someone-else', ...owner }));
  return file;
}

describe('where the Temporal CLI comes from', () => {
  const goOnPath = () => writeFakeCli(path.join(root, 'usr-bin', 'go'), 'go version go0.0-fake');

  it.each([
    ['TEMPORAL_CLI_PATH first', ['explicit', 'path', 'cache'], 'TEMPORAL_CLI_PATH'],
    ['then temporal on PATH', ['path', 'cache'], 'PATH'],
    ['then the cache', ['cache'], 'cache'],
  ] as const)('%s', async (_name, present, expectedSource) => {
    const has = (where: string) => (present as readonly string[]).includes(where);
    const explicit = path.join(root, 'somewhere', 'my-temporal');
    if (has('explicit')) writeFakeCli(explicit);
    if (has('path')) writeFakeCli(path.join(root, 'home-bin', 'temporal'));
    if (has('cache')) writeFakeCli(cachedCliPath(path.join(root, 'cache')));
    goOnPath();
    const { deps, recorded } = bareMachine({ explicitPath: has('explicit') ? explicit : undefined });

    const cli = await resolveTemporalCli(deps);

    expect(cli.source).toBe(expectedSource);
    expect(recorded).toEqual({ lines: [], downloads: 0, builds: [] });
  });

  it('takes the first PATH entry that has an executable temporal, skipping folders and plain files', async () => {
    mkdirSync(path.join(root, 'usr-bin', 'temporal'), { recursive: true }); // a folder named temporal
    const notExecutable = path.join(root, 'home-bin', 'temporal');
    mkdirSync(path.dirname(notExecutable), { recursive: true });
    writeFileSync(notExecutable, 'not a program');
    const third = writeFakeCli(path.join(root, 'opt-bin', 'temporal'));
    const { deps } = bareMachine();

    const cli = await resolveTemporalCli({
      ...deps,
      searchPath: `${deps.searchPath}${path.delimiter}${path.join(root, 'opt-bin')}`,
    });

    expect(cli).toEqual({ path: third, source: 'PATH' });
  });

  it('refuses a TEMPORAL_CLI_PATH that names no program, rather than quietly using another CLI', async () => {
    writeFakeCli(path.join(root, 'home-bin', 'temporal'));
    const { deps } = bareMachine({ explicitPath: path.join(root, 'typo', 'temporl') });

    await expect(resolveTemporalCli(deps)).rejects.toThrow(
      new TemporalCliUnavailableError(`TEMPORAL_CLI_PATH: no executable file at ${path.join(root, 'typo', 'temporl')}`),
    );
  });

  it('downloads before building, into the cache, and leaves no partial files', async () => {
    goOnPath();
    const { deps, recorded } = bareMachine({
      download: async (dest) => {
        recorded.downloads++;
        writeFakeCli(dest, 'temporal version 1.4.0 (downloaded)');
      },
    });

    const cli = await resolveTemporalCli(deps);

    expect(cli).toEqual({ path: cachedCliPath(path.join(root, 'cache')), source: 'download' });
    expect(spawnSync(cli.path, ['--version'], { encoding: 'utf8' }).stdout).toContain('downloaded');
    expect(recorded.downloads).toBe(1);
    expect(recorded.builds).toEqual([]);
    expect(readdirSync(path.join(root, 'cache', 'bin'))).toEqual(['temporal']); // no lock, no .partial-*
  });

  it('builds from Go modules when there is no download, with the go found on PATH, then reuses the build', async () => {
    const go = goOnPath();
    const { deps, recorded } = bareMachine();
    deps.build = fakeBuilder(recorded);

    const first = await resolveTemporalCli(deps);
    const second = await resolveTemporalCli(deps);

    expect(first).toEqual({ path: cachedCliPath(path.join(root, 'cache')), source: 'Go build' });
    expect(second).toEqual({ path: first.path, source: 'cache' });
    expect(recorded.builds).toHaveLength(1);
    const [build] = recorded.builds;
    expect(build?.go).toBe(go);
    expect(path.basename(build!.dest)).toBe('temporal');
    expect(path.dirname(path.dirname(build!.dest))).toBe(path.join(root, 'cache', 'bin')); // a private folder beside the target
    expect(recorded.lines.join('\n')).toContain(
      `no download (${NO_INTERNET}); building the Temporal CLI v1.5.1 from Go modules with ${go} instead`,
    );
    expect(readdirSync(path.join(root, 'cache', 'bin'))).toEqual(['temporal']);
  });

  it('finds go in GOROOT/bin when it is not on PATH', async () => {
    const go = writeFakeCli(path.join(root, 'goroot', 'bin', 'go'));
    const { deps, recorded } = bareMachine({ goLocations: [go] });
    deps.build = fakeBuilder(recorded);

    await resolveTemporalCli(deps);

    expect(recorded.builds.map((b) => b.go)).toEqual([go]);
  });

  it('with no download and no Go, says the three ways out in one message and caches nothing', async () => {
    const { deps, recorded } = bareMachine();

    const error = await resolveTemporalCli(deps).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(TemporalCliUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('install Go');
    expect(message).toContain('set TEMPORAL_CLI_PATH');
    expect(message).toContain('put `temporal` on PATH');
    expect(message).toContain('allow access to temporal.download');
    expect(message).toContain(NO_INTERNET); // why the download did not happen
    expect(message).not.toMatch(/\n\s+at /); // no stack trace inside the message
    expect(message.split('\n')).toHaveLength(4);
    expect(recorded.builds).toEqual([]);
    expect(readdirSync(path.join(root, 'cache', 'bin'))).toEqual([]); // lock released, no partial folder
  });

  it("reports a failed Go build with go's own last lines, releases the lock and caches nothing", async () => {
    goOnPath();
    const { deps } = bareMachine({
      build: async () => {
        throw new Error(
          'go install github.com/temporalio/cli/cmd/temporal@v1.5.1 failed (exit 1):\nverifying module: checksum mismatch',
        );
      },
    });

    await expect(resolveTemporalCli(deps)).rejects.toThrow(
      /building the Temporal CLI from Go modules failed; set TEMPORAL_CLI_PATH[\s\S]*checksum mismatch/,
    );
    expect(readdirSync(path.join(root, 'cache', 'bin'))).toEqual([]);
  });

  it('never caches a download that does not run', async () => {
    const { deps } = bareMachine({
      download: async (dest) => {
        writeFileSync(dest, '#!/bin/sh\nexit 3\n', { mode: 0o755 }); // e.g. a truncated archive
      },
    });

    await expect(resolveTemporalCli(deps)).rejects.toThrow(/the Temporal CLI from the download does not run/);
    expect(existsSync(cachedCliPath(path.join(root, 'cache')))).toBe(false);
  });
});

describe('one build at a time, through a lock in the cache', () => {
  const goOnPath = () => writeFakeCli(path.join(root, 'usr-bin', 'go'));

  it("runs the builder once for two concurrent resolves; the second waits for the first one's result", async () => {
    goOnPath();
    const buildMayFinish = deferred();
    const first = bareMachine();
    const second = bareMachine();
    first.deps.build = fakeBuilder(first.recorded, () => buildMayFinish.promise);
    second.deps.build = fakeBuilder(second.recorded);

    const firstCli = resolveTemporalCli(first.deps);
    const secondCli = resolveTemporalCli(second.deps);
    await waitFor(() => second.recorded.lines.some((l) => l.includes('is making the Temporal CLI')));
    buildMayFinish.resolve();

    const results = await Promise.all([firstCli, secondCli]);
    expect(results.map((r) => r.source)).toEqual(['Go build', 'cache']);
    expect(results[0].path).toBe(results[1].path);
    expect(first.recorded.builds.length + second.recorded.builds.length).toBe(1);
    expect(second.recorded.lines[0]).toBe(
      `process ${process.pid} is making the Temporal CLI (first run only); waiting for it instead of building a second one (lock: ${path.join(root, 'cache', 'bin', 'temporal.lock')})`,
    );
    expect(readdirSync(path.join(root, 'cache', 'bin'))).toEqual(['temporal']);
  });

  it('takes over a lock left by a process that died mid-build', async () => {
    goOnPath();
    const pid = deadPid();
    writeLock(path.join(root, 'cache'), { pid });
    mkdirSync(path.join(root, 'cache', 'bin', '.partial-left-behind'));
    const { deps, recorded } = bareMachine();
    deps.build = fakeBuilder(recorded);

    const cli = await resolveTemporalCli(deps);

    expect(cli.source).toBe('Go build');
    expect(recorded.lines).toContain(
      `removed a stale lock from process ${pid} (no longer running) on the Temporal CLI cache`,
    );
    expect(readdirSync(path.join(root, 'cache', 'bin'))).toEqual(['temporal']); // the dead build's folder is gone too
  });

  it('waits while the lock holder lives, and takes over when it dies without a result', async () => {
    goOnPath();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      writeLock(path.join(root, 'cache'), { pid: holder.pid! });
      const { deps, recorded } = bareMachine();
      deps.build = fakeBuilder(recorded);

      const cli = resolveTemporalCli(deps);
      await waitFor(() => recorded.lines.some((l) => l.includes(`process ${holder.pid} is making the Temporal CLI`)));
      expect(recorded.builds).toEqual([]);
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await exited;

      expect((await cli).source).toBe('Go build');
      expect(recorded.builds).toHaveLength(1);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('builds once when four processes start at the same time over a lock left by a dead one', async () => {
    const go = goOnPath();
    writeLock(path.join(root, 'cache'), { pid: deadPid() });
    const buildLog = path.join(root, 'builds.log');
    writeFileSync(buildLog, '');
    const tsx = path.join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
    const script = path.join(__dirname, '..', '..', 'support', 'resolve-cli-process.ts');
    const env = {
      ...process.env,
      CACHE_DIR: path.join(root, 'cache'),
      FAKE_GO: go,
      BUILD_LOG: buildLog,
      BUILD_MS: '500',
    };

    const sources = await Promise.all(
      [1, 2, 3, 4].map(
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(tsx, [script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.once('error', reject);
            child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
          }),
      ),
    );

    expect(readFileSync(buildLog, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(sources.sort()).toEqual(['Go build', 'cache', 'cache', 'cache']);
    expect(readdirSync(path.join(root, 'cache', 'bin'))).toEqual(['temporal']);
  });

  it('does not remove a fresh lock that replaced the stale one it judged (two waiters, one stale lock)', () => {
    const stalePid = deadPid();
    const lockFile = writeLock(path.join(root, 'cache'), { pid: stalePid, token: 'stale' });
    const fresh = JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now(), token: 'faster-waiter' });
    let replaced = false;
    const lock = new CacheLock(lockFile, {
      pid: process.pid,
      now: () => Date.now(),
      staleAfterMs: 60_000,
      say: () => {},
      // The interleaving: we have read the stale lock and judge its pid; meanwhile a faster waiter
      // removes it and takes the lock itself.
      isAlive: (pid) => {
        if (pid === stalePid && !replaced) {
          writeFileSync(lockFile, fresh);
          replaced = true;
        }
        return pid !== stalePid;
      },
    });

    const attempt = lock.tryAcquire();

    expect(attempt).toEqual({ acquired: false, owner: JSON.parse(fresh) });
    expect(readFileSync(lockFile, 'utf8')).toBe(fresh);
  });

  it('treats a lock as stale after staleLockMs even if its pid is alive (the pid may have been reused)', async () => {
    goOnPath();
    const clock = new FakeClock();
    writeLock(path.join(root, 'cache'), { pid: process.pid, since: clock.now() - 3 * 60 * 60 * 1000 });
    const { deps, recorded } = bareMachine({ clock, staleLockMs: 2 * 60 * 60 * 1000 });
    deps.build = fakeBuilder(recorded);

    expect((await resolveTemporalCli(deps)).source).toBe('Go build');
    expect(recorded.lines).toContain(
      `removed a stale lock from process ${process.pid} (held too long) on the Temporal CLI cache`,
    );
  });

  it('only removes its own lock: a lock taken over meanwhile stays', async () => {
    goOnPath();
    const lockFile = path.join(root, 'cache', 'bin', 'temporal.lock');
    const { deps, recorded } = bareMachine();
    deps.build = fakeBuilder(recorded, async () => {
      writeLock(path.join(root, 'cache'), { pid: process.pid, token: 'the-new-owner' }); // someone judged us stale
    });

    await resolveTemporalCli(deps);

    expect(JSON.parse(readFileSync(lockFile, 'utf8')).token).toBe('the-new-owner');
  });
});

describe('progress lines while the CLI is made', () => {
  it('says every 15 s how long the Go build has run, then where the CLI is', async () => {
    writeFakeCli(path.join(root, 'usr-bin', 'go'));
    const clock = new FakeClock();
    const { deps, recorded } = bareMachine({ clock });
    deps.build = fakeBuilder(recorded, async () => clock.advance(130_000 + 500)); // 2m10.5s of "build"

    await resolveTemporalCli(deps);

    const ticks = recorded.lines.filter((l) =>
      l.startsWith('building the Temporal CLI from Go modules, first run only: '),
    );
    expect(ticks.map((l) => l.split(': ')[1])).toEqual([
      '15s',
      '30s',
      '45s',
      '1m00s',
      '1m15s',
      '1m30s',
      '1m45s',
      '2m00s',
    ]);
    expect(recorded.lines.at(-1)).toBe(
      `Temporal CLI ready: ${cachedCliPath(path.join(root, 'cache'))} (built from Go modules in 2m10s)`,
    );
  });

  it('says every 15 s how long it has waited for another process, until that one has finished', async () => {
    const clock = new FakeClock();
    writeLock(path.join(root, 'cache'), { pid: process.pid, since: clock.now() });
    const { deps, recorded } = bareMachine({ clock, lockPollMs: 1_000 });
    const started = clock.now();
    clock.onSleep = (now) => {
      if (now - started === 40_000) writeFakeCli(cachedCliPath(path.join(root, 'cache'))); // the other process is done
    };

    const cli = await resolveTemporalCli(deps);

    expect(cli.source).toBe('cache');
    expect(recorded.lines).toEqual([
      `process ${process.pid} is making the Temporal CLI (first run only); waiting for it instead of building a second one (lock: ${path.join(root, 'cache', 'bin', 'temporal.lock')})`,
      `waiting for process ${process.pid} to finish the Temporal CLI, first run only: 15s`,
      `waiting for process ${process.pid} to finish the Temporal CLI, first run only: 30s`,
      `Temporal CLI ready: ${cachedCliPath(path.join(root, 'cache'))}`,
    ]);
  });

  it.each([
    [0, '0s'],
    [999, '0s'],
    [45_000, '45s'],
    [60_000, '1m00s'],
    [130_000, '2m10s'],
    [3_725_000, '1h02m05s'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});

async function waitFor(condition: () => boolean, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
