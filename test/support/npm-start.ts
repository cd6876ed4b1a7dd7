/**
 * Starts closedloop the way `npm start` does (package.json: `tsx runtime/start.ts`: Temporal dev server,
 * embedded PGlite, demo seed, mail capture, worker and API) on a fresh data folder and free ports, in a
 * process group of its own so that stopping it stops the dev server too. Resolves once the banner
 * printed the admin key's file (its output is no terminal) with that key; on a restart over the same
 * data folder, which makes no key, once the banner is out, with the key the caller passes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../runtime/ports';

const REPO = path.resolve(__dirname, '../..');

/** Settings that would point `npm start` at other services than its embedded defaults. */
export const NOT_INHERITED = [
  'TEMPORAL_ADDRESS',
  'DATABASE_URL',
  'SMTP_URL',
  'CRM_WEBHOOK_SECRET',
  'CRM_WEBHOOK_SECRET_PREVIOUS',
  'CRM_WEBHOOK_URL',
  'CRM_OUTBOUND_SECRET',
  'PUBLIC_URL',
  'API_HOST',
  'ADAPTERS',
  'FAULT_FAILURE_RATE',
  'FAULT_LATENCY_MS',
  'DATA_DIR',
  'CLOSEDLOOP_API_KEY',
  'CLOSEDLOOP_URL',
  'DEMO_ORDERS',
];

export interface StartedSystem {
  apiUrl: string;
  adminKey: string;
  /** The environment it was started with, less the ports (for commands run against it). */
  env: NodeJS.ProcessEnv;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM to the group, as Ctrl-C would, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Stops a detached child's whole process group (tsx runs the system in a child, which runs the dev
 * server): SIGTERM, as Ctrl-C would, then SIGKILL for whatever is still there after `graceMs`.
 */
export async function stopGroup(child: ChildProcess | undefined, graceMs: number): Promise<void> {
  const pid = child?.pid;
  if (!pid) return;
  const signal = (s: NodeJS.Signals | 0) => {
    try {
      process.kill(-pid, s);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  if (!signal('SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (signal(0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  signal('SIGKILL');
}

export async function startLikeNpmStart(options: {
  dataDir: string;
  extraEnv?: NodeJS.ProcessEnv;
  timeoutMs: number;
  restartWithKey?: string;
}): Promise<StartedSystem> {
  const [apiPort, temporalPort, uiPort, pgPort, mailPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !NOT_INHERITED.includes(name) && !name.startsWith('CLOSEDLOOP_TEST_'),
    ),
  );
  env.DATA_DIR = options.dataDir;
  Object.assign(env, options.extraEnv);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  let log = '';

  const system = spawn(path.join(REPO, 'node_modules/.bin/tsx'), ['runtime/start.ts'], {
    cwd: REPO,
    detached: true, // its own process group, so stopping it stops the dev server too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      API_PORT: String(apiPort),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      EMBEDDED_PG_PORT: String(pgPort),
      MAIL_CAPTURE_PORT: String(mailPort),
    },
  });
  const killOnExit = () => {
    try {
      if (system.pid) process.kill(-system.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  const stop = async (graceMs = 30_000) => {
    await stopGroup(system, graceMs);
    process.removeListener('exit', killOnExit);
  };
  const read = (chunk: Buffer) => void (log += chunk.toString());
  system.stdout!.on('data', read);
  system.stderr!.on('data', read);

  try {
    const adminKey = await new Promise<string>((resolve, reject) => {
      const fail = (why: string) =>
        reject(new Error(`npm start (runtime/start.ts) ${why}; its output ends:\n${log.slice(-4000)}`));
      const timer = setTimeout(
        () =>
          fail(
            `printed no ${options.restartWithKey === undefined ? 'admin key' : 'banner'} within ${options.timeoutMs / 1000} s`,
          ),
        options.timeoutMs,
      );
      const check = () => {
        // The banner, printed once everything listens; not a log line, whose format is not ours to rely on.
        // Its output is no terminal, so the key is in a mode-600 file whose path the banner prints (the
        // whole line: a chunk may end inside the path), without colours should a terminal get them.
        // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
        const file = /Admin API key written to (\S+) .*\r?\n/.exec(log.replace(/\x1b\[[0-9;]*m/g, ''))?.[1];
        if (options.restartWithKey !== undefined) {
          if (!log.includes('Stop with Ctrl-C.')) return;
          clearTimeout(timer);
          if (file) fail('made a new admin key on a restart');
          else resolve(options.restartWithKey);
          return;
        }
        if (!file) return;
        clearTimeout(timer);
        system.stdout!.off('data', check);
        system.stderr!.off('data', check);
        const key = readFileSync(file, 'utf8').trim();
        if ((statSync(file).mode & 0o777) !== 0o600) fail(`wrote the admin key to ${file} readable by others`);
        else if (log.includes(key)) fail('printed the admin key although its output is no terminal');
        else resolve(key);
      };
      system.stdout!.on('data', check);
      system.stderr!.on('data', check);
      system.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(`exited (${signal ?? `code ${code}`}) before printing the admin key`);
      });
    });
    return { apiUrl, adminKey, env, output: () => log, stop };
  } catch (error) {
    await stop(5_000);
    throw error;
  }
}
