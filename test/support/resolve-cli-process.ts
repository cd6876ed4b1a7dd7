/**
 * One process resolving the Temporal CLI with a fake Go build, for the lock tests that need several real
 * processes at once. Environment: CACHE_DIR, FAKE_GO (a go on PATH), BUILD_LOG (each build appends
 * its pid), BUILD_MS (how long the fake build takes). Prints the source it got.
 */
import { appendFileSync, chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { DownloadUnavailableError } from '../../runtime/temporal-cli/sdk-download';

async function main(): Promise<void> {
  const cli = await resolveTemporalCli({
    explicitPath: undefined,
    searchPath: path.dirname(process.env.FAKE_GO!),
    cacheDir: process.env.CACHE_DIR!,
    goLocations: [],
    download: async () => {
      throw new DownloadUnavailableError('no internet in this test');
    },
    build: async (_go, dest) => {
      appendFileSync(process.env.BUILD_LOG!, `${process.pid}\n`);
      await new Promise((r) => setTimeout(r, Number(process.env.BUILD_MS ?? 300)));
      writeFileSync(dest, '#!/bin/sh\necho "temporal version 0.0.0-fake"\n');
      chmodSync(dest, 0o755);
    },
    lockPollMs: 20,
    say: () => {},
  });
  process.stdout.write(cli.source);
}

void main();
