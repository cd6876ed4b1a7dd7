/**
 * Every API and worker process migrates the database at start. Started together (docker compose, the
 * soak), all but one wait for Prisma's migration lock, and Prisma gave up after 10 s: the chaos soak
 * saw a worker die at start-up with P1002. A held lock now means "someone else is migrating": wait.
 */
import { Client } from 'pg';
import { createDb } from '../../lib/db';
import { migrateDeploy } from '../../runtime/migrate';
import { createScratchDatabase, dropScratchDatabase } from '../../lib/scratch-database';

const PRISMA_MIGRATE_LOCK = 72707369; // Prisma's advisory lock key for migrate

let databaseUrl: string;
const databaseName = `closedloop_migrate_${Date.now()}_${process.pid}`;

beforeAll(async () => {
  databaseUrl = await createScratchDatabase(databaseName);
});

afterAll(() => dropScratchDatabase(databaseName));

it('waits while another process holds the migration lock longer than Prisma waits, then migrates', async () => {
  const other = new Client({ connectionString: databaseUrl });
  await other.connect();
  await other.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
  const released = new Promise<void>((resolve) => {
    setTimeout(
      () => void other.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).then(() => resolve()),
      14_000,
    );
  });
  try {
    await migrateDeploy(databaseUrl);
  } finally {
    await released;
    await other.end();
  }
  const db = createDb(databaseUrl, 1);
  try {
    expect(await db.taxRate.count()).toBeGreaterThan(0); // the migrations ran
  } finally {
    await db.$disconnect();
  }
});
