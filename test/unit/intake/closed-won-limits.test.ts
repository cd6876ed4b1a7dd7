import { closedWonEventSchema, orderIdForDeal } from '../../../domain/closed-won';
import example from '../../../examples/closed-won.json';

const event = (overrides: Record<string, unknown> = {}) => ({ ...structuredClone(example), ...overrides });
const issuesOf = (input: unknown) => {
  const parsed = closedWonEventSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('closed-won intake limits', () => {
  it('accepts the example and a total up to 2^53 - 1 minor units', () => {
    expect(issuesOf(event())).toEqual([]);
    // 9 lines of 1 000 000 x 1 000 000 000 = 9e15 < 2^53 - 1 (9 007 199 254 740 991).
    const lines = Array.from({ length: 9 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1_000_000, unitPriceMinor: 1_000_000_000 }));
    expect(issuesOf(event({ lines }))).toEqual([]);
  });

  it('refuses an order whose line totals add up beyond 2^53 - 1, naming the field', () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1_000_000, unitPriceMinor: 1_000_000_000 }));
    expect(issuesOf(event({ lines }))).toEqual([{ path: 'lines', message: expect.stringContaining(`exceeds ${Number.MAX_SAFE_INTEGER}`) }]);
  });

  it('leaves contract-priced lines to the price check (their price is not known here)', () => {
    const lines = Array.from({ length: 12 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1_000_000, unitPriceMinor: 'contract' }));
    expect(issuesOf(event({ lines }))).toEqual([]);
  });

  it.each(['D-1-S1', 'D-1-S12', 'ACME-S3'])('refuses deal id %s: its order id would be another deal\'s shipment id', (dealId) => {
    // The collision: deal D-1's order workflow names its n-th shipment `${orderId}-S<n>`.
    const [, otherDeal, n] = /^(.*)-S(\d+)$/.exec(dealId)!;
    expect(orderIdForDeal(dealId)).toBe(`${orderIdForDeal(otherDeal!)}-S${n}`);
    expect(issuesOf(event({ dealId }))).toEqual([{ path: 'dealId', message: expect.stringContaining('must not end in -S followed by digits') }]);
  });

  it.each(['D-1', 'D-1-SX', 'D-1-s1', 'D-S1A', 'S1'])('accepts deal id %s', (dealId) => {
    expect(issuesOf(event({ dealId }))).toEqual([]);
  });
});
