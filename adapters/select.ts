/**
 * Chooses the adapters the worker runs with: the built-in ones on closedloop's own database
 * (standalone, demos, tests) or the HTTP ones that call real ERP, WMS, TMS and CRM systems.
 *
 * Fault injection wraps the built-in adapters only. It exists to test and benchmark our own engine
 * (retries, compensations, needs_attention) against outside systems that are slow or flaky; pointed at
 * real systems it would only add made-up failures on top of real ones, and in production that is an
 * outage we caused. Faults with mode 'http' are refused rather than silently ignored.
 */
import type { Db } from '../lib/db';
import { createBuiltinAdapters } from './builtin';
import { withFaults } from './fault-injector';
import { createHttpCrm } from './http/crm';
import { createHttpErp } from './http/erp';
import type { HttpOptions } from './http/http-client';
import { createHttpTms } from './http/tms';
import { createHttpWms } from './http/wms';
import type { Adapters } from './types';

export type { HttpOptions };

export type AdapterSystem = 'erp' | 'wms' | 'tms' | 'crm';

export const ADAPTER_SYSTEMS: readonly AdapterSystem[] = ['erp', 'wms', 'tms', 'crm'];

export interface AdapterSettings {
  mode: 'builtin' | 'http';
  /** Required when mode is 'http': one entry per system. */
  http?: Record<AdapterSystem, HttpOptions>;
  /** Built-in mode only: every adapter call waits latencyMs and fails with probability failureRate. */
  faults?: { failureRate: number; latencyMs: number };
}

export function createAdapters(db: Db, settings: AdapterSettings): Adapters {
  if (settings.mode === 'http') {
    if (settings.faults) {
      throw new RangeError(
        'adapter faults apply to the built-in adapters only (mode is http); unset them for real systems',
      );
    }
    const http = settings.http;
    const missing = ADAPTER_SYSTEMS.filter((system) => !http?.[system]);
    if (!http || missing.length > 0) {
      throw new RangeError(`adapter mode http needs HTTP settings for ${missing.join(', ')}`);
    }
    return {
      erp: createHttpErp(http.erp),
      wms: createHttpWms(http.wms),
      tms: createHttpTms(http.tms),
      crm: createHttpCrm(http.crm),
    };
  }

  const builtin = createBuiltinAdapters(db);
  const faults = settings.faults;
  if (!faults || (faults.failureRate === 0 && faults.latencyMs === 0)) return builtin;
  return {
    erp: withFaults(builtin.erp, faults, 'erp'),
    wms: withFaults(builtin.wms, faults, 'wms'),
    tms: withFaults(builtin.tms, faults, 'tms'),
    crm: withFaults(builtin.crm, faults, 'crm'),
  };
}
