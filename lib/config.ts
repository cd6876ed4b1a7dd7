/**
 * The one configuration module. Every setting comes from an environment variable, parsed with zod once
 * at start-up; a missing or malformed value stops the process with a message naming the variable.
 *
 * Unset TEMPORAL_ADDRESS / DATABASE_URL / SMTP_URL mean "start the embedded default" (dev server,
 * PGlite, capture SMTP) — only the combined `npm start` does that; separate API and worker processes
 * must be pointed at real services (`requireExternalServices`).
 */
import path from 'node:path';
import { z } from 'zod';
import type { AdapterSettings } from '../adapters/select';
import { DEFAULT_WORKFLOW_CALL_TIMEOUT_MS, DISPATCHER_DEFAULTS, RELAY_DEFAULTS } from './api-defaults';
import { DEFAULT_CODEC_CORS_ORIGIN, parsePayloadKeys, type PayloadKey } from './payload-encryption';

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback);

/** A whole number of at least `min`, `fallback` when unset. */
const wholeNumber = (min: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .default(fallback);

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** A shared HMAC secret: unset, or at least 16 characters. */
const secret = optionalString.refine((v) => v === undefined || v.length >= 16, {
  message: 'must be at least 16 characters',
});

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const isLoopbackUrl = (url: string): boolean => {
  try {
    return LOOPBACK_HOSTS.includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

const SYSTEMS = ['ERP', 'WMS', 'TMS', 'CRM'] as const;

/** One line of a printed document (seller name, bank name...): 1-200 characters. */
const printedText = (fallback: string) =>
  z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').default(fallback);

/** Lines of a printed address, separated by "|" in the variable ("4500 Industrial Way|Dayton, OH 45414"). */
const printedAddress = (fallback: string) =>
  printedText(fallback).refine((v) => v.split('|').every((line) => line.trim() !== ''), {
    message: 'must be address lines separated by "|", none of them empty',
  });

/**
 * Who issues the documents (invoice, credit memo, packing list) and how the buyer pays: printed on every
 * PDF. The defaults are the demo company's, fictional, so `npm start` prints a complete invoice.
 */
const sellerVariables = {
  SELLER_LEGAL_NAME: printedText('Closedloop Demo Distribution, LLC'),
  SELLER_ADDRESS: printedAddress('4500 Industrial Way|Dayton, OH 45414|United States'),
  /** Tax registration printed beside the name (EIN, VAT number...). */
  SELLER_TAX_ID: printedText('EIN 12-3456789'),
  SELLER_EMAIL: z.email('must be an e-mail address').default('billing@closedloop-demo.example'),
  /** Where cheques go; the seller's address when unset. */
  SELLER_REMIT_ADDRESS: optionalString.refine(
    (v) => v === undefined || v.split('|').every((line) => line.trim() !== ''),
    {
      message: 'must be address lines separated by "|", none of them empty',
    },
  ),
  SELLER_BANK_NAME: printedText('Demo Commerce Bank, N.A.'),
  SELLER_BANK_ACCOUNT: printedText('Account 000123456789'),
  /** Routing of the account: ABA routing number, SWIFT/BIC. */
  SELLER_BANK_ROUTING: printedText('ABA 000000000 / SWIFT DEMOUS00'),
};

/** Every SELLER_* variable (checked against docker-compose.yml). */
export const SELLER_VARIABLES = Object.keys(sellerVariables);

/** ERP_URL, ERP_TOKEN, ERP_USERNAME, ERP_PASSWORD, ERP_TIMEOUT_MS, and the same for WMS, TMS, CRM. */
const httpAdapterVariables = Object.fromEntries(
  SYSTEMS.flatMap((system) => [
    [`${system}_URL`, optionalUrl(['http', 'https'])],
    [`${system}_TOKEN`, optionalString],
    [`${system}_USERNAME`, optionalString],
    [`${system}_PASSWORD`, optionalString],
    [`${system}_TIMEOUT_MS`, wholeNumber(100, 10_000)],
  ]),
) as Record<`${(typeof SYSTEMS)[number]}_${'URL' | 'TOKEN' | 'USERNAME' | 'PASSWORD'}`, typeof optionalString> &
  Record<`${(typeof SYSTEMS)[number]}_TIMEOUT_MS`, z.ZodDefault<z.ZodCoercedNumber>>;

const envSchema = z.object({
  /** builtin: ERP/WMS/TMS/CRM data in closedloop's PostgreSQL; http: call real systems (ERP_URL, ...). */
  ADAPTERS: z.enum(['builtin', 'http']).default('builtin'),
  ...httpAdapterVariables,
  /** Built-in adapters only (tests, benchmarks): share of calls that fail, and added latency. */
  FAULT_FAILURE_RATE: z.coerce
    .number({ error: 'must be a number' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(0),
  FAULT_LATENCY_MS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be >= 0')
    .default(0),
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
  /** Shared secret of the CRM's closed-won webhook (HMAC-SHA256). `npm start` makes one in DATA_DIR if unset. */
  CRM_WEBHOOK_SECRET: secret,
  /** The inbound secret before the last rotation: accepted too until the CRM signs with the new one. */
  CRM_WEBHOOK_SECRET_PREVIOUS: secret,
  /** Where status milestones are posted; unset: milestones are only stored. https unless on this machine. */
  CRM_WEBHOOK_URL: optionalUrl(['http', 'https']).refine(
    (v) => v === undefined || !v.startsWith('http://') || isLoopbackUrl(v),
    {
      message: 'must start with https:// (http:// only for localhost, 127.0.0.1 or [::1])',
    },
  ),
  /**
   * Signs the milestones posted to CRM_WEBHOOK_URL; unset: CRM_WEBHOOK_SECRET signs them (with a warning
   * at start-up), as before this variable existed.
   */
  CRM_OUTBOUND_SECRET: secret,
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
  ...sellerVariables,
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
  CODEC_CORS_ORIGIN: optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        const url = new URL(v);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === v;
      } catch {
        return false;
      }
    },
    {
      message: `must be an origin: scheme, host and port only, e.g. ${DEFAULT_CODEC_CORS_ORIGIN} (no path, no trailing "/")`,
    },
  ),
});

/** Variables a separately deployed API or worker must receive (checked against docker-compose.yml). */
export const REQUIRED_EXTERNAL_VARIABLES = [
  'TEMPORAL_ADDRESS',
  'DATABASE_URL',
  'SMTP_URL',
  'CRM_WEBHOOK_SECRET',
] as const;

export type Config = Omit<z.infer<typeof envSchema>, 'DATA_DIR'> & { DATA_DIR: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Variables whose value is a credential: a message names them and the rule, never the value. */
const CREDENTIAL = /(SECRET|PASSWORD|TOKEN|USERNAME|_KEYS?)(_PREVIOUS)?$/;

/**
 * The value a config message may show: harmless values as given (a port, an e-mail address); credentials
 * not at all; URLs without user, password, query or fragment (`postgresql://***:***@db:5432/app`), and
 * not at all when they do not parse (the password could be anywhere in them).
 */
export function describeValue(variable: string, got: string | undefined): string {
  if (got === undefined) return '(not set)';
  if (CREDENTIAL.test(variable)) return '(value not shown)';
  if (variable.endsWith('_URL')) {
    let url: URL;
    try {
      url = new URL(got.trim());
    } catch {
      return '(value not shown: not a URL)';
    }
    const credentials = url.username || url.password ? '***:***@' : '';
    const port = url.port ? `:${url.port}` : '';
    const path = url.pathname === '/' ? '' : url.pathname;
    return `(got ${JSON.stringify(`${url.protocol}//${credentials}${url.hostname}${port}${path}`)})`;
  }
  return `(got ${JSON.stringify(got)})`;
}

export interface LoadOptions {
  /** Separate API or worker processes cannot start embedded services; they need real ones. */
  requireExternalServices?: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '?');
        return `${variable}: ${issue.message} ${describeValue(variable, env[variable])}`;
      }),
    );
  }
  const config = { ...parsed.data, DATA_DIR: path.resolve(parsed.data.DATA_DIR) };
  if (config.ADAPTERS === 'http') {
    const problems = SYSTEMS.filter((system) => !config[`${system}_URL`]).map(
      (system) => `${system}_URL: required when ADAPTERS=http (not set)`,
    );
    if (config.FAULT_FAILURE_RATE > 0 || config.FAULT_LATENCY_MS > 0)
      problems.push(
        'FAULT_FAILURE_RATE / FAULT_LATENCY_MS: apply to the built-in adapters only; unset them with ADAPTERS=http',
      );
    if (problems.length > 0) throw new ConfigError(problems);
  }
  const secretProblems = crmSecretProblems(config);
  if (secretProblems.length > 0) throw new ConfigError(secretProblems);
  if (options.requireExternalServices) {
    const missing = REQUIRED_EXTERNAL_VARIABLES.filter((name) => config[name] === undefined).map(
      (name) =>
        `${name}: required when the API or worker runs on its own (npm start runs embedded defaults instead) (not set)`,
    );
    if (missing.length > 0) throw new ConfigError(missing);
  }
  return config;
}

