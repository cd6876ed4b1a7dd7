import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { MailAdapter } from '../adapters/mail/mail-adapter';
import type { Adapters } from '../adapters/types';
import type { SellerIdentity } from '../lib/config';

/** What activities need from the outside world; wired once by the worker (workers/worker.ts). */
export interface ActivityDeps {
  db: Db;
  mail: MailAdapter;
  adapters: Adapters;
  log: Logger;
  settings: {
    opsEmail: string;
    financeEmail: string;
    publicUrl: string;
    /** Printed on every document (SELLER_* variables). */
    seller: SellerIdentity;
    /** Sales tax for a ship-to the tax_rate table does not cover; unset: such an invoice needs attention. */
    defaultTaxRateBp?: number;
  };
}
