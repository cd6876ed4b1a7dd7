import { spawn } from 'node:child_process';
import path from 'node:path';

const PRISMA_RUNNER = path.join(__dirname, '..', 'scripts', 'prisma.js');

/** How long to keep trying while another process holds Prisma's migration lock. */
const LOCK_WAIT_MS = 5 * 60_000;

/**
 * Applies prisma/migrations with `prisma migrate deploy`: the same command in start-up, tests and CI.
 * Every API and worker process migrates at start; when several start together, all but one wait on
 * Prisma's advisory lock, and Prisma gives up after 10 s (P1002). A busy lock means another process is
 * migrating: try again until it is done, instead of failing the start-up.
 */
export async function migrateDeploy(databaseUrl: string, options: { lockWaitMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.lockWaitMs ?? LOCK_WAIT_MS);
  for (;;) {
    const { code, text } = await runDeploy(databaseUrl);
    // Guard against Prisma's silent false success (seen with 7.x offline): deploy must say what it did.
    if (code === 0 && /migrations? (have been successfully applied|found in prisma\/migrations|are already applied)|No pending migrations/i.test(text)) return;
    if (isLockTimeout(text) && Date.now() < deadline) continue;
    throw new Error(`prisma migrate deploy failed (exit ${code}):\n${text.trim()}`);
  }
}

export const isLockTimeout = (output: string): boolean => /P1002/.test(output) && /advisory lock/i.test(output);

async function runDeploy(databaseUrl: string): Promise<{ code: number | null; text: string }> {
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_RUNNER, 'migrate', 'deploy'], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  return { code, text: output.join('') };
}
