import type { Db } from '../lib/db';
import type { Adapters } from './types';
import { createBuiltinErp } from './erp/builtin';
import { createBuiltinWms } from './wms/builtin';
import { createBuiltinTms } from './tms/builtin';
import { createBuiltinCrm } from './crm/builtin';

/** All built-in adapters on one database: closedloop standalone. */
export function createBuiltinAdapters(db: Db): Adapters {
  return { erp: createBuiltinErp(db), wms: createBuiltinWms(db), tms: createBuiltinTms(db), crm: createBuiltinCrm(db) };
}
