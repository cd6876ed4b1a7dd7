/** ADAPTERS and the ERP_*, WMS_*, TMS_*, CRM_* connection variables: which systems the worker talks to. */
import { z } from 'zod';
import type { AdapterSettings } from '../../adapters/select';
import { optionalString, optionalUrl, wholeNumber } from './variables';

export const SYSTEMS = ['ERP', 'WMS', 'TMS', 'CRM'] as const;

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

export const adapterVariables = {
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
};

type AdapterConfig = z.infer<z.ZodObject<typeof adapterVariables>>;

/** With ADAPTERS=http every system needs its URL, and the built-in adapters' fault injection is refused. */
export function adapterProblems(config: AdapterConfig): string[] {
  if (config.ADAPTERS !== 'http') return [];
  const problems = SYSTEMS.filter((system) => !config[`${system}_URL`]).map(
    (system) => `${system}_URL: required when ADAPTERS=http (not set)`,
  );
  if (config.FAULT_FAILURE_RATE > 0 || config.FAULT_LATENCY_MS > 0)
    problems.push(
      'FAULT_FAILURE_RATE / FAULT_LATENCY_MS: apply to the built-in adapters only; unset them with ADAPTERS=http',
    );
  return problems;
}

/** The adapter settings the worker runs with (adapters/select.ts). */
export function adapterSettings(config: AdapterConfig): AdapterSettings {
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
