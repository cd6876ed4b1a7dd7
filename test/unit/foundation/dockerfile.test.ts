/**
 * The image's promises, read from the Dockerfile (no Docker engine here): a build stage that compiles,
 * a runtime stage with production dependencies only, compiled entry points run by plain node, a
 * non-root user and a health check that needs no curl. test/foundation/production-build.test.ts runs
 * the runtime stage's files.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { commandOf, copiesOf, healthcheckOf, parseDockerfile, type Stage } from '../../support/dockerfile';

const root = path.join(__dirname, '..', '..', '..');
const stages = parseDockerfile();
const runtime = stages[stages.length - 1]!;
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const last = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).pop();
const stageNamed = (name: string) => stages.find((s) => s.name === name);
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; healthcheck?: { disable?: boolean } }>;
};

describe('Dockerfile', () => {
  it('builds in its own stage: all dependencies installed, then npm run build', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stageNamed('build')!;
    const commands = runs(build).join(' && ');
    expect(commands).toMatch(/npm ci(?![^&]*--omit=dev)/);
    expect(commands.indexOf('npm run build')).toBeGreaterThan(commands.indexOf('npm ci'));
    // NODE_ENV=production before `npm ci` would skip the dev dependencies the build needs.
    expect(
      build.instructions
        .filter((i) => i.keyword === 'ENV')
        .map((i) => i.args)
        .join(' '),
    ).not.toMatch(/NODE_ENV/);
  });

  it('ships production dependencies only, taken from a stage that pruned the development ones', () => {
    const modules = copiesOf(runtime).filter((c) => c.sources.some((s) => /(^|\/)node_modules\/?$/.test(s)));
    const installsHere = runs(runtime).some((r) => /npm ci\b/.test(r));
    if (installsHere) {
      expect(runs(runtime).find((r) => /npm ci\b/.test(r))).toMatch(/--omit=dev/);
      expect(modules).toEqual([]);
    } else {
      expect(modules).toHaveLength(1);
      const from = stageNamed(modules[0]!.fromStage!)!;
      const commands = runs(from).join(' && ');
      // Pruned after the build: the build itself needs TypeScript and the webpack tooling.
      expect(commands.lastIndexOf('npm prune --omit=dev')).toBeGreaterThan(commands.indexOf('npm run build'));
    }
    expect(runtime.instructions.map((i) => i.args).join('\n')).not.toMatch(/\btsx\b/);
  });

  it('runs the compiled API with node, in production mode, as a non-root user', () => {
    expect(runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args)).toContainEqual(
      expect.stringMatching(/^NODE_ENV[= ]production$/),
    );
    const user = last(runtime, 'USER')?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // USER comes after every RUN, so nothing later runs as root and the process starts as the user.
    const index = (i: { keyword: string }) => runtime.instructions.indexOf(i as never);
    expect(index(last(runtime, 'USER')!)).toBeGreaterThan(
      Math.max(...runtime.instructions.filter((i) => i.keyword === 'RUN').map(index)),
    );
    expect(commandOf(last(runtime, 'CMD')!.args)).toEqual(['node', 'dist/api/main.js']);
  });

  it('gives the user its DATA_DIR (.data in /app) and nothing else to write', () => {
    const user = last(runtime, 'USER')!.args.split(':')[0]!;
    expect(last(runtime, 'WORKDIR')?.args).toBe('/app');
    expect(runs(runtime).join(' && ')).toMatch(
      new RegExp(`mkdir (-p )?(/app/)?\\.data && chown ${user}(:${user})? (/app/)?\\.data`),
    );
    expect(copiesOf(runtime).filter((c) => c.chown)).toEqual([]);
  });

  it('checks the API health with node, not curl (slim images have none)', () => {
    const check = healthcheckOf(runtime)!;
    expect(check[0]).toBe('node');
    expect(check.join(' ')).toContain('/healthz');
    expect(check.join(' ')).toContain('API_PORT');
  });

  it('is started by docker-compose.yml with the compiled entry points the build emits', () => {
    expect(compose.services.api!.command).toEqual(commandOf(last(runtime, 'CMD')!.args));
    expect(compose.services.worker!.command).toEqual(['node', 'dist/workers/main.js']);
    // The worker serves no HTTP: the image's /healthz check would mark it unhealthy.
    expect(compose.services.worker!.healthcheck).toEqual({ disable: true });
    for (const service of ['api', 'worker']) {
      const entry = compose.services[service]!.command![1]!;
      expect(existsSync(path.join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });
});
