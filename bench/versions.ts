/** Versions of what a benchmark ran on, for its method section: installed packages and the Temporal CLI. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findExistingTemporalCli, temporalCliDeps } from '../runtime/temporal-cli';

/** The installed version of a package, or 'unknown'. */
export function readVersion(packageName: string): string {
  try {
    return (
      JSON.parse(readFileSync(path.join(__dirname, '..', 'node_modules', packageName, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return 'unknown';
  }
}

/** `temporal --version` of the CLI the dev server runs from, or why it is unknown. */
export function temporalCliVersion(): string {
  try {
    const cli = findExistingTemporalCli(temporalCliDeps());
    return cli ? execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim() : 'no Temporal CLI found';
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message : String(error)})`;
  }
}
