import { DEFAULT_API_ARGS, parseApiBenchArgs } from '../../../bench/api/args';

describe('npm run bench:api arguments', () => {
  it('measures three alternating rounds by default', () => {
    expect(parseApiBenchArgs([])).toEqual(DEFAULT_API_ARGS);
    expect(DEFAULT_API_ARGS.rounds).toBe(3);
  });

  it('reads --rounds, --duration and the switches', () => {
    expect(parseApiBenchArgs(['--rounds', '5', '--duration=4', '--no-timing'])).toMatchObject({
      rounds: 5,
      durationSeconds: 4,
      isTimed: false,
    });
  });

  it('refuses a round count below one and unknown flags, naming them', () => {
    expect(() => parseApiBenchArgs(['--rounds', '0'])).toThrow('--rounds: must be a whole number >= 1 (got "0")');
    expect(() => parseApiBenchArgs(['--round', '2'])).toThrow(/--round: unknown option/);
  });
});
