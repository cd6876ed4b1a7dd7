/**
 * A worker alone (`npm run start:worker`): run as many as the load needs, all on the same task queue,
 * against TEMPORAL_ADDRESS, DATABASE_URL and SMTP_URL.
 */
import { runEntryPoint } from '../runtime/entry';

void runEntryPoint({ runApi: false, runWorker: true, requireExternalServices: true });
