/**
 * The production build, run the way the Docker image runs it (no Docker engine here): `npm run build`'s
 * script into a fresh folder, then a folder holding exactly what the Dockerfile's runtime stage copies,
 * started with plain `node dist/...`, NODE_ENV=production, as an unprivileged user when the test runs as
 * root, with a require hook that refuses development-only packages (test/support/production-require-guard.js)
 * and webpack. The compiled API migrates a fresh database, the compiled worker loads the prebuilt workflow
 * bundle, and one signed closed-won event runs to `shipped` on the test Temporal server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createDb, type Db } from '../../lib/db';
import { orderIdForDeal } from '../../domain/closed-won';
import { createApiKey } from '../../api/auth/api-keys';
import { sign } from '../../api/auth/signature';
import { freePort } from '../../runtime/ports';
import { startMailCapture, type MailCapture } from '../../runtime/mail-capture';
import { ADMIN_URL } from '../support/global-setup';
import { createScratchDatabase, dropScratchDatabase } from '../../lib/scratch-database';
import { env, TEST_CRM_SECRET } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { copiesOf, healthcheckOf, parseDockerfile } from '../support/dockerfile';

const root = path.join(__dirname, '..', '..');
const GUARD = path.join(__dirname, '..', 'support', 'production-require-guard.js');
/** The image runs as `node`; as root here, the processes run as `nobody`, which owns nothing in the app. */
const RUN_AS = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

let base: string;
let app: string;
let dist: string;
let databaseUrl: string;
let databaseName: string;
let apiPort: number;
let mail: MailCapture;
let db: Db | undefined;
const started: Started[] = [];

/** Runs a command to its end; resolves with its exit code and everything it printed. */
function run(
  command: string,
  args: string[],
  options: Parameters<typeof spawn>[2] = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    child.stdout!.on('data', (c: Buffer) => chunks.push(c.toString()));
    child.stderr!.on('data', (c: Buffer) => chunks.push(c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output: chunks.join('') }));
  });
}

/** The files of the Dockerfile's runtime stage, from the build stage (our build output, the repository). */
function assembleRuntimeStage(target: string, builtDist: string): void {
  const stages = parseDockerfile();
  const runtime = stages[stages.length - 1]!;
  const workdirOf = (name?: string) =>
    stages
      .find((s) => s.name === name)
      ?.instructions.filter((i) => i.keyword === 'WORKDIR')
      .pop()?.args ?? '/';
  const runtimeWorkdir = workdirOf(runtime.name);
  for (const copy of copiesOf(runtime)) {
    const sourceWorkdir = copy.fromStage ? workdirOf(copy.fromStage) : '/';
    const destination = path.posix.isAbsolute(copy.destination)
      ? path.posix.relative(runtimeWorkdir, copy.destination)
      : copy.destination;
    for (const source of copy.sources) {
      const relative = path.posix.relative(sourceWorkdir, path.posix.resolve(sourceWorkdir, source));
      const into =
        copy.destination.endsWith('/') || copy.sources.length > 1
          ? path.join(target, destination, path.posix.basename(relative))
          : path.join(target, destination);
      mkdirSync(path.dirname(into), { recursive: true });
      if (relative === 'node_modules') {
        // Too big to copy: the repository's, with the guard refusing what the pruned copy lacks; or a
        // real `npm ci --omit=dev` made by hand (CLOSEDLOOP_PRODUCTION_NODE_MODULES) to check the guard.
        symlinkSync(process.env.CLOSEDLOOP_PRODUCTION_NODE_MODULES ?? path.join(root, 'node_modules'), into);
      } else {
        const from =
          relative === 'dist' || relative.startsWith('dist/')
            ? path.join(builtDist, relative.slice('dist'.length))
            : path.join(root, relative);
        if (!existsSync(from))
          throw new Error(`Dockerfile copies ${source}, which the build does not produce (${from})`);
        cpSync(from, into, { recursive: true });
      }
    }
  }
  // RUN mkdir .data && chown node:node .data (checked by test/unit/foundation/dockerfile.test.ts).
  mkdirSync(path.join(target, '.data'));
  if (RUN_AS) chownSync(path.join(target, '.data'), RUN_AS.uid, RUN_AS.gid);
}

function processEnv(taskQueue: string): NodeJS.ProcessEnv {
  const home = path.join(base, 'home');
  return {
    PATH: process.env.PATH,
    HOME: home,
    NODE_ENV: 'production',
    NODE_OPTIONS: `--require ${GUARD}`,
    TEMPORAL_ADDRESS: env('CLOSEDLOOP_TEST_TEMPORAL_ADDRESS'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: databaseUrl,
    SMTP_URL: mail.url,
    CRM_WEBHOOK_SECRET: TEST_CRM_SECRET,
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    LOG_LEVEL: 'info',
  };
}

/** `node dist/<entry>` in the app folder; resolves once it prints that it runs (rejects if it exits first). */
async function startCompiled(entry: string, taskQueue: string): Promise<Started> {
  const child = spawn(process.execPath, [entry], {
    cwd: app,
    env: processEnv(taskQueue),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...RUN_AS,
  });
  const chunks: string[] = [];
  const output = () => chunks.join('');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = { child, output, exited };
  started.push(running);
  await new Promise<void>((resolve, reject) => {
    const onData = (c: Buffer) => {
      chunks.push(c.toString());
      if (output().includes('closedloop is running')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`node ${entry} exited (${code}) before it was running:\n${output()}`)));
    setTimeout(() => reject(new Error(`node ${entry} was not running after 3 minutes:\n${output()}`)), 180_000).unref();
  });
  return running;
}

