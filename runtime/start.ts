/** `npm start`: Temporal dev server, embedded PostgreSQL, mail capture, worker and API in one process. */
import { runEntryPoint } from './entry';

void runEntryPoint({ runApi: true, runWorker: true, requireExternalServices: false });
