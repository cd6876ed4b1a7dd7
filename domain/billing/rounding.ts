/**
 * Exact integer arithmetic for money: percentages in basis points and proportional splits. Everything
 * here works on integer minor units and rounds exactly once, with a named rule, so an invoice, its
 * credit memo and its ledger entries always agree to the last minor unit.
 */

const BP_PER_WHOLE = 10_000n;

/**
 * Throws unless `value` is a safe integer. Money that is not an exact integer is a bug in the caller
 * (a float slipped in), not a business outcome, so it is thrown rather than returned.
 */
export function assertSafeInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer (got ${value})`);
}

/**
 * Divides two integers and rounds the quotient half up, away from zero for negatives: 2.5 -> 3,
 * -2.5 -> -3, 2.4999 -> 2. Needs a non-zero denominator. Works on bigint so that products such as
 * amount x basis points never lose precision, whatever their size. "Away from zero" keeps the rule
 * symmetric: the tax credited on a returned line is exactly the negative of the tax billed on it.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('divideRoundHalfUp: denominator must not be 0');
  // Work on magnitudes and restore the sign, so rounding is symmetric around zero.
  const isNegative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  const remainder = n % d;
  const rounded = remainder * 2n >= d ? quotient + 1n : quotient;
  return isNegative ? -rounded : rounded;
}

function toSafeNumber(value: bigint, what: string): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new RangeError(`${what} exceeds the exact integer range`);
  return result;
}

/**
 * Returns `amountMinor x bp / 10000`, rounded half up (away from zero for negatives) to a whole minor
 * unit: `applyBp(1050, 1000)` is 105, `applyBp(5, 1000)` is 1 (0.5 rounds up), `applyBp(-5, 1000)` is -1.
 * Needs safe integers (throws otherwise). Promises exact integer arithmetic, never floating point, and
 * `applyBp(-a, bp) === -applyBp(a, bp)`.
 */
export function applyBp(amountMinor: number, bp: number): number {
  assertSafeInteger(amountMinor, 'amountMinor');
  assertSafeInteger(bp, 'bp');
  return toSafeNumber(divideRoundHalfUp(BigInt(amountMinor) * BigInt(bp), BP_PER_WHOLE), `${amountMinor} x ${bp} bp`);
}

/**
 * Splits `totalMinor` into parts proportional to `weights` with the largest-remainder method, so the
 * parts always sum exactly to the total (e.g. a freight charge spread over lines, 100 over [1, 1, 1] is
 * [34, 33, 33]). Needs at least one weight, every weight a non-negative safe integer, and a positive
 * weight sum unless the total is 0 (throws otherwise: a split with nothing to weigh is a caller bug).
 * Promises: each part is the floor of its exact share plus at most one unit; leftover units go to the
 * largest remainders, ties to the earlier index, so the result is deterministic; a negative total is
 * split as the mirror image of the positive one; zero-weight entries get 0.
 */
export function allocateProportionally(totalMinor: number, weights: readonly number[]): number[] {
  assertSafeInteger(totalMinor, 'totalMinor');
  if (weights.length === 0) throw new RangeError('allocateProportionally: weights must not be empty');
  weights.forEach((w, i) => {
    assertSafeInteger(w, `weights[${i}]`);
    if (w < 0) throw new RangeError(`weights[${i}] must be >= 0 (got ${w})`);
  });
  if (totalMinor === 0) return weights.map(() => 0);
  const weightSum = weights.reduce((sum, w) => sum + BigInt(w), 0n);
  if (weightSum === 0n)
    throw new RangeError(`allocateProportionally: cannot split ${totalMinor} over weights that are all 0`);

  const sign = totalMinor < 0 ? -1 : 1;
  const total = BigInt(Math.abs(totalMinor));
  const shares = weights.map((w, index) => {
    const exact = total * BigInt(w);
    return { index, floor: exact / weightSum, remainder: exact % weightSum };
  });
  let leftover = total - shares.reduce((sum, s) => sum + s.floor, 0n);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  const parts = shares.map((s) => s.floor);
  // leftover < number of weights with a non-zero remainder, so every unit lands on a real share.
  for (const share of byRemainder) {
    if (leftover === 0n) break;
    parts[share.index] = share.floor + 1n;
    leftover -= 1n;
  }
  // Negate the bigint, not the number, so a zero part stays 0 rather than -0.
  return parts.map((p) => toSafeNumber(sign < 0 ? -p : p, 'allocated part'));
}
