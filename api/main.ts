/** The API alone (`npm run start:api`), against TEMPORAL_ADDRESS, DATABASE_URL and SMTP_URL. */
import { runEntryPoint } from '../runtime/entry';

void runEntryPoint({ runApi: true, runWorker: false, requireExternalServices: true });
