/**
 * The one Prisma client module: nothing else opens database connections. Prisma 6 runs its JS query
 * engine over the `pg` driver adapter (the offline-capable set-up; see README). Callers own the client
 * they create and `$disconnect()` it on shutdown.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client';

export { Prisma } from '../prisma/generated/client';
export type Db = PrismaClient;

export function createDb(connectionString: string, maxConnections = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: maxConnections }) });
}
