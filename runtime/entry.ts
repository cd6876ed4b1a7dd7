/**
 * Shared entry point of `npm start` (everything), the API alone and the worker alone: config errors and
 * busy ports end the process with a one-line reason, Ctrl-C / SIGTERM stop every part cleanly.
 */
import { loadConfigOrExit } from '../lib/config';
import { chooseLogFormat, createLogger } from '../lib/logger';
import { PortInUseError } from './ports';
import { startSystem, type RunningSystem } from './system';
import { writeFirstAdminKeyFile } from './local-secrets';

/**
 * The first admin key goes to a person at a terminal; a log that is kept (container, CI, a pipe to a
 * file) gets the path of a mode-600 file holding it instead.
 */
function firstAdminKeyLines(key: string, dataDir: string): string {
  if (process.stdout.isTTY === true) {
    return `\n  Admin API key (shown only now; keep it): ${key}\n  export CLOSEDLOOP_API_KEY=${key}`;
  }
  const file = writeFirstAdminKeyFile(dataDir, key);
  return `\n  Admin API key written to ${file} (mode 600; move it somewhere safe and delete the file)\n  export CLOSEDLOOP_API_KEY=$(cat ${file})`;
}

export interface EntryOptions {
  runApi: boolean;
  runWorker: boolean;
  /** Separate processes must be pointed at real services. */
  requireExternalServices: boolean;
  /** Runs after start-up (e.g. seeding, printing the admin key); its lines go to the banner. */
  afterStart?: (system: RunningSystem) => Promise<string[]>;
}

export async function runEntryPoint(options: EntryOptions): Promise<void> {
  const config = loadConfigOrExit({ requireExternalServices: options.requireExternalServices });
  const log = createLogger(config.LOG_LEVEL, {
    format: chooseLogFormat(config.LOG_FORMAT, process.stdout.isTTY === true),
  });
  let system: RunningSystem;
  try {
    system = await startSystem({ config, log, runApi: options.runApi, runWorker: options.runWorker });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\nclosedloop could not start: ${message}\n`);
    if (!(error instanceof PortInUseError)) log.debug({ err: error }, 'start-up failure');
    process.exit(1);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping closedloop...\n`);
    await system.stop();
    process.stderr.write('stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const extra = options.afterStart ? await options.afterStart(system) : [];
  const lines = [
    '',
    'closedloop is running',
    system.apiUrl && `  API:             ${system.apiUrl}`,
    system.consoleUrl && `  Console:         ${system.consoleUrl} (sign in with an API key)`,
    system.docsUrl && `  API docs:        ${system.docsUrl}`,
    system.temporalUiUrl
      ? `  Temporal Web UI: ${system.temporalUiUrl}`
      : `  Temporal:        ${system.temporalAddress}`,
    system.mailCaptureUrl && `  Captured mail:   ${system.apiUrl ?? ''}/v1/dev/mail (SMTP ${system.mailCaptureUrl})`,
    options.runWorker && `  Worker:          task queue ${config.TEMPORAL_TASK_QUEUE}`,
    `  Data:            ${config.DATA_DIR}`,
    system.crmSecretFile && `  CRM secret:      ${system.crmSecretFile} (signs POST /v1/events/closed-won; see README)`,
    system.demoOrders &&
      '  Demo orders:     five, running into their states in the background (DEMO_ORDERS=off skips them)',
    system.firstAdminKey && firstAdminKeyLines(system.firstAdminKey, config.DATA_DIR),
    ...extra,
    '  Stop with Ctrl-C.',
    '',
  ].filter(Boolean);
  process.stdout.write(`${lines.join('\n')}\n`);
}
