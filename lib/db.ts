/**
 * The one Prisma client module: nothing else opens database connections. Prisma 6 runs its JS query
 * engine over the `pg` driver adapter (the offline-capable set-up; see README). Callers own the client
 * they create and `$disconnect()` it on shutdown, which also ends its pool.
 */
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client';

export { Prisma } from '../prisma/generated/client';
export type Db = PrismaClient;

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(connectionString: string, maxConnections = 10): Db {
  // The pool is made here rather than inside the adapter so the console's heaviest reads can use it
  // directly (sqlPool): the same connections, the same limit, one pool per client.
  const pool = new pg.Pool({ connectionString, max: maxConnections });
  // An idle connection the server drops emits 'error' on the pool; unheard, that would end the process.
  // The adapter listens only once Prisma has made its first query. The next checkout reconnects.
  pool.on('error', () => undefined);
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * The pg pool under a client made by createDb, for reads that build their whole answer in SQL
 * (api/views/sql-json.ts): Prisma's raw-query path costs more CPU than the statement itself there.
 */
export function sqlPool(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('sqlPool: this Prisma client was not made by createDb');
  return pool;
}
