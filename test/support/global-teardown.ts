import { dropScratchDatabase } from '../../lib/scratch-database';
import type { RunningTemporal } from '../../runtime/temporal-server';
import { ADMIN_URL } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const temporal = (globalThis as Record<string, unknown>).__closedloopTemporal as RunningTemporal | undefined;
  await temporal?.stop();
  const name = process.env.CLOSEDLOOP_TEST_DATABASE_NAME;
  if (name && !process.env.KEEP_TEST_DATABASE) {
    await dropScratchDatabase(name, ADMIN_URL);
  }
}
