import { applyBp } from '../../../domain/billing/rounding';
import {
  combineInvoices,
  computeInvoice,
  taxByRate,
  type ComputedInvoice,
  type FreightTerms,
  type InvoiceInput,
} from '../../../domain/billing/invoice-calc';

const FEES: InvoiceInput['feeTable'] = {
  LIFTGATE: { description: 'Liftgate delivery', amountMinor: 7500, taxable: false },
  RESIDENTIAL: { description: 'Residential delivery', amountMinor: 1250, taxable: true },
};

/** 10 x 19.99 taxable, 3 x 3.33 not taxable; carrier 100.00 with 10% markup; 8.25% tax. */
const input = (overrides: Partial<InvoiceInput> = {}): InvoiceInput => ({
  currency: 'USD',
  lines: [
    { ref: 'L1', sku: 'GASKET-NBR-050', description: 'NBR gasket 50 mm', quantity: 10, unitPriceMinor: 1999 },
    { ref: 'L2', sku: 'LABEL-KIT', description: 'Label kit', quantity: 3, unitPriceMinor: 333, taxable: false },
  ],
  freight: { terms: 'prepaid_and_add', carrierCostMinor: 10000, markupBp: 1000 },
  accessorials: [],
  feeTable: FEES,
  taxRateBp: 825,
  isTaxExempt: false,
  otifDeductions: [],
  ...overrides,
});

const computed = (i: InvoiceInput): ComputedInvoice => {
  const result = computeInvoice(i);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.invoice;
};

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function expectReconciles(inv: ComputedInvoice): void {
  const tax =
    sum(inv.lines.map((l) => l.taxMinor)) + inv.freightTaxMinor + sum(inv.accessorials.map((a) => a.taxMinor));
  const beforeTax =
    sum(inv.lines.map((l) => l.amountMinor)) +
    inv.freightMinor +
    sum(inv.accessorials.map((a) => a.amountMinor)) +
    sum(inv.deductions.map((d) => d.amountMinor));
  expect(inv.taxMinor).toBe(tax);
  expect(inv.subtotalMinor).toBe(beforeTax);
  expect(inv.totalMinor).toBe(beforeTax + tax);
}

const ALL_EXTRAS: Partial<InvoiceInput> = {
  accessorials: [
    { code: 'LIFTGATE', quantity: 1 },
    { code: 'RESIDENTIAL', quantity: 2 },
  ],
  otifDeductions: [{ lineRef: 'L1', penaltyBp: 300, reason: 'delivered 2 days late' }],
};

