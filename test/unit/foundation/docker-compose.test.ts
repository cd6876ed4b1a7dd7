/**
 * docker-compose.yml, read as docker compose reads it (no Docker engine here): `${VAR:?...}` values
 * interpolated from an .env made from docker/env.example, YAML merge keys resolved. Checks what issue 14's
 * deployment review asked for: only the API published on every interface; Temporal, its UI and Mailpit on
 * 127.0.0.1; the app and Temporal on their own non-superuser PostgreSQL roles (docker/postgres-init.sql);
 * no secret written in the file; payload encryption on; the seller configured; the app not running as root.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { REQUIRED_EXTERNAL_VARIABLES, SELLER_VARIABLES, loadConfig } from '../../../lib/config';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  user?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
}

const root = path.join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const composeText = read('docker-compose.yml');
const raw = parse(composeText, { merge: true }) as { services: Record<string, Service> };

/** docker/env.example's variables, and values an operator would put in .env for them. */
const exampleVariables = read('docker/env.example')
  .split('\n')
  .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);
const dotEnv: Record<string, string> = {
  POSTGRES_PASSWORD: 'pg-superuser-password-1',
  APP_DB_PASSWORD: 'app-password-2',
  TEMPORAL_DB_PASSWORD: 'temporal-password-3',
  CRM_WEBHOOK_SECRET: 'crm-webhook-secret-0123456789',
  PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  SELLER_LEGAL_NAME: 'Example Industrial Supply, LLC',
  SELLER_ADDRESS: '1 Main Street|Springfield, OH 45501|United States',
  SELLER_TAX_ID: 'EIN 98-7654321',
  SELLER_EMAIL: 'billing@example.com',
  SELLER_REMIT_ADDRESS: '',
  SELLER_BANK_NAME: 'Example Bank',
  SELLER_BANK_ACCOUNT: 'Account 1234',
  SELLER_BANK_ROUTING: 'ABA 011000015',
};

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error} (an unset or empty VAR fails). */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g, (_all, name: string, op?: string, arg?: string) => {
    const got = env[name];
    if (got !== undefined && got !== '') return got;
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return op === '-' ? arg! : '';
  });
}
const interpolated = (env: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(raw.services).map(([name, s]) => [
      name,
      {
        ...s,
        environment:
          s.environment &&
          Object.fromEntries(Object.entries(s.environment).map(([k, v]) => [k, interpolate(String(v), env)])),
      },
    ]),
  ) as Record<string, Service>;
const services = interpolated(dotEnv);

