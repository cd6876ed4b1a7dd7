/**
 * Once per `npm test`: a Temporal dev server on a free port (in memory, our search attributes), a fresh
 * database on the PostgreSQL server (TEST_DATABASE_URL, else 127.0.0.1:5432) with migrations applied,
 * and the workflow bundle built once. Test files find them through the environment set here.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase, SCRATCH_ADMIN_URL } from '../../lib/scratch-database';
import { createLogger } from '../../lib/logger';
import { migrateDeploy } from '../../runtime/migrate';
import { freePort } from '../../runtime/ports';
import { startTemporalDevServer } from '../../runtime/temporal-server';
import { writeWorkflowBundle } from '../../workers/workflow-bundle';

import { ensureConsoleBuilt } from '../../scripts/build-console';

export const ADMIN_URL = SCRATCH_ADMIN_URL;

export default async function globalSetup(): Promise<void> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');
  const started = Date.now();

  const databaseName = `closedloop_test_${Date.now()}_${process.pid}`;
  const databaseUrl = await createScratchDatabase(databaseName, ADMIN_URL);

  const [server, migrated] = await Promise.allSettled([
    startTemporalDevServer({
      port: await freePort(),
      namespace: 'default',
      cliPath: process.env.TEMPORAL_CLI_PATH,
      log,
      // A first run on a bare machine builds the CLI for minutes: say so whatever the log level.
      say: (line) => process.stdout.write(`[setup] ${line}\n`),
    }),
    migrateDeploy(databaseUrl),
  ]);
  // Never leave a dev server running when the other half of the set-up failed.
  if (server.status === 'rejected' || migrated.status === 'rejected') {
    if (server.status === 'fulfilled') await server.value.stop();
    throw server.status === 'rejected' ? server.reason : (migrated as PromiseRejectedResult).reason;
  }
  const temporal = server.value;

  // The browser tests (test/console/) load dist/console/ through the API: build it when it is stale.
  ensureConsoleBuilt();

  const dir = mkdtempSync(path.join(os.tmpdir(), 'closedloop-test-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  await writeWorkflowBundle(bundlePath);

  process.env.CLOSEDLOOP_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.CLOSEDLOOP_TEST_DATABASE_URL = databaseUrl;
  process.env.CLOSEDLOOP_TEST_DATABASE_NAME = databaseName;
  process.env.CLOSEDLOOP_TEST_WORKFLOW_BUNDLE = bundlePath;
  (globalThis as Record<string, unknown>).__closedloopTemporal = temporal;
  process.stdout.write(
    `\n[setup] Temporal ${temporal.address}, database ${databaseName}, ready in ${Date.now() - started} ms\n`,
  );
}
