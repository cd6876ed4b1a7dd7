import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { MailAdapter } from '../adapters/mail/mail-adapter';

/** What activities need from the outside world; wired once by the worker (workers/worker.ts). */
export interface ActivityDeps {
  db: Db;
  mail: MailAdapter;
  log: Logger;
  settings: {
    opsEmail: string;
    financeEmail: string;
    publicUrl: string;
  };
}
