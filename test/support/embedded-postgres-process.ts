/**
 * Runs the embedded database (runtime/embedded-postgres.ts) in a process of its own, for tests: PGlite
 * loads its WASM with a dynamic import that jest's module sandbox refuses. Usage: tsx this DATA_DIR PORT;
 * prints `ready <url>` once it listens, stops on SIGTERM.
 */
import { createLogger } from '../../lib/logger';
import { startEmbeddedPostgres } from '../../runtime/embedded-postgres';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir || !port) throw new Error('usage: embedded-postgres-process.ts DATA_DIR PORT');
  const pg = await startEmbeddedPostgres(dataDir, Number(port), createLogger('silent'));
  process.stdout.write(`ready ${pg.url}\n`);
  process.once('SIGTERM', () => void pg.stop().then(() => process.exit(0)));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
