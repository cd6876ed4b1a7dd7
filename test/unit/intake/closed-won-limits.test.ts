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
    const lines = Array.from({ length: 9 }, (_, i) => ({
      sku: `SKU-${i}`,
      quantity: 1_000_000,
      unitPriceMinor: 1_000_000_000,
    }));
    expect(issuesOf(event({ lines }))).toEqual([]);
  });

  it('refuses an order whose line totals add up beyond 2^53 - 1, naming the field', () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({
      sku: `SKU-${i}`,
      quantity: 1_000_000,
      unitPriceMinor: 1_000_000_000,
    }));
    expect(issuesOf(event({ lines }))).toEqual([
      { path: 'lines', message: expect.stringContaining(`exceeds ${Number.MAX_SAFE_INTEGER}`) },
    ]);
  });

  it('leaves contract-priced lines to the price check (their price is not known here)', () => {
    const lines = Array.from({ length: 12 }, (_, i) => ({
      sku: `SKU-${i}`,
      quantity: 1_000_000,
      unitPriceMinor: 'contract',
    }));
    expect(issuesOf(event({ lines }))).toEqual([]);
  });

  it.each(['D-1-S1', 'D-1-S12', 'ACME-S3'])(
    "refuses deal id %s: its order id would be another deal's shipment id",
    (dealId) => {
      // The collision: deal D-1's order workflow names its n-th shipment `${orderId}-S<n>`.
      const [, otherDeal, n] = /^(.*)-S(\d+)$/.exec(dealId)!;
      expect(orderIdForDeal(dealId)).toBe(`${orderIdForDeal(otherDeal!)}-S${n}`);
      expect(issuesOf(event({ dealId }))).toEqual([
        { path: 'dealId', message: expect.stringContaining('must not end in -S followed by digits') },
      ]);
    },
  );

  it.each(['D-1', 'D-1-SX', 'D-1-s1', 'D-S1A', 'S1'])('accepts deal id %s', (dealId) => {
    expect(issuesOf(event({ dealId }))).toEqual([]);
  });
});

describe('single-line fields of the closed-won event', () => {
  const BREAKS = {
    CR: 'ACME\rTotal due: 0.00',
    LF: 'ACME\nPay to: IBAN XX00',
    CRLF: 'ACME\r\nBcc: x@evil.example',
    tab: 'ACME\tCorp',
    'line separator': 'ACME\u2028Paid',
    NEL: 'ACME\u0085Paid',
  };
  const fields: [string, (e: ReturnType<typeof event>, v: string) => void][] = [
    [
      'customer.name',
      (e, v) => {
        e.customer.name = v;
      },
    ],
    [
      'customer.billingContact.name',
      (e, v) => {
        e.customer.billingContact.name = v;
      },
    ],
    [
      'poNumber',
      (e, v) => {
        e.poNumber = v;
      },
    ],
    [
      'shipTo.name',
      (e, v) => {
        e.shipTo.name = v;
      },
    ],
    [
      'shipTo.line1',
      (e, v) => {
        e.shipTo.line1 = v;
      },
    ],
    [
      'shipTo.city',
      (e, v) => {
        e.shipTo.city = v;
      },
    ],
    [
      'shipTo.postalCode',
      (e, v) => {
        (e.shipTo as Record<string, unknown>).postalCode = v.slice(0, 12);
      },
    ],
  ];
  it.each(
    fields.flatMap(([path, set]) => Object.entries(BREAKS).map(([kind, value]) => [path, kind, value, set] as const)),
  )('refuses %s containing %s, naming the field', (path, _kind, value, set) => {
    const e = event();
    set(e, value);
    expect(issuesOf(e)).toEqual([{ path, message: expect.stringContaining('must be a single line') }]);
  });

  it('still accepts ordinary punctuation and non-ASCII letters', () => {
    const e = event();
    e.customer.name = 'Müller & Søn, S.A. — "Übersee" (#2)';
    expect(issuesOf(e)).toEqual([]);
  });
});
