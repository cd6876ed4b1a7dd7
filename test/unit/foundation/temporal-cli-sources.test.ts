/**
 * The two ways runtime/temporal-cli makes a CLI: the SDK's download (against a local HTTP server that
 * speaks temporal.download's protocol, and against unreachable hosts) and `go install` (with a fake `go`
 * that records what it was asked). No internet, no real Go build.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { goBuild } from '../../../runtime/temporal-cli/go-build';
import { DownloadUnavailableError, sdkDownload } from '../../../runtime/temporal-cli/sdk-download';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'closedloop-cli-sources-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A tar.gz holding an executable `temporal` that prints a version, as temporal.download serves it. */
function cliArchive(): Buffer {
  const dir = path.join(root, 'archive-src');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'temporal'), '#!/bin/sh\necho "temporal version 1.4.1 (from the archive)"\n', {
    mode: 0o755,
  });
  writeFileSync(path.join(dir, 'LICENSE'), 'MIT');
  const archive = path.join(root, 'cli.tgz');
  execFileSync('tar', ['-czf', archive, '-C', dir, 'temporal', 'LICENSE']);
  return readFileSync(archive);
}

/** A local stand-in for temporal.download; `handle` decides each answer. */
async function downloadServer(
  handle: (req: http.IncomingMessage, res: http.ServerResponse, base: string) => void,
): Promise<{ base: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let base = '';
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handle(req, res, base);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function failureOf(work: Promise<unknown>): Promise<Error> {
  const outcome = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof Error)) throw new Error('expected a failure');
  return outcome;
}

describe('the SDK download', () => {
  it('asks which archive suits this SDK and platform, then extracts the binary to the destination', async () => {
    const archive = cliArchive();
    const server = await downloadServer((req, res, base) => {
      if (req.url?.startsWith('/cli/default')) {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            archiveUrl: `${base}/archives/temporal_cli_1.4.1_linux_amd64.tar.gz`,
            fileToExtract: 'temporal',
          }),
        );
      } else {
        res.setHeader('content-length', String(archive.length));
        res.end(archive);
      }
    });
    try {
      const dest = path.join(root, 'work', 'temporal');
      mkdirSync(path.dirname(dest));

      await sdkDownload({ sdkVersion: '1.24.0', baseUrl: server.base })(dest);

      expect(execFileSync(dest, ['--version'], { encoding: 'utf8' })).toContain('from the archive');
      const lookup = new URL(server.requests[0]!, server.base);
      expect(lookup.pathname).toBe('/cli/default');
      expect(Object.fromEntries(lookup.searchParams)).toMatchObject({
        format: 'tar.gz',
        'sdk-name': 'sdk-typescript',
        'sdk-version': '1.24.0',
      });
      expect(existsSync(path.join(root, 'work', 'LICENSE'))).toBe(false); // only the binary is extracted
    } finally {
      await server.close();
    }
  });

  it('gives up within lookupTimeoutMs when the host does not resolve', async () => {
    const download = sdkDownload({ sdkVersion: '1.24.0', baseUrl: 'https://temporal.invalid', lookupTimeoutMs: 5_000 });
    const error = await failureOf(download(path.join(root, 'temporal')));

    expect(error).toBeInstanceOf(DownloadUnavailableError);
    expect(error.message).toMatch(/^temporal\.invalid unreachable: (.*(ENOTFOUND|EAI_AGAIN)|timed out)/); // timed out: a resolver that never answers
  });

  it('gives up after lookupTimeoutMs when the host never answers', async () => {
    const server = await downloadServer(() => {}); // accepts, never answers
    try {
      const error = await failureOf(
        sdkDownload({ sdkVersion: '1.24.0', baseUrl: server.base, lookupTimeoutMs: 200 })(path.join(root, 'temporal')),
      );

      expect(error).toBeInstanceOf(DownloadUnavailableError);
      expect(error.message).toBe(`${new URL(server.base).host} unreachable: timed out`);
    } finally {
      await server.close();
    }
  });

  it('gives up when the archive stops arriving for idleTimeoutMs', async () => {
    const server = await downloadServer((req, res, base) => {
      if (req.url?.startsWith('/cli/default')) {
        res.end(JSON.stringify({ archiveUrl: `${base}/cli.tar.gz`, fileToExtract: 'temporal' }));
      } else {
        res.writeHead(200, { 'content-length': '1000000' });
        res.write(Buffer.alloc(1000)); // then silence
      }
    });
    try {
      const dest = path.join(root, 'temporal');
      const error = await failureOf(
        sdkDownload({ sdkVersion: '1.24.0', baseUrl: server.base, idleTimeoutMs: 300 })(dest),
      );

      expect(error).toBeInstanceOf(DownloadUnavailableError);
      expect(error.message).toBe('archive download failed: no data for 0.3 s');
      expect(existsSync(dest)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['a path outside the folder', { archiveUrl: 'https://x/cli.tar.gz', fileToExtract: '../../bin/sh' }],
    ['an absolute path', { archiveUrl: 'https://x/cli.tar.gz', fileToExtract: '/etc/passwd' }],
    ['an archive type it cannot read', { archiveUrl: 'https://x/cli.exe', fileToExtract: 'temporal' }],
  ])('refuses an answer naming %s', async (_what, answer) => {
    const server = await downloadServer((_req, res) => res.end(JSON.stringify(answer)));
    try {
      const error = await failureOf(
        sdkDownload({ sdkVersion: '1.24.0', baseUrl: server.base })(path.join(root, 'temporal')),
      );

      expect(error).toBeInstanceOf(DownloadUnavailableError);
      expect(error.message).toMatch(/^unexpected answer from /);
      expect(server.requests).toHaveLength(1); // nothing fetched beyond the question
    } finally {
      await server.close();
    }
  });
});

