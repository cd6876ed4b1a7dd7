/**
 * Structured JSON logs (pino). Lines about an order carry `orderId` and `workflowId` through child
 * loggers; credentials in URLs and auth headers are redacted.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'closedloop' },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.apiKey', '*.secret', '*.key'],
      censor: '[redacted]',
    },
  });
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
