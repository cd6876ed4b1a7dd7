import { spawn } from 'node:child_process';
import path from 'node:path';

const PRISMA_RUNNER = path.join(__dirname, '..', 'scripts', 'prisma.js');

/** Applies prisma/migrations with `prisma migrate deploy`: the same command in start-up, tests and CI. */
export async function migrateDeploy(databaseUrl: string): Promise<void> {
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
  const text = output.join('');
  // Guard against Prisma's silent false success (seen with 7.x offline): deploy must say what it did.
  if (code !== 0 || !/migrations? (have been successfully applied|found in prisma\/migrations|are already applied)|No pending migrations/i.test(text)) {
    throw new Error(`prisma migrate deploy failed (exit ${code}):\n${text.trim()}`);
  }
}
