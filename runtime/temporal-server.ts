/**
 * Starts a Temporal dev server (`temporal server start-dev`, SQLite in DATA_DIR so orders survive a
 * restart) when no TEMPORAL_ADDRESS is given, and registers our search attributes on any cluster.
 * The CLI binary comes from runtime/temporal-cli (found, downloaded or built once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Logger } from '../lib/logger';
import { SEARCH_ATTRIBUTES } from '../workflows/shared/search-attributes';
import { resolveTemporalCli } from './temporal-cli';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

export interface DevServerOptions {
  port: number;
  uiPort?: number; // omit for a headless server (tests)
  dbFile?: string; // omit for an in-memory server (tests)
  namespace: string;
  cliPath?: string;
  log: Logger;
  /** Where progress lines go while the CLI is made on a first run; default: the log at info level. */
  say?: (line: string) => void;
}

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

const TYPE_FLAG: Record<string, string> = {
  KEYWORD: 'Keyword',
  BOOL: 'Bool',
  INT: 'Int',
  DATETIME: 'Datetime',
  TEXT: 'Text',
};

/** The dev server's flags that register our search attributes (the soak's server takes them too). */
export const SEARCH_ATTRIBUTE_FLAGS: readonly string[] = SEARCH_ATTRIBUTES.flatMap((key) => [
  '--search-attribute',
  `${key.name}=${TYPE_FLAG[key.type]}`,
]);

export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningTemporal> {
  const { path: cli } = await resolveTemporalCli({
    explicitPath: options.cliPath,
    say: options.say ?? ((line) => options.log.info(line)),
  });
  const address = `127.0.0.1:${options.port}`;

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
    ...SEARCH_ATTRIBUTE_FLAGS,
  ];
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');

  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const remember = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);

  try {
    await waitForServer(address, child, output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  options.log.info({ address, cli }, 'temporal dev server started');
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop: () => stopChild(child),
  };
}

async function waitForServer(address: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (;;) {
    if (exited !== undefined) {
      throw new Error(
        `Temporal dev server exited with code ${exited} before accepting connections:\n${output.join('').trim()}`,
      );
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline)
        throw new Error(`Temporal dev server at ${address} did not answer within 60 s:\n${output.join('').trim()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * `--search-attribute` only applies when the dev server creates its namespace; an existing database
 * file (or a real cluster) gets missing attributes added here through the operator API.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, log: Logger): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((key) => !(key.name in (customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((key) => [
        key.name,
        IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}` as keyof typeof IndexedValueType],
      ]),
    ),
  });
  log.info({ added: missing.map((k) => k.name) }, 'registered search attributes');
}
