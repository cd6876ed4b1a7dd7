/** Versions of what a benchmark ran on, for its method section: installed packages and the Temporal CLI. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findTemporalCli } from '../runtime/temporal-server';

/** The installed version of a package, or 'unknown'. */
export function readVersion(packageName: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(__dirname, '..', 'node_modules', packageName, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** `temporal --version` of the CLI the dev server runs from, or why it is unknown. */
export function temporalCliVersion(): string {
  try {
    const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
    return cli ? execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim() : 'CLI downloaded by the SDK';
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message : String(error)})`;
  }
}
