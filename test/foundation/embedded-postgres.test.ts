/**
 * The embedded database (runtime/embedded-postgres.ts) serves several connections at once, as `npm
 * start`'s worker and API use it: PGlite is one session, so one connection's extended-protocol batch
 * (Parse, Bind, Describe, Execute up to Sync) must not interleave with another's. Interleaved, a Bind
 * meets the other connection's unnamed statement: "bind message supplies 3 parameters, but prepared
 * statement "" requires 2", which the demo orders' concurrent reads hit within seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { freePort } from '../../runtime/ports';
import { sqlRows } from '../../api/views/sql-json';
import { createDb, Prisma } from '../../lib/db';

const REPO = path.resolve(__dirname, '../..');
let dir: string;
let server: ChildProcess | undefined;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'closedloop-pglite-'));
  // Its own process: PGlite's dynamic WASM import does not load inside jest's module sandbox.
  server = spawn(
    path.join(REPO, 'node_modules/.bin/tsx'),
    ['test/support/embedded-postgres-process.ts', dir, String(await freePort())],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const started = server;
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /ready (\S+)\n/.exec(out);
      if (ready) resolve(ready[1]!);
    };
    started.stdout!.on('data', read);
    started.stderr!.on('data', read);
    started.once('exit', (code) =>
      reject(new Error(`embedded PostgreSQL exited (${code}) before it was ready:\n${out}`)),
    );
  });
}, 180_000);

afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  server?.stdout?.destroy();
  server?.stderr?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded PostgreSQL (PGlite over TCP)', () => {
  it('answers concurrent parameterised queries on ten connections while transactions come and go', async () => {
    const pool = new Pool({ connectionString: url, max: 10 });
    try {
      await pool.query('CREATE TABLE IF NOT EXISTS counter (id int PRIMARY KEY, n int NOT NULL)');
      await pool.query('INSERT INTO counter (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING');
      // Transactions hold the session: other connections' messages queue up meanwhile and are served
      // together when it ends, which is when one connection's batch could meet another's.
      const transactions = Array.from({ length: 20 }, async () => {
        const tx = await pool.connect();
        try {
          await tx.query('BEGIN');
          await tx.query('SELECT n FROM counter WHERE id = $1 FOR UPDATE', [1]);
          await new Promise((resolve) => setTimeout(resolve, 5));
          await tx.query('UPDATE counter SET n = n + $1 WHERE id = $2', [1, 1]);
          await tx.query('COMMIT');
        } catch (error) {
          await tx.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          tx.release();
        }
      });
      // Statements of different arity, so a Bind that meets another connection's statement fails loudly.
      const queries = Array.from({ length: 300 }, (_, i) =>
        i % 3 === 0
          ? pool
              .query<{ v: string }>('SELECT $1::text || $2::text AS v', [`a${i}`, `b${i}`])
              .then((r) => [r.rows[0]!.v, `a${i}b${i}`])
          : i % 3 === 1
            ? pool.query<{ v: string }>('SELECT $1::text AS v', [`c${i}`]).then((r) => [r.rows[0]!.v, `c${i}`])
            : pool
                .query<{ v: string }>('SELECT $1::text || $2::text || $3::text AS v', [`d${i}`, 'e', 'f'])
                .then((r) => [r.rows[0]!.v, `d${i}ef`]),
      );
      const settled = await Promise.allSettled([...transactions, ...queries]);
      const failures = settled
        .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
        .map((s) => String(s.reason?.message ?? s.reason));
      expect({ failed: failures.length, first: failures[0] }).toEqual({ failed: 0, first: undefined });
      const answers = settled.slice(transactions.length).map((s) => (s as PromiseFulfilledResult<string[]>).value);
      expect(answers.filter(([got, wanted]) => got !== wanted)).toEqual([]);
      expect((await pool.query<{ n: number }>('SELECT n FROM counter WHERE id = 1')).rows[0]!.n).toBe(20);
    } finally {
      await pool.end();
    }
  }, 120_000);

  it('keeps a transaction to its connection while others query meanwhile', async () => {
    const pool = new Pool({ connectionString: url, max: 4 });
    try {
      await pool.query('CREATE TABLE IF NOT EXISTS tx_probe (id int PRIMARY KEY, v text)');
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        await tx.query('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [1, 'inside']);
        // Another connection's query waits for the transaction (one session) instead of joining it.
        const outside = pool.query<{ n: string }>('SELECT count(*)::text AS n FROM tx_probe WHERE id = $1', [1]);
        await tx.query('ROLLBACK');
        expect((await outside).rows[0]!.n).toBe('0');
      } finally {
        tx.release();
      }
    } finally {
      await pool.end();
    }
  }, 60_000);
  it("serves the console's prepared reads on every connection of a pool (one session shares their names)", async () => {
    const db = createDb(url, 4);
    try {
      const read = (n: number) =>
        sqlRows<{ n: number; label: string }>(
          db,
          Prisma.sql`SELECT ${n}::int AS n, 'row ' || ${String(n)}::text AS label`,
        );
      for (let round = 0; round < 3; round += 1) {
        const rows = await Promise.all(Array.from({ length: 12 }, (_, i) => read(i)));
        expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 12 }, (_, i) => ({ n: i, label: `row ${i}` })));
      }
    } finally {
      await db.$disconnect();
    }
  });
});
