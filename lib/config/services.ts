/**
 * The services closedloop runs with or starts (logging and data, API, Temporal, PostgreSQL, mail), the
 * API's limits, who is told of trouble, tax, and payload encryption.
 */
import { z } from 'zod';
import { DEFAULT_WORKFLOW_CALL_TIMEOUT_MS, DISPATCHER_DEFAULTS, RELAY_DEFAULTS } from '../api-defaults';
import { DEFAULT_CODEC_CORS_ORIGIN, parsePayloadKeys, type PayloadKey } from '../payload-encryption';
import { optionalString, optionalUrl, port, wholeNumber } from './variables';

export const processVariables = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: readable lines on a terminal, JSON lines otherwise (pipes, files, containers). */
  LOG_FORMAT: optionalString.pipe(
    z
      .enum(['json', 'pretty'], { error: 'must be json or pretty (unset: pretty on a terminal, json otherwise)' })
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default('.data'),
  /** A fresh embedded database also gets a handful of demo orders in telling states (runtime/demo-orders.ts); off: none. */
  DEMO_ORDERS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
};

/** Unset TEMPORAL_ADDRESS / DATABASE_URL / SMTP_URL: the embedded default (only under `npm start`). */
export const serviceVariables = {
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port(3000),
  /** Base URL printed and used in links; defaults to http://API_HOST:API_PORT. */
  PUBLIC_URL: optionalUrl(['http', 'https']),

  TEMPORAL_ADDRESS: optionalString.refine((v) => v === undefined || /^[^\s:]+:\d+$/.test(v), {
    message: 'must be host:port, e.g. temporal:7233',
  }),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('closedloop'),
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_DEV_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),

  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  EMBEDDED_PG_PORT: port(54329),

  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  MAIL_CAPTURE_PORT: port(2525),
  MAIL_FROM: z.string().min(3).default('closedloop <orders@closedloop.local>'),
};

export const apiLimitVariables = {
  /** Requests per minute per API key, per CRM secret, or per client address on public routes. */
  RATE_LIMIT_PER_MINUTE: wholeNumber(1, 600),
  /** Failed authentications per minute per client address, refused before any key lookup beyond. */
  AUTH_FAILURES_PER_MINUTE: wholeNumber(1, 100),
  /** Largest accepted request body. */
  BODY_LIMIT_BYTES: wholeNumber(1024, 1_048_576),
  /** Workflow starts behind intake answers run at once, at most (api/intake/dispatcher.ts). */
  INTAKE_START_CONCURRENCY: wholeNumber(1, DISPATCHER_DEFAULTS.concurrency),
  /** Accepted events waiting for their start in the API process, at most; beyond, the inbox relay starts them. */
  INTAKE_MAX_QUEUED: wholeNumber(1, DISPATCHER_DEFAULTS.maxQueued),
  /** A workflow start that takes longer is given up and left to the inbox relay. */
  INTAKE_START_TIMEOUT_MS: wholeNumber(100, DISPATCHER_DEFAULTS.startTimeoutMs),
  /** Deadline of each update, query and signal the API sends a workflow; past it the API answers 504. */
  WORKFLOW_CALL_TIMEOUT_MS: wholeNumber(100, DEFAULT_WORKFLOW_CALL_TIMEOUT_MS),
  /** How often the inbox relay looks for events not started yet. */
  INBOX_RELAY_INTERVAL_MS: wholeNumber(100, RELAY_DEFAULTS.intervalMs),
};

export const businessVariables = {
  /** Where SLA breaches and stuck steps are reported. */
  OPS_EMAIL: z.email('must be an e-mail address').default('ops@closedloop.local'),
  /** Copied on escalations, dunning escalations and credit holds. */
  FINANCE_EMAIL: z.email('must be an e-mail address').default('finance@closedloop.local'),
  /**
   * Sales tax in basis points (825 = 8.25 %) for ship-tos the tax_rate table does not cover. Unset (the
   * default): such an invoice stops in needs_attention naming the region, so nobody bills 0 % by accident.
   */
  DEFAULT_TAX_RATE_BP: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(10_000, 'must be at most 10000')
    .optional(),
};

/** A browser origin: scheme, host and port only. */
const isOrigin = (v: string | undefined) => {
  if (v === undefined) return true;
  try {
    const url = new URL(v);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === v;
  } catch {
    return false;
  }
};

export const encryptionVariables = {
  /**
   * Payload encryption keys, newest first: `k2:<base64 of 32 bytes>,k1:<...>`. Set: every Temporal
   * payload is encrypted with the first key (AES-256-GCM) and any listed key decrypts. Unset: off.
   */
  PAYLOAD_KEYS: optionalString.transform((v, ctx): PayloadKey[] | undefined => {
    if (v === undefined) return undefined;
    const { keys, problems } = parsePayloadKeys(v);
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return keys;
  }),
  /**
   * The one browser origin (the Temporal Web UI) allowed to call /v1/codec/* across origins. Unset: the
   * embedded dev server's UI (http://127.0.0.1:TEMPORAL_UI_PORT) under `npm start`, else
   * DEFAULT_CODEC_CORS_ORIGIN.
   */
  CODEC_CORS_ORIGIN: optionalString.refine(isOrigin, {
    message: `must be an origin: scheme, host and port only, e.g. ${DEFAULT_CODEC_CORS_ORIGIN} (no path, no trailing "/")`,
  }),
};
