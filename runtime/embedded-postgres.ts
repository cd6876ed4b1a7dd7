/**
 * The embedded default database: PGlite (PostgreSQL compiled to WASM) with its data in DATA_DIR/pg,
 * served on a local TCP port so Prisma and `migrate deploy` use it like any PostgreSQL server.
 *
 * PGlite is one shared session: fine for a single-process install, never for load or benchmarks (use a
 * real PostgreSQL via DATABASE_URL there).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Logger } from '../lib/logger';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, port: number, log: Logger): Promise<RunningPostgres> {
  const dir = path.join(dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  // maxConnections defaults to 1 and then *rejects* a second client: Prisma's pool needs several.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 20 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  log.info({ dir, port }, 'embedded PostgreSQL (PGlite) started');
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
