/**
 * Secrets on the machine that runs closedloop: DATA_DIR is the owner's alone, the CRM secret file is
 * mode 600 on every start, and scripts/post-event.sh signs without putting the secret on a command line
 * (which every local user can read with ps).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkSignature } from '../../../api/auth/signature';
import {
  CRM_SECRET_FILE,
  ensurePrivateDataDir,
  localCrmWebhookSecret,
  writeFirstAdminKeyFile,
} from '../../../runtime/local-secrets';

const modeOf = (file: string) => statSync(file).mode & 0o777;
const scratch = () => mkdtempSync(path.join(tmpdir(), 'closedloop-secrets-'));

describe('DATA_DIR and the files in it', () => {
  it('creates DATA_DIR for the owner only, and takes back one that exists open to others', () => {
    const fresh = path.join(scratch(), 'data');
    ensurePrivateDataDir(fresh);
    expect(modeOf(fresh)).toBe(0o700);

    const open = path.join(scratch(), 'data');
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    ensurePrivateDataDir(open);
    expect(modeOf(open)).toBe(0o700);
  });

  it('keeps the CRM secret file at mode 600 on every start, not only when it creates it', () => {
    const dir = scratch();
    const made = localCrmWebhookSecret(dir);
    expect(modeOf(made.file)).toBe(0o600);

    chmodSync(made.file, 0o644); // e.g. restored from a backup
    const again = localCrmWebhookSecret(dir);
    expect(again.secret).toBe(made.secret);
    expect(modeOf(path.join(dir, CRM_SECRET_FILE))).toBe(0o600);
  });

  it('writes the first admin key to a file only the owner reads', () => {
    const file = writeFirstAdminKeyFile(scratch(), 'cl_test_key');
    expect(readFileSync(file, 'utf8').trim()).toBe('cl_test_key');
    expect(modeOf(file)).toBe(0o600);
  });
});

describe('scripts/post-event.sh', () => {
  const withoutSecret = ({ CRM_WEBHOOK_SECRET: _unused, ...rest }: NodeJS.ProcessEnv) => rest;

  /** Runs the script with every openssl, node and curl call logged (the real programs still run). */
  async function postEvent(
    env: Record<string, string>,
  ): Promise<{ argv: string; request: { headers: Record<string, string>; body: string } }> {
    const dir = scratch();
    const argvLog = path.join(dir, 'argv.log');
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    for (const program of ['openssl', 'node', 'curl']) {
      const real = await new Promise<string>((resolve) =>
        execFile('bash', ['-c', `command -v ${program} || true`], (_e, out) => resolve(out.trim())),
      );
      const wrapper = path.join(bin, program);
      writeFileSync(
        wrapper,
        `#!/usr/bin/env bash\nprintf '%s\\n' "${program} $*" >> ${JSON.stringify(argvLog)}\nexec ${JSON.stringify(real || `/nonexistent/${program}`)} "$@"\n`,
      );
      chmodSync(wrapper, 0o755);
    }
    writeFileSync(argvLog, '');
    let request: { headers: Record<string, string>; body: string } | undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        request = { headers: req.headers as Record<string, string>, body };
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await new Promise<void>((resolve, reject) =>
        execFile(
          'bash',
          ['scripts/post-event.sh', 'examples/closed-won.json', `http://127.0.0.1:${port}`],
          {
            cwd: path.resolve(__dirname, '../../..'),
            env: { ...withoutSecret(process.env), ...env, PATH: `${bin}:${process.env.PATH}` },
          },
          (error, _out, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve()),
        ),
      );
    } finally {
      server.close();
    }
    return { argv: readFileSync(argvLog, 'utf8'), request: request! };
  }

  const expectSigned = (request: { headers: Record<string, string>; body: string }, secret: string) =>
    expect(
      checkSignature(
        secret,
        { timestamp: request.headers['x-closedloop-timestamp'], signature: request.headers['x-closedloop-signature'] },
        request.body,
      ),
    ).toBeUndefined();

  it('signs with the secret from the environment without putting it on a command line', async () => {
    const secret = 'env-secret-0123456789abcdef';
    const { argv, request } = await postEvent({ CRM_WEBHOOK_SECRET: secret });
    expectSigned(request, secret);
    expect(argv).not.toContain(secret);
  });

  it('signs with the secret from DATA_DIR without putting it on a command line', async () => {
    const dataDir = scratch();
    const { secret } = localCrmWebhookSecret(dataDir);
    const env: Record<string, string> = { DATA_DIR: dataDir };
    const { argv, request } = await postEvent(env);
    expectSigned(request, secret);
    expect(argv).not.toContain(secret);
  });
});