/**
 * Inbound and outbound secrets are separate, so a leaked receiver's secret cannot forge orders: an
 * outbound secret equal to an inbound one is refused, and so is a "previous" secret without a current one.
 */
function crmSecretProblems(
  config: Pick<Config, 'CRM_WEBHOOK_SECRET' | 'CRM_WEBHOOK_SECRET_PREVIOUS' | 'CRM_OUTBOUND_SECRET'>,
): string[] {
  const problems: string[] = [];
  const { CRM_WEBHOOK_SECRET: current, CRM_WEBHOOK_SECRET_PREVIOUS: previous, CRM_OUTBOUND_SECRET: outbound } = config;
  if (previous !== undefined && current === undefined)
    problems.push(
      'CRM_WEBHOOK_SECRET_PREVIOUS: set only while rotating, together with the new CRM_WEBHOOK_SECRET (CRM_WEBHOOK_SECRET is not set)',
    );
  if (previous !== undefined && previous === current)
    problems.push(
      'CRM_WEBHOOK_SECRET_PREVIOUS: must differ from CRM_WEBHOOK_SECRET (unset it once the rotation is done)',
    );
  if (outbound !== undefined && (outbound === current || outbound === previous)) {
    problems.push(
      `CRM_OUTBOUND_SECRET: must differ from ${outbound === current ? 'CRM_WEBHOOK_SECRET' : 'CRM_WEBHOOK_SECRET_PREVIOUS'} (inbound and outbound signatures use separate secrets)`,
    );
  }
  return problems;
}

