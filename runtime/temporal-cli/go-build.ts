/**
 * Builds the Temporal CLI from Go modules (`go install`), for machines that reach the Go module proxy
 * but not temporal.download. See BUILD-ENVIRONMENT.md: v1.5.1 is the newest tag whose go.mod has no
 * `replace` directive, so the newest that `go install pkg@version` can build.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export interface GoBuildOptions {
  version?: string;
  env?: NodeJS.ProcessEnv;
}

/** Returns a builder that writes the CLI binary to `dest`, whose file name must be `temporal`. */
export function goBuild(options: GoBuildOptions = {}): (go: string, dest: string) => Promise<void> {
  const version = options.version ?? TEMPORAL_CLI_VERSION;
  return async (go, dest) => {
    if (path.basename(dest) !== 'temporal')
      throw new Error(`go install names the binary "temporal", not ${path.basename(dest)}`);
    const versionFlag = `-X github.com/temporalio/cli/temporalcli.Version=${version}`;
    const install = (ldflags: string) =>
      run(go, ['install', '-ldflags', ldflags, `${MODULE}@v${version}`], {
        ...(options.env ?? process.env),
        CGO_ENABLED: '0',
        GOBIN: path.dirname(dest),
      });
    const first = await install(versionFlag);
    if (first.code === 0) return;
    // Go 1.23+ refuses some of the server's //go:linkname uses; this flag lets the linker accept them.
    const second = await install(`${versionFlag} -checklinkname=0`);
    if (second.code === 0) return;
    throw new Error(
      `go install ${MODULE}@v${version} failed (exit ${second.code}):\n${tail(second.output || first.output, 15)}`,
    );
  };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Outside the repository, so Go does not read our directory as a module.
    const child = spawn(command, args, { cwd: os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output: output.join('') }));
  });
}

function tail(text: string, lines: number): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
