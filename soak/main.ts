/**
 * `npm run soak`: a seeded chaos soak. Builds a catalogue, runs random but valid business through the
 * real API, workers and Temporal (each its own process), injects adapter faults and, with --chaos,
 * kills workers, the API and the Temporal dev server with SIGKILL at random moments, drives every
 * order to an end or a named wait, then checks closedloop's invariants from PostgreSQL, the SMTP
 * capture and Temporal. Prints each invariant with its count and writes bench-results/soak.json.
 *
 *   npm run soak -- --orders 40 --seed 7 --chaos [--workers 2] [--fault-rate 0.02] [--out FILE] [--keep-db]
 *
 * Exit code 0 when every invariant held, 1 otherwise.
 */
import { runSoak, type SoakOptions } from './run';

function parseArgs(argv: string[]): SoakOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)} (flags start with --)`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(arg.slice(2), next);
      i += 1;
    } else flags.set(arg.slice(2), true);
  }
  const known = new Set(['seed', 'orders', 'chaos', 'workers', 'fault-rate', 'out', 'keep-db']);
  for (const name of flags.keys())
    if (!known.has(name))
      throw new Error(`unknown flag --${name} (known: ${[...known].map((k) => `--${k}`).join(', ')})`);
  const number = (name: string, fallback: number, min: number, max: number) => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw === true || !Number.isFinite(value) || value < min || value > max)
      throw new Error(`--${name} must be a number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    return value;
  };
  return {
    seed: Math.trunc(number('seed', Math.floor(Math.random() * 2 ** 31), 0, 2 ** 32 - 1)),
    orders: Math.trunc(number('orders', 40, 1, 100_000)),
    chaos: flags.has('chaos'),
    workers: Math.trunc(number('workers', 2, 1, 16)),
    faultRate: number('fault-rate', 0.02, 0, 0.5),
    out: typeof flags.get('out') === 'string' ? (flags.get('out') as string) : 'bench-results/soak.json',
    keepDatabase: flags.has('keep-db'),
    log: (line) => process.stdout.write(`${line}\n`),
  };
}

async function main(): Promise<void> {
  let options: SoakOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const report = await runSoak(options);
  process.exit(report.invariants.every((i) => i.held) ? 0 : 1);
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `soak failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
