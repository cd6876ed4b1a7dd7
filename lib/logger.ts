/**
 * Logs (pino): JSON lines for machines, or readable colour lines (pino-pretty) for a person at a
 * terminal. Lines about an order carry `orderId` and `workflowId` through child loggers; credentials in
 * URLs and auth headers are redacted before either format sees them.
 */
import pino, { type Logger } from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  /** Default json: tests, benchmarks and services read lines; entry points choose with `chooseLogFormat`. */
  format?: LogFormat;
  /** Default stdout. */
  destination?: { write(text: string): unknown };
}

/** LOG_FORMAT when set, else pretty for a person at a terminal and JSON for everything else. */
export function chooseLogFormat(setting: LogFormat | undefined, isTerminal: boolean): LogFormat {
  return setting ?? (isTerminal ? 'pretty' : 'json');
}

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', options: LoggerOptions = {}): Logger {
  const settings: pino.LoggerOptions = {
    level,
    base: { service: 'closedloop' },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        '*.password',
        '*.token',
        '*.apiKey',
        '*.secret',
        '*.key',
      ],
      censor: '[redacted]',
    },
  };
  const out = options.destination ?? process.stdout;
  if ((options.format ?? 'json') === 'json')
    return options.destination ? pino(settings, out as pino.DestinationStream) : pino(settings);
  // Formatted in-process and written synchronously (not through a transport thread), so the last lines
  // before a process.exit() are never lost.
  const prettify = prettyFactory({
    colorize: options.destination ? false : isColorSupported,
    ignore: 'pid,hostname,service',
    translateTime: 'SYS:HH:MM:ss',
  });
  return pino(settings, { write: (line: string) => void out.write(prettify(line)) });
}

/** Strips the password from a connection URL so it can be logged or printed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}
