/**
 * The real worker entry point (workers/main.ts) in its own process, on the harness's Temporal server,
 * database, task queue and SMTP capture: for tests that kill a worker mid-step with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { env, TEST_CRM_SECRET, type Harness } from './harness';

/** `faultLatencyMs`: added to every built-in adapter call, so the process is caught inside a step. */
export function spawnWorkerProcess(h: Harness, faultLatencyMs: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'workers', 'main.ts')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env('CLOSEDLOOP_TEST_TEMPORAL_ADDRESS'),
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      DATABASE_URL: env('CLOSEDLOOP_TEST_DATABASE_URL'),
      SMTP_URL: h.mail.url,
      CRM_WEBHOOK_SECRET: TEST_CRM_SECRET,
      FAULT_LATENCY_MS: String(faultLatencyMs),
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cl-worker-')),
    },
    stdio: 'ignore',
  });
}

/** SIGKILL, as a crash or an OOM kill would: no shutdown, activities in flight are abandoned. */
export async function killProcess(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

/** Polls `check` every 200 ms until it holds. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
