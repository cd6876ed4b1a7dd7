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

/** Applies prisma/migrations with `prisma migrate deploy`: the same command in start-up, tests and CI. */
export async function migrateDeploy(databaseUrl: string): Promise<void> {
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
  const text = output.join('');
  // Guard against Prisma's silent false success (seen with 7.x offline): deploy must say what it did.
  if (code !== 0 || !/migrations? (have been successfully applied|found in prisma\/migrations|are already applied)|No pending migrations/i.test(text)) {
    throw new Error(`prisma migrate deploy failed (exit ${code}):\n${text.trim()}`);
  }
}
