/**
 * The one configuration module. Every setting comes from an environment variable, parsed with zod once
 * at start-up (the variables are declared by concern in lib/config/); a missing or malformed value
 * stops the process with a message naming the variable.
 *
 * Unset TEMPORAL_ADDRESS / DATABASE_URL / SMTP_URL mean "start the embedded default" (dev server,
 * PGlite, capture SMTP) — only the combined `npm start` does that; separate API and worker processes
 * must be pointed at real services (`requireExternalServices`).
 */
import path from 'node:path';
import { z } from 'zod';
import { adapterProblems, adapterVariables } from './config/adapters';
import { crmSecretProblems, crmVariables } from './config/crm';
import { sellerVariables } from './config/seller';
import {
  apiLimitVariables,
  businessVariables,
  encryptionVariables,
  processVariables,
  serviceVariables,
} from './config/services';

export { adapterSettings } from './config/adapters';
export { DEMO_SELLER, SELLER_VARIABLES, sellerIdentity, type SellerIdentity } from './config/seller';

/** Every variable, by concern; the order is the order problems are reported in. */
const envSchema = z.object({
  ...adapterVariables,
  ...processVariables,
  ...serviceVariables,
  ...crmVariables,
  ...apiLimitVariables,
  ...businessVariables,
  ...sellerVariables,
  ...encryptionVariables,
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
  const problems = adapterProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
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