/** Which host address a published port binds: "3000:3000" binds every interface. */
const hostAddress = (spec: string) => {
  const parts = spec.split(':');
  return parts.length === 3 ? parts[0] : '0.0.0.0';
};

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

  it("runs the build's compiled roles: entry points with sources, emitted by npm run build", () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toBeDefined();
    for (const name of ['api', 'worker']) {
      const [node, entry] = services[name]!.command!;
      expect(node).toBe('node');
      expect(existsSync(path.join(root, entry!.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });
});

describe('docker-compose.yml: what is reachable from outside', () => {
  it('publishes only the API on every interface', () => {
    const published = Object.entries(services).flatMap(([name, s]) =>
      (s.ports ?? []).map((spec) => ({ name, spec, host: hostAddress(spec) })),
    );
    expect(published.filter((p) => p.host !== '127.0.0.1')).toEqual([
      { name: 'api', spec: '3000:3000', host: '0.0.0.0' },
    ]);
  });

  it.each([
    ['temporal', '7233'],
    ['temporal-ui', '8233'],
    ['mailpit', '8025'],
  ])('binds %s to 127.0.0.1:%s only', (name, port) => {
    expect(services[name]!.ports).toEqual([expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port}:\\d+$`))]);
  });

  it('does not publish PostgreSQL at all', () => {
    expect(services.postgres!.ports).toBeUndefined();
  });

  it('lets the published Web UI call the codec: CODEC_CORS_ORIGIN is its loopback address', () => {
    const uiPort = services['temporal-ui']!.ports![0]!.split(':')[1];
    for (const name of ['api', 'worker'])
      expect(services[name]!.environment!.CODEC_CORS_ORIGIN).toBe(`http://127.0.0.1:${uiPort}`);
  });
});

describe('docker-compose.yml: PostgreSQL roles', () => {
  const pg = () => services.postgres!.environment!;
  const appUrl = () => new URL(services.api!.environment!.DATABASE_URL!);
  const initSql = read('docker/postgres-init.sql');

  it('gives the app and Temporal their own roles, neither of them the superuser', () => {
    const superuser = pg().POSTGRES_USER;
    expect(superuser).toBe('postgres');
    const appRole = appUrl().username;
    const temporalRole = services.temporal!.environment!.POSTGRES_USER!;
    expect(new Set([superuser, appRole, temporalRole]).size).toBe(3);
    expect(services.worker!.environment!.DATABASE_URL).toBe(services.api!.environment!.DATABASE_URL);
    // The passwords the roles log in with are the ones the init script gives them.
    expect(decodeURIComponent(appUrl().password)).toBe(pg().APP_DB_PASSWORD);
    expect(services.temporal!.environment!.POSTGRES_PWD).toBe(pg().TEMPORAL_DB_PASSWORD);
    expect(pg().POSTGRES_PASSWORD).not.toBe(pg().APP_DB_PASSWORD);
  });

  it('creates the roles without superuser, CREATEDB or CREATEROLE, in the init script the postgres service runs', () => {
    expect(services.postgres!.volumes).toContain(
      './docker/postgres-init.sql:/docker-entrypoint-initdb.d/10-roles.sql:ro',
    );
    for (const role of [appUrl().username, services.temporal!.environment!.POSTGRES_USER!]) {
      const create = new RegExp(`^CREATE ROLE ${role} (.*);$`, 'm').exec(initSql)?.[1];
      expect([role, create]).toEqual([role, expect.stringContaining('LOGIN')]);
      for (const attribute of ['NOSUPERUSER', 'NOCREATEDB', 'NOCREATEROLE', 'NOREPLICATION', 'NOBYPASSRLS'])
        expect([role, create]).toEqual([role, expect.stringContaining(attribute)]);
    }
    const statements = initSql
      .split('\n')
      .filter((line) => !line.startsWith('--'))
      .join('\n');
    expect(statements).not.toMatch(/\b(SUPERUSER|CREATEDB|CREATEROLE)\b/); // NOSUPERUSER... only
    expect(statements).not.toMatch(/\bGRANT\b/i); // no privileges nor role memberships (pg_write_all_data...)
  });

  it('makes each role own its databases only, and closes every database to PUBLIC', () => {
    const owners = Object.fromEntries(
      [...initSql.matchAll(/^CREATE DATABASE (\w+) OWNER (\w+);$/gm)].map((m) => [m[1], m[2]]),
    );
    const temporal = services.temporal!.environment!;
    expect(owners).toEqual({
      [appUrl().pathname.slice(1)]: appUrl().username,
      [temporal.DBNAME!]: temporal.POSTGRES_USER,
      [temporal.VISIBILITY_DBNAME!]: temporal.POSTGRES_USER,
    });
    for (const database of [...Object.keys(owners), 'postgres'])
      expect(initSql).toContain(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC;`);
    // Temporal's set-up must not try to create databases: its role may not.
    expect(temporal.SKIP_DB_CREATE).toBe('true');
  });

  it("takes the roles' passwords from the environment, not from the script", () => {
    const fromEnv: Record<string, string> = Object.fromEntries(
      [...initSql.matchAll(/^\\getenv (\w+) (\w+)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect(fromEnv).toEqual({ app_password: 'APP_DB_PASSWORD', temporal_password: 'TEMPORAL_DB_PASSWORD' });
    expect([...initSql.matchAll(/PASSWORD (\S+?);/g)].map((m) => m[1])).toEqual([
      ":'app_password'",
      ":'temporal_password'",
    ]);
    for (const variable of Object.values(fromEnv))
      expect(raw.services.postgres!.environment![variable]).toBe(`\${${variable}:?set ${variable} in .env}`);
  });
});

describe('docker-compose.yml: secrets, encryption, seller, user', () => {
  const SECRET = /(PASSWORD|PWD|SECRET|TOKEN|_KEYS?)$/;

  it('writes no secret into the file: each comes from .env, and compose refuses to start without it', () => {
    const secrets = Object.values(raw.services).flatMap((s) =>
      Object.entries(s.environment ?? {}).filter(([k]) => SECRET.test(k)),
    );
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    for (const [name, value] of secrets)
      expect([name, value]).toEqual([name, expect.stringMatching(/^\$\{[A-Z_]+:\?[^}]+\}$/)]);
    // The database URL's password too.
    expect(raw.services.api!.environment!.DATABASE_URL).toMatch(
      /^postgresql:\/\/closedloop_app:\$\{APP_DB_PASSWORD:\?[^}]+\}@postgres:5432\/closedloop$/,
    );
    expect(() => interpolated({ ...dotEnv, PAYLOAD_KEYS: '' })).toThrow('PAYLOAD_KEYS: set PAYLOAD_KEYS in .env');
  });

  it('documents every variable it interpolates in docker/env.example, with no value filled in', () => {
    const used = [...new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!))].sort();
    expect([...exampleVariables].sort()).toEqual(used);
    expect(read('docker/env.example')).not.toMatch(/^[A-Z_]+=\S/m);
    expect(Object.keys(dotEnv).sort()).toEqual(used);
    expect(read('.gitignore').split('\n')).toContain('.env');
  });

  it('turns payload encryption on for the API and the worker with the same keys', () => {
    for (const name of ['api', 'worker']) {
      const config = loadConfig(services[name]!.environment!, { requireExternalServices: true });
      expect(config.PAYLOAD_KEYS!.map((k) => k.id)).toEqual(['k1']);
    }
    expect(services.worker!.environment!.PAYLOAD_KEYS).toBe(services.api!.environment!.PAYLOAD_KEYS);
  });

  it('configures the seller printed on documents (every SELLER_* variable), for the API and the worker', () => {
    expect(SELLER_VARIABLES.length).toBeGreaterThanOrEqual(8);
    for (const name of ['api', 'worker']) {
      const env = services[name]!.environment!;
      for (const variable of SELLER_VARIABLES)
        expect([name, variable, env[variable]]).toEqual([name, variable, expect.any(String)]);
      expect(loadConfig(env).SELLER_LEGAL_NAME).toBe(dotEnv.SELLER_LEGAL_NAME);
    }
  });

  it("runs the app as the image's non-root user: no service overrides it, and the Dockerfile ends as node", () => {
    for (const name of ['api', 'worker']) expect([name, services[name]!.user]).toEqual([name, undefined]);
    const users = read('Dockerfile')
      .split('\n')
      .filter((line) => /^USER\s/.test(line))
      .map((line) => line.split(/\s+/)[1]);
    expect(users.at(-1)).toBe('node');
  });
});
