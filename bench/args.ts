/**
 * Command line of `npm run bench`: `--orders N` (default 200), `--concurrency C` (orders in flight,
 * default 20), `--warmup W` (unmeasured runs of each kind first, default 20), `--poll-ms P` (how soon a
 * run not visible yet, or a refused proof of delivery, is asked again; default 50). A bad value stops
 * the run naming the flag.
 */
export interface BenchArgs {
  orders: number;
  concurrency: number;
  warmup: number;
  pollMs: number;
}

export const DEFAULT_ARGS: BenchArgs = { orders: 200, concurrency: 20, warmup: 20, pollMs: 50 };

const FLAGS: Record<string, { key: keyof BenchArgs; min: number }> = {
  '--orders': { key: 'orders', min: 1 },
  '--concurrency': { key: 'concurrency', min: 1 },
  '--warmup': { key: 'warmup', min: 0 },
  '--poll-ms': { key: 'pollMs', min: 1 },
};

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  return parseFlags(argv, DEFAULT_ARGS, FLAGS);
}

/**
 * The benchmarks' shared flag grammar: `--flag N` or `--flag=N` for whole numbers of at least `min`,
 * and bare switches that set something. Unknown flags, missing and bad values throw, naming the flag.
 */
export function parseFlags<T extends object>(
  argv: readonly string[],
  defaults: T,
  numbers: Record<string, { key: keyof T; min: number }>,
  switches: Record<string, (args: T) => void> = {},
): T {
  const args = { ...defaults };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const toggle = switches[flag];
    if (toggle && inline === undefined) {
      toggle(args);
      continue;
    }
    const spec = numbers[flag];
    if (!spec)
      throw new Error(
        `${flag}: unknown option (known: ${[...Object.keys(numbers), ...Object.keys(switches)].join(', ')})`,
      );
    const raw = inline ?? argv[(i += 1)];
    if (raw === undefined) throw new Error(`${flag}: needs a value`);
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < spec.min) {
      throw new Error(`${flag}: must be a whole number >= ${spec.min} (got "${raw}")`);
    }
    (args as Record<keyof T, unknown>)[spec.key] = value;
  }
  return args;
}
