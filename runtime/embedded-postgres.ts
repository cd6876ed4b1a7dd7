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
  // Set before start(): each connection's handler takes the server's queue when it is made.
  (server as unknown as { queryQueue: BatchQueue }).queryQueue = new BatchQueue(db);
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

/**
 * Client messages after which a connection's extended-protocol batch goes on: Parse, Bind, Describe,
 * Execute, Close, Flush and CopyData. Any other message (Sync, a simple Query, Terminate, a startup
 * packet) ends it.
 */
const BATCH_CONTINUES = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'd'].map((c) => c.charCodeAt(0)));

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/**
 * The socket server's queue of client messages into PGlite's one session, replacing pglite-socket's
 * own (0.2.17). That one serves messages one at a time in arrival order and keeps to one connection only
 * inside a transaction, so two connections' extended-protocol batches interleave whenever both have
 * messages waiting (as they do when a transaction ends): a Bind then meets the other connection's
 * unnamed statement ("bind message supplies 3 parameters, but prepared statement \"\" requires 2") or
 * runs it with the wrong values. This queue serves one connection from the first message of a batch to
 * its Sync, and through a transaction, before it takes another's; a failed message no longer stops the
 * queue for good. test/foundation/embedded-postgres.test.ts pins both.
 */
class BatchQueue {
  private queue: QueuedMessage[] = [];
  private isProcessing = false;
  /** The connection whose batch is open: only its messages are served until the batch ends. */
  private batchOwner: number | null = null;
  private lastHandlerId: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.processQueue();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((m) => {
      if (m.handlerId !== handlerId) return true;
      m.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** A connection went away: roll back its open transaction and let the others' messages through. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.batchOwner === handlerId) this.batchOwner = null;
    if (this.db.isInTransaction() && this.lastHandlerId === handlerId) {
      await this.db.exec('ROLLBACK');
      this.lastHandlerId = null;
    }
    await this.processQueue();
  }

  private owner(): number | null {
    return this.batchOwner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
  }

  private async processQueue(): Promise<void> {
    if (this.isProcessing) return;
    this.isProcessing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.owner();
        const at = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        if (at < 0) break; // the owner's next message has not arrived: it restarts the queue
        const [next] = this.queue.splice(at, 1);
        const item = next!;
        this.lastHandlerId = item.handlerId;
        this.batchOwner = BATCH_CONTINUES.has(item.message[0]!) ? item.handlerId : null;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        item.resolve(bytes);
      }
    } finally {
      this.isProcessing = false;
    }
  }
}
