import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REQUIRED_EXTERNAL_VARIABLES, loadConfig } from '../../../lib/config';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
}

const compose = parse(readFileSync(path.join(__dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has every service the app needs', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'mailpit', 'postgres', 'temporal', 'temporal-ui', 'worker']);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it.each(['api', 'worker'])('gives %s every variable the config module requires, with valid values', (name) => {
    const service = services[name]!;
    expect(service.build).toBeDefined();
    const env = service.environment!;
    for (const variable of REQUIRED_EXTERNAL_VARIABLES) expect(env[variable]).toBeDefined();
    // The same parser the process runs at start-up accepts the file's environment.
    expect(() => loadConfig(env, { requireExternalServices: true })).not.toThrow();
  });

  it('points the app at the compose services, not at embedded defaults', () => {
    for (const name of ['api', 'worker']) {
      const env = services[name]!.environment!;
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(new URL(env.DATABASE_URL!).hostname).toBe('postgres');
      expect(new URL(env.SMTP_URL!).hostname).toBe('mailpit');
    }
    expect(services.api!.command).toEqual(['node', 'dist/api/main.js']);
    expect(services.worker!.command).toEqual(['node', 'dist/workers/main.js']);
  });

  it('runs the build\'s compiled roles: entry points with sources, emitted by npm run build', () => {
    const root = path.join(__dirname, '..', '..', '..');
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toBeDefined();
    for (const name of ['api', 'worker']) {
      const [node, entry] = services[name]!.command!;
      expect(node).toBe('node');
      expect(existsSync(path.join(root, entry!.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });
});