/** The adapter settings the worker runs with (adapters/select.ts). */
export function adapterSettings(config: Config): AdapterSettings {
  if (config.ADAPTERS === 'builtin') {
    return { mode: 'builtin', faults: { failureRate: config.FAULT_FAILURE_RATE, latencyMs: config.FAULT_LATENCY_MS } };
  }
  const http = (system: (typeof SYSTEMS)[number]) => ({
    baseUrl: config[`${system}_URL`]!,
    token: config[`${system}_TOKEN`],
    username: config[`${system}_USERNAME`],
    password: config[`${system}_PASSWORD`],
    timeoutMs: config[`${system}_TIMEOUT_MS`],
  });
  return { mode: 'http', http: { erp: http('ERP'), wms: http('WMS'), tms: http('TMS'), crm: http('CRM') } };
}

/** The issuer printed on documents: legal identity, and where and how the buyer pays. */
export interface SellerIdentity {
  legalName: string;
  addressLines: string[];
  taxId: string;
  email: string;
  remitTo: {
    /** Postal remittance (cheques). */
    addressLines: string[];
    bankName: string;
    account: string;
    routing: string;
  };
}

const addressLines = (text: string) => text.split('|').map((line) => line.trim());

/** The seller as configured (SELLER_* variables). */
export function sellerIdentity(config: z.infer<z.ZodObject<typeof sellerVariables>>): SellerIdentity {
  return {
    legalName: config.SELLER_LEGAL_NAME,
    addressLines: addressLines(config.SELLER_ADDRESS),
    taxId: config.SELLER_TAX_ID,
    email: config.SELLER_EMAIL,
    remitTo: {
      addressLines: addressLines(config.SELLER_REMIT_ADDRESS ?? config.SELLER_ADDRESS),
      bankName: config.SELLER_BANK_NAME,
      account: config.SELLER_BANK_ACCOUNT,
      routing: config.SELLER_BANK_ROUTING,
    },
  };
}

/** The demo seller (every SELLER_* variable unset): tests and callers that were given no configuration. */
export const DEMO_SELLER: SellerIdentity = sellerIdentity(z.object(sellerVariables).parse({}));

/** Prints the problem and exits: for entry points, where a stack trace would only hide the message. */
export function loadConfigOrExit(options: LoadOptions = {}): Config {
  try {
    return loadConfig(process.env, options);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
