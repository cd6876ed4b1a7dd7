/**
 * Throw-away databases on a PostgreSQL server (tests, the soak, benchmarks): created fresh under a
 * unique name, dropped afterwards even while connections are open.
 */
import { createDb } from './db';

/** The server test and soak databases are made on: TEST_DATABASE_URL, else the machine's own. */
export const SCRATCH_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The URL of database `name` on the server `adminUrl` points at. */
export function databaseUrlFor(name: string, adminUrl = SCRATCH_ADMIN_URL): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates database `name` (a name the caller made unique, e.g. with a prefix, time and pid) and returns its URL. */
export async function createScratchDatabase(name: string, adminUrl = SCRATCH_ADMIN_URL): Promise<string> {
  await asAdmin(adminUrl, `CREATE DATABASE "${name}"`);
  return databaseUrlFor(name, adminUrl);
}

export async function dropScratchDatabase(name: string, adminUrl = SCRATCH_ADMIN_URL): Promise<void> {
  await asAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

async function asAdmin(adminUrl: string, statement: string): Promise<void> {
  if (!/^[\w ]+"[\w]+"[\w ()]*$/.test(statement)) throw new RangeError(`unexpected statement: ${statement}`);
  const admin = createDb(adminUrl, 1);
  try {
    await admin.$executeRawUnsafe(statement);
  } finally {
    await admin.$disconnect();
  }
}
