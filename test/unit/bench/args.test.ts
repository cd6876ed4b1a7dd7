import { DEFAULT_ARGS, parseBenchArgs } from '../../../bench/args';

describe('parseBenchArgs', () => {
  it.each<{ promise: string; argv: string[]; expected: Partial<typeof DEFAULT_ARGS> }>([
    { promise: 'defaults to 200 orders, 20 in flight, 20 warm-up runs, 50 ms polling', argv: [], expected: {} },
    { promise: 'reads --orders N', argv: ['--orders', '50'], expected: { orders: 50 } },
    {
      promise: 'reads --flag=value',
      argv: ['--orders=50', '--concurrency=5'],
      expected: { orders: 50, concurrency: 5 },
    },
    { promise: 'accepts no warm-up', argv: ['--warmup', '0'], expected: { warmup: 0 } },
    { promise: 'reads --poll-ms', argv: ['--poll-ms', '100'], expected: { pollMs: 100 } },
  ])('$promise', ({ argv, expected }) => {
    expect(parseBenchArgs(argv)).toEqual({ ...DEFAULT_ARGS, ...expected });
  });

  it.each<{ argv: string[]; message: string }>([
    { argv: ['--orders', 'abc'], message: '--orders: must be a whole number >= 1 (got "abc")' },
    { argv: ['--orders', '0'], message: '--orders: must be a whole number >= 1 (got "0")' },
    { argv: ['--concurrency', '2.5'], message: '--concurrency: must be a whole number >= 1 (got "2.5")' },
    { argv: ['--orders'], message: '--orders: needs a value' },
    {
      argv: ['--order', '5'],
      message: '--order: unknown option (known: --orders, --concurrency, --warmup, --poll-ms)',
    },
  ])('refuses $argv naming the flag', ({ argv, message }) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
