import { createDb } from '../../lib/db';
import type { RunningTemporal } from '../../runtime/temporal-server';
import { ADMIN_URL } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const temporal = (globalThis as Record<string, unknown>).__closedloopTemporal as RunningTemporal | undefined;
  await temporal?.stop();
  const name = process.env.CLOSEDLOOP_TEST_DATABASE_NAME;
  if (name && !process.env.KEEP_TEST_DATABASE) {
    const admin = createDb(ADMIN_URL, 1);
    try {
      await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.$disconnect();
    }
  }
}