describe('the Go build', () => {
  /** A `go` that logs its arguments and environment, fails the first `failures` times, then "builds". */
  function fakeGo(failures: number): { go: string; calls: () => string[] } {
    const log = path.join(root, 'go-calls.log');
    const count = path.join(root, 'go-count');
    writeFileSync(count, '0');
    const go = path.join(root, 'go-bin', 'go');
    mkdirSync(path.dirname(go));
    writeFileSync(
      go,
      `#!/bin/sh
n=$(($(cat '${count}') + 1)); echo $n > '${count}'
echo "cwd=$(pwd) CGO_ENABLED=$CGO_ENABLED GOBIN=$GOBIN args=$*" >> '${log}'
if [ $n -le ${failures} ]; then echo "link: relocation target not defined (linkname)" >&2; exit 1; fi
printf '#!/bin/sh\\necho built\\n' > "$GOBIN/temporal"; chmod 755 "$GOBIN/temporal"
`,
    );
    chmodSync(go, 0o755);
    return { go, calls: () => readFileSync(log, 'utf8').trim().split('\n') };
  }

  it('runs go install of the pinned CLI version with CGO off, from outside any module, into the destination folder', async () => {
    const { go, calls } = fakeGo(0);
    const dest = path.join(root, 'out', 'temporal');
    mkdirSync(path.dirname(dest));

    await goBuild()(go, dest);

    expect(calls()).toEqual([
      `cwd=${os.tmpdir()} CGO_ENABLED=0 GOBIN=${path.dirname(dest)} args=install -ldflags -X github.com/temporalio/cli/temporalcli.Version=1.5.1 github.com/temporalio/cli/cmd/temporal@v1.5.1`,
    ]);
    expect(execFileSync(dest, { encoding: 'utf8' })).toBe('built\n');
  });

  it('retries with -checklinkname=0 when the first link fails', async () => {
    const { go, calls } = fakeGo(1);
    const dest = path.join(root, 'out', 'temporal');
    mkdirSync(path.dirname(dest));

    await goBuild()(go, dest);

    expect(calls()[1]).toContain(
      '-ldflags -X github.com/temporalio/cli/temporalcli.Version=1.5.1 -checklinkname=0 github.com',
    );
  });

  it("fails with go's own last lines when both attempts fail", async () => {
    const { go } = fakeGo(2);
    const dest = path.join(root, 'out', 'temporal');
    mkdirSync(path.dirname(dest));

    await expect(goBuild()(go, dest)).rejects.toThrow(
      'go install github.com/temporalio/cli/cmd/temporal@v1.5.1 failed (exit 1):\nlink: relocation target not defined (linkname)',
    );
  });
});
