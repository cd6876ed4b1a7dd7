/**
 * `npm run setup:temporal`: finds or makes the Temporal CLI ahead of time (npm start and npm test do the
 * same by themselves), then prints where it is and its version. `.ci/run` calls it so a CI log shows
 * this step on its own.
 */
import { execFileSync } from 'node:child_process';
import { resolveTemporalCli, TemporalCliUnavailableError } from '../runtime/temporal-cli';

async function main(): Promise<void> {
  try {
    const cli = await resolveTemporalCli({ say: (line) => process.stdout.write(`${line}\n`) });
    const version = execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim();
    process.stdout.write(`Temporal CLI: ${cli.path} (${cli.source}); ${version}\n`);
  } catch (error) {
    if (!(error instanceof TemporalCliUnavailableError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

void main();