/** The Dockerfile's HEALTHCHECK command, run as the app's user with the app's environment. */
function healthcheck(taskQueue: string) {
  const [command, ...args] = healthcheckOf(parseDockerfile().pop()!)!;
  return run(command === 'node' ? process.execPath : command!, args, {
    cwd: app,
    env: processEnv(taskQueue),
    ...RUN_AS,
  });
}

async function api(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string) {
  const res = await fetch(`http://127.0.0.1:${apiPort}${url}`, { method, headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), 'closedloop-build-'));
  chmodSync(base, 0o755);
  mkdirSync(path.join(base, 'home'));
  if (RUN_AS) chownSync(path.join(base, 'home'), RUN_AS.uid, RUN_AS.gid);
  dist = path.join(base, 'build', 'dist');
  app = path.join(base, 'app');

  // `npm run build` is `node scripts/build.js`; the folder argument leaves the repository's dist/ alone.
  // The output sits beside node_modules, as /app/dist does in the build stage (the bundler resolves from it).
  mkdirSync(path.dirname(dist));
  symlinkSync(path.join(root, 'node_modules'), path.join(path.dirname(dist), 'node_modules'));
  const build = await run(process.execPath, [path.join(root, 'scripts', 'build.js'), dist], { cwd: root });
  if (build.code !== 0) throw new Error(`build failed (exit ${build.code}):\n${build.output}`);
  assembleRuntimeStage(app, dist);

  databaseName = `closedloop_build_${Date.now()}_${process.pid}`;
  databaseUrl = await createScratchDatabase(databaseName, ADMIN_URL);
  apiPort = await freePort();
  mail = await startMailCapture(0);
}, 900_000);

afterAll(async () => {
  for (const { child, exited } of started) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  await db?.$disconnect();
  await mail?.stop();
  if (databaseName) {
    await dropScratchDatabase(databaseName, ADMIN_URL);
  }
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('the production build', () => {
  it('ships the prebuilt workflow bundle, and every recorded history replays on it', async () => {
    const bundle = path.join(app, 'dist', 'workflow-bundle.js');
    expect(readFileSync(bundle, 'utf8')).toContain('orderFulfillment');
    try {
      Runtime.install({
        logger: new DefaultLogger('WARN'),
        telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
      });
    } catch {
      // already installed in this process
    }
    const dir = path.join(root, 'test', 'replay', 'histories');
    const histories = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({
        workflowId: f.replace(/\.json$/, '').split('__')[1]!,
        history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))),
      }));
    expect(histories.length).toBeGreaterThan(0);
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundle } }, histories)) {
      expect({ workflowId: result.workflowId, error: result.error }).toEqual({
        workflowId: result.workflowId,
        error: undefined,
      });
      replayed += 1;
    }
    expect(replayed).toBe(histories.length);
  });

  it('runs an order to shipped with the compiled API and worker, non-root, on production dependencies only', async () => {
    const taskQueue = `build-${randomUUID()}`;
    // The API first: it applies every migration to the empty database (files the image must carry).
    const apiProcess = await startCompiled('dist/api/main.js', taskQueue);
    const healthy = await healthcheck(taskQueue);
    expect({ code: healthy.code, output: healthy.output }).toEqual({ code: 0, output: '' });
    // The console ships built in dist/console/, and the compiled API serves it (a deep link is the app).
    const consolePage = await fetch(`http://127.0.0.1:${apiPort}/console/orders`);
    expect(consolePage.status).toBe(200);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(await consolePage.text())?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${apiPort}${script}`)).status).toBe(200);

    const worker = await startCompiled('dist/workers/main.js', taskQueue);
    const bundleLine = worker
      .output()
      .split('\n')
      .find((l) => l.includes('worker loads prebuilt workflow code'));
    expect(bundleLine && JSON.parse(bundleLine).workflowBundle).toBe(path.join(app, 'dist', 'workflow-bundle.js'));

    db = createDb(databaseUrl, 2);
    const fixture = await createFixture(db);
    const { key } = await createApiKey(db, 'production build test', 'admin');
    const event = fixture.event();
    const raw = JSON.stringify(event);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const accepted = await api(
      'POST',
      '/v1/events/closed-won',
      {
        'content-type': 'application/json',
        'x-closedloop-timestamp': timestamp,
        'x-closedloop-signature': sign(TEST_CRM_SECRET, timestamp, raw),
      },
      raw,
    );
    expect(accepted.status).toBe(202);

    const orderId = orderIdForDeal(event.dealId);
    const deadline = Date.now() + 180_000;
    let order: Record<string, unknown> | undefined;
    while (Date.now() < deadline) {
      const res = await api('GET', `/v1/orders/${orderId}`, { authorization: `Bearer ${key}` });
      order = res.body;
      if (res.status === 200 && order.status === 'shipped') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(order).toMatchObject({
      orderId,
      status: 'shipped',
      shipments: [expect.objectContaining({ status: 'shipped' })],
    });

    // docker stop sends SIGTERM: both stop cleanly, and then the health check fails.
    apiProcess.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await apiProcess.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    expect((await healthcheck(taskQueue)).code).not.toBe(0);
    // Nothing even tried a development-only package (an optional probe would pass in the image, but unseen).
    for (const { output } of [apiProcess, worker]) expect(output()).not.toContain('production-require-guard');
  });
});
