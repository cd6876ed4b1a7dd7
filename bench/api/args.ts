/**
 * Command line of `npm run bench:api`: `--duration S` (seconds of measured load per target, default 10),
 * `--connections C` (autocannon connections, default 50), `--warmup S` (unmeasured seconds of the same
 * load before each target, default 2), `--read-orders N` (orders accepted before the load on the read
 * worker's queue, which the read phase cycles through, default 1000), `--rounds N` (the insert baseline
 * and intake measured alternately N times, default 3; each is reported by its median round, so a noisy
 * moment sways neither), `--profile` (CPU profiles of the API process during the last round of each,
 * compared part by part; the profiler costs some throughput), `--no-timing` (no stage hooks and no
 * timing wrappers in the API process, to see what they cost), `--screen-orders N` (orders with invoices
 * seeded for the console reads, default 10000), `--screens-only` (only the console reads: no intake, no
 * read worker). A bad value stops the run naming the flag.
 */
import { parseFlags } from '../args';

export interface ApiBenchArgs {
  durationSeconds: number;
  connections: number;
  warmupSeconds: number;
  readOrders: number;
  rounds: number;
  profile: boolean;
  isTimed: boolean;
  /** Orders (with invoices) seeded for the console reads. */
  screenOrders: number;
  /** Only the console reads (`--screens-only`): no intake rounds, no read worker. */
  isScreensOnly: boolean;
}

export const DEFAULT_API_ARGS: ApiBenchArgs = {
  durationSeconds: 10,
  connections: 50,
  warmupSeconds: 2,
  readOrders: 1000,
  rounds: 3,
  profile: false,
  isTimed: true,
  screenOrders: 10_000,
  isScreensOnly: false,
};

const FLAGS: Record<
  string,
  { key: Exclude<keyof ApiBenchArgs, 'profile' | 'isTimed' | 'isScreensOnly'>; min: number }
> = {
  '--duration': { key: 'durationSeconds', min: 1 },
  '--connections': { key: 'connections', min: 1 },
  '--warmup': { key: 'warmupSeconds', min: 0 },
  '--read-orders': { key: 'readOrders', min: 1 },
  '--rounds': { key: 'rounds', min: 1 },
  '--screen-orders': { key: 'screenOrders', min: 1 },
};

export function parseApiBenchArgs(argv: readonly string[]): ApiBenchArgs {
  return parseFlags(argv, DEFAULT_API_ARGS, FLAGS, {
    '--profile': (args) => (args.profile = true),
    '--no-timing': (args) => (args.isTimed = false),
    '--screens-only': (args) => (args.isScreensOnly = true),
  });
}