describe('computeInvoice', () => {
  it.each<[FreightTerms, number, number, number, number]>([
    // terms, freight, freight tax, subtotal, total
    ['prepaid', 0, 0, 30389, 32244],
    ['collect', 0, 0, 30389, 32244],
    ['prepaid_and_add', 11000, 908, 41389, 44152],
  ])(
    'totals reconcile to the cent for freight term %s',
    (terms, freightMinor, freightTaxMinor, subtotalMinor, totalMinor) => {
      const inv = computed(input({ ...ALL_EXTRAS, freight: { terms, carrierCostMinor: 10000, markupBp: 1000 } }));
      expect(inv).toMatchObject({ freightMinor, freightTaxMinor, subtotalMinor, totalMinor });
      expectReconciles(inv);
    },
  );

  it('bills shipped quantities and taxes each line on its own, recording the rate it charged (non-taxable lines at 0)', () => {
    const inv = computed(input());
    expect(inv.lines).toEqual([
      // 19990 x 8.25% = 1649.175 -> 1649
      {
        ref: 'L1',
        sku: 'GASKET-NBR-050',
        description: 'NBR gasket 50 mm',
        quantity: 10,
        unitPriceMinor: 1999,
        amountMinor: 19990,
        taxMinor: 1649,
        taxRateBp: 825,
      },
      {
        ref: 'L2',
        sku: 'LABEL-KIT',
        description: 'Label kit',
        quantity: 3,
        unitPriceMinor: 333,
        amountMinor: 999,
        taxMinor: 0,
        taxRateBp: 0,
      },
    ]);
    expect(computed(input({ isTaxExempt: true })).lines.map((l) => [l.taxMinor, l.taxRateBp])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it.each([
    ['prepaid_and_add with no markup', { terms: 'prepaid_and_add', carrierCostMinor: 10000, markupBp: 0 }, 10000],
    [
      'prepaid_and_add 12.5% markup, 0.5 rounds up',
      { terms: 'prepaid_and_add', carrierCostMinor: 1004, markupBp: 1250 },
      1130,
    ],
    ['prepaid ignores the carrier cost', { terms: 'prepaid', carrierCostMinor: 99999, markupBp: 1000 }, 0],
    ['collect ignores the carrier cost', { terms: 'collect', carrierCostMinor: 99999, markupBp: 1000 }, 0],
  ] as const)('freight: %s -> %i', (_why, freight, expected) => {
    expect(computed(input({ freight: { ...freight } })).freightMinor).toBe(expected);
  });

  it('prices accessorials from the fee table and taxes only the taxable ones', () => {
    const inv = computed(input(ALL_EXTRAS));
    expect(inv.accessorials).toEqual([
      { code: 'LIFTGATE', description: 'Liftgate delivery', quantity: 1, amountMinor: 7500, taxMinor: 0 },
      // 2500 x 8.25% = 206.25 -> 206
      { code: 'RESIDENTIAL', description: 'Residential delivery', quantity: 2, amountMinor: 2500, taxMinor: 206 },
    ]);
    expectReconciles(inv);
  });

  it('charges a tax-exempt customer no tax on lines, freight or accessorials', () => {
    const inv = computed(input({ ...ALL_EXTRAS, isTaxExempt: true }));
    expect([
      ...inv.lines.map((l) => l.taxMinor),
      inv.freightTaxMinor,
      ...inv.accessorials.map((a) => a.taxMinor),
      inv.taxMinor,
    ]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(inv.totalMinor).toBe(inv.subtotalMinor);
  });

  it.each([
    // line amount, penalty bp, expected deduction
    [19990, 300, -600, '599.7 rounds to 600'],
    [50, 100, -1, '0.5 rounds away from zero'],
    [49, 100, 0, '0.49 rounds to nothing, and is 0 not -0'],
    [20000, 10000, -20000, 'a 100% penalty takes the whole line'],
  ])('OTIF deduction on a line of %i at %i bp is %i (%s), untaxed', (amountMinor, penaltyBp, expected) => {
    const inv = computed(
      input({
        lines: [{ ref: 'L1', sku: 'S', description: 'd', quantity: 1, unitPriceMinor: amountMinor }],
        otifDeductions: [{ lineRef: 'L1', penaltyBp, reason: 'short shipped' }],
        freight: { terms: 'prepaid', carrierCostMinor: 0, markupBp: 0 },
      }),
    );
    expect(inv.deductions).toEqual([{ lineRef: 'L1', reason: 'short shipped', penaltyBp, amountMinor: expected }]);
    expect(Object.is(inv.deductions[0]!.amountMinor, -0)).toBe(false);
    expect(inv.taxMinor).toBe(inv.lines[0]!.taxMinor);
    expectReconciles(inv);
  });

  it('rounds tax per line, so three 0.20 lines at 7.5% carry 0.02 each (0.06), not 7.5% of 0.60 (0.05)', () => {
    const line = (ref: string) => ({ ref, sku: ref, description: ref, quantity: 1, unitPriceMinor: 20 });
    const inv = computed(
      input({
        lines: [line('A'), line('B'), line('C')],
        taxRateBp: 750,
        freight: { terms: 'collect', carrierCostMinor: 0, markupBp: 0 },
      }),
    );
    expect(inv.lines.map((l) => l.taxMinor)).toEqual([2, 2, 2]);
    expect(inv.taxMinor).toBe(6);
    expect(inv.totalMinor).toBe(66);
  });

  it.each([
    [
      'an unknown accessorial code',
      { accessorials: [{ code: 'WHITE-GLOVE', quantity: 1 }] },
      'accessorials[0].code',
      'unknown accessorial code "WHITE-GLOVE"',
    ],
    [
      'an accessorial named like an Object property',
      { accessorials: [{ code: 'constructor', quantity: 1 }] },
      'accessorials[0].code',
      '"constructor"',
    ],
    [
      'an accessorial quantity of 0',
      { accessorials: [{ code: 'LIFTGATE', quantity: 0 }] },
      'accessorials[0].quantity',
      'must be > 0 (got 0)',
    ],
    [
      'a negative shipped quantity',
      { lines: [{ ref: 'L1', sku: 'S', description: 'd', quantity: -2, unitPriceMinor: 100 }] },
      'lines[0].quantity',
      'must be >= 0 (got -2)',
    ],
    [
      'a negative price',
      { lines: [{ ref: 'L1', sku: 'S', description: 'd', quantity: 1, unitPriceMinor: -150 }] },
      'lines[0].unitPriceMinor',
      'got -USD 1.50',
    ],
    ['no lines', { lines: [] }, 'lines', 'at least one line'],
    [
      'a repeated line ref',
      {
        lines: [
          { ref: 'L1', sku: 'A', description: 'a', quantity: 1, unitPriceMinor: 1 },
          { ref: 'L1', sku: 'B', description: 'b', quantity: 1, unitPriceMinor: 1 },
        ],
      },
      'lines[1].ref',
      '"L1" appears more than once',
    ],
    [
      'an OTIF deduction on a line that does not exist',
      { otifDeductions: [{ lineRef: 'L9', penaltyBp: 100, reason: 'late' }] },
      'otifDeductions[0].lineRef',
      '"L9" is not a line',
    ],
    [
      'an OTIF penalty above 100%',
      { otifDeductions: [{ lineRef: 'L1', penaltyBp: 10001, reason: 'late' }] },
      'otifDeductions[0].penaltyBp',
      'got 10001 bp',
    ],
    [
      'OTIF penalties adding up to more than the line',
      {
        otifDeductions: [
          { lineRef: 'L1', penaltyBp: 6000, reason: 'late' },
          { lineRef: 'L1', penaltyBp: 5000, reason: 'short' },
        ],
      },
      'otifDeductions',
      'add up to 11000 bp',
    ],
    [
      'a negative carrier cost',
      { freight: { terms: 'prepaid_and_add' as const, carrierCostMinor: -1, markupBp: 0 } },
      'freight.carrierCostMinor',
      'got -USD 0.01',
    ],
    [
      'unknown freight terms',
      { freight: { terms: 'fob' as FreightTerms, carrierCostMinor: 0, markupBp: 0 } },
      'freight.terms',
      'got "fob"',
    ],
  ])('refuses %s, naming the field and value', (_why, overrides, field, fragment) => {
    const result = computeInvoice(input(overrides as Partial<InvoiceInput>));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ field, message: expect.stringContaining(fragment) });
  });

  it('reports every problem at once', () => {
    const result = computeInvoice(
      input({
        accessorials: [
          { code: 'A', quantity: 1 },
          { code: 'B', quantity: 1 },
        ],
        taxRateBp: -1,
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.field)).toEqual(['accessorials[0].code', 'accessorials[1].code', 'taxRateBp']);
  });

  it.each([
    ['a fractional price', { lines: [{ ref: 'L1', sku: 'S', description: 'd', quantity: 1, unitPriceMinor: 19.99 }] }],
    ['a fractional tax rate', { taxRateBp: 8.25 }],
  ])('throws on %s: floats in money are a programmer error', (_why, overrides) => {
    expect(() => computeInvoice(input(overrides))).toThrow(RangeError);
  });
});

describe('combineInvoices', () => {
  const hazmat: InvoiceInput['feeTable'] = {
    ...FEES,
    HAZMAT: { description: 'Hazmat handling', amountMinor: 4500, taxable: true },
  };
  const a = computed(input({ accessorials: [{ code: 'HAZMAT', quantity: 1 }], feeTable: hazmat }));
  const b = computed(
    input({
      lines: [{ ref: 'B1', sku: 'VALVE', description: 'Valve', quantity: 2, unitPriceMinor: 12345 }],
      freight: { terms: 'collect', carrierCostMinor: 9000, markupBp: 0 },
      accessorials: [{ code: 'HAZMAT', quantity: 2 }],
      feeTable: hazmat,
      taxRateBp: 600,
      otifDeductions: [{ lineRef: 'B1', penaltyBp: 300, reason: 'late' }],
    }),
  );

  it("sums every part exactly, keeping each part's own tax", () => {
    const c = combineInvoices([a, b]);
    expect(c.lines.map((l) => l.ref)).toEqual(['L1', 'L2', 'B1']);
    // Each order's lines keep the rate of their own ship-to (825 and 600 bp), not one rate for all.
    expect(c.lines.map((l) => [l.ref, l.taxRateBp, l.taxMinor])).toEqual([
      ['L1', 825, 1649],
      ['L2', 0, 0],
      ['B1', 600, applyBp(24690, 600)],
    ]);
    expect(c.totalMinor).toBe(a.totalMinor + b.totalMinor);
    expect(c.taxMinor).toBe(a.taxMinor + b.taxMinor);
    expect(c.subtotalMinor).toBe(a.subtotalMinor + b.subtotalMinor);
    expect(c.freightMinor).toBe(a.freightMinor);
    expect(c.deductions).toEqual(b.deductions);
    // The combined invoice still reconciles line by line.
    const lines =
      sum(c.lines.map((l) => l.amountMinor)) +
      c.freightMinor +
      sum(c.accessorials.map((x) => x.amountMinor)) +
      sum(c.deductions.map((d) => d.amountMinor));
    expect(lines).toBe(c.subtotalMinor);
    expect(sum(c.lines.map((l) => l.taxMinor)) + c.freightTaxMinor + sum(c.accessorials.map((x) => x.taxMinor))).toBe(
      c.taxMinor,
    );
  });

  it('folds accessorials of one code into one line', () => {
    const c = combineInvoices([a, b]);
    expect(c.accessorials).toEqual([
      {
        code: 'HAZMAT',
        description: 'Hazmat handling',
        quantity: 3,
        amountMinor: 13500,
        taxMinor: a.accessorials[0]!.taxMinor + b.accessorials[0]!.taxMinor,
      },
    ]);
  });

  it('returns a single part unchanged', () => {
    expect(combineInvoices([a])).toEqual(a);
  });

  it('refuses mixed currencies, repeated line refs and nothing at all', () => {
    expect(() => combineInvoices([a, { ...b, currency: 'EUR' }])).toThrow(/USD and EUR/);
    expect(() => combineInvoices([a, a])).toThrow(/line ref "L1"/);
    expect(() => combineInvoices([])).toThrow(/at least one/);
  });
});

describe('taxByRate', () => {
  it.each([
    ['one part', [{ taxRateBp: 575, taxMinor: 43_214 }], [{ rateBp: 575, taxMinor: 43_214 }]],
    [
      'two orders at one rate',
      [
        { taxRateBp: 575, taxMinor: 100 },
        { taxRateBp: 575, taxMinor: 201 },
      ],
      [{ rateBp: 575, taxMinor: 301 }],
    ],
    [
      'rates in the order they first appear',
      [
        { taxRateBp: 825, taxMinor: 5 },
        { taxRateBp: 0, taxMinor: 0 },
        { taxRateBp: 825, taxMinor: 7 },
      ],
      [
        { rateBp: 825, taxMinor: 12 },
        { rateBp: 0, taxMinor: 0 },
      ],
    ],
    ['nothing', [], []],
  ])('%s', (_name, parts, expected) => {
    expect(taxByRate(parts)).toEqual(expected);
  });
});
