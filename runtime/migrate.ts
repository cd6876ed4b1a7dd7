import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder with package.json, prisma.config.ts and prisma/migrations: runtime/.. from the sources,
 * dist/runtime/../.. from a build (dist/ holds no package.json).
 */
function projectRoot(): string {
  for (let dir = path.join(__dirname, '..'); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json in any folder above ${__dirname}`);
  }
}

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
    if (
      code === 0 &&
      /migrations? (have been successfully applied|found in prisma\/migrations|are already applied)|No pending migrations/i.test(
        text,
      )
    )
      return;
    if (isLockTimeout(text) && Date.now() < deadline) continue;
    throw new Error(`prisma migrate deploy failed (exit ${code}):\n${text.trim()}`);
  }
}

export const isLockTimeout = (output: string): boolean => /P1002/.test(output) && /advisory lock/i.test(output);

async function runDeploy(databaseUrl: string): Promise<{ code: number | null; text: string }> {
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const root = projectRoot();
    // cwd: the Prisma CLI reads prisma.config.ts (and through it the migrations) from there.
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'prisma.js'), 'migrate', 'deploy'], {
      cwd: root,
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
