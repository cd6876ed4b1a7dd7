import { DEFAULT_PACKING_LIMITS, packShipment, type PackingLine } from '../../../domain/fulfillment/packing';

const line = (sku: string, quantity: number, unitWeightGrams: number, isHazardous = false): PackingLine => ({
  sku,
  quantity,
  unitWeightGrams,
  isHazardous,
});

describe('packShipment', () => {
  it.each([
    {
      promise: 'packs nothing for an empty shipment',
      lines: [],
      expected: { packages: [], totalWeightGrams: 0 },
    },
    {
      promise: 'puts a light shipment in one parcel',
      lines: [line('A', 10, 1_000)],
      expected: {
        packages: [
          {
            packageNo: 1,
            kind: 'parcel',
            weightGrams: 10_000,
            isHazardous: false,
            contents: [{ sku: 'A', quantity: 10 }],
          },
        ],
        totalWeightGrams: 10_000,
      },
    },
    {
      promise: 'fills a parcel up to exactly its limit',
      lines: [line('A', 3, 10_000)],
      expected: {
        packages: [
          {
            packageNo: 1,
            kind: 'parcel',
            weightGrams: 30_000,
            isHazardous: false,
            contents: [{ sku: 'A', quantity: 3 }],
          },
        ],
        totalWeightGrams: 30_000,
      },
    },
    {
      promise: 'opens a new parcel when the next unit would exceed the limit',
      lines: [line('A', 7, 10_000)],
      expected: {
        packages: [
          {
            packageNo: 1,
            kind: 'parcel',
            weightGrams: 30_000,
            isHazardous: false,
            contents: [{ sku: 'A', quantity: 3 }],
          },
          {
            packageNo: 2,
            kind: 'parcel',
            weightGrams: 30_000,
            isHazardous: false,
            contents: [{ sku: 'A', quantity: 3 }],
          },
          {
            packageNo: 3,
            kind: 'parcel',
            weightGrams: 10_000,
            isHazardous: false,
            contents: [{ sku: 'A', quantity: 1 }],
          },
        ],
        totalWeightGrams: 70_000,
      },
    },
    {
      promise: 'packs heavy units first and tops packages up with light ones',
      lines: [line('B', 10, 1_000), line('A', 2, 12_000)],
      expected: {
        packages: [
          {
            packageNo: 1,
            kind: 'parcel',
            weightGrams: 30_000,
            isHazardous: false,
            contents: [
              { sku: 'A', quantity: 2 },
              { sku: 'B', quantity: 6 },
            ],
          },
          {
            packageNo: 2,
            kind: 'parcel',
            weightGrams: 4_000,
            isHazardous: false,
            contents: [{ sku: 'B', quantity: 4 }],
          },
        ],
        totalWeightGrams: 34_000,
      },
    },
    {
      promise: 'gives a unit heavier than the parcel limit a package of its own and never splits it',
      lines: [line('B', 5, 1_000), line('M', 2, 45_000)],
      expected: {
        packages: [
          {
            packageNo: 1,
            kind: 'parcel',
            weightGrams: 45_000,
            isHazardous: false,
            contents: [{ sku: 'M', quantity: 1 }],
          },
          {
            packageNo: 2,
            kind: 'parcel',
            weightGrams: 45_000,
            isHazardous: false,
            contents: [{ sku: 'M', quantity: 1 }],
          },
          {
            packageNo: 3,
            kind: 'parcel',
            weightGrams: 5_000,
            isHazardous: false,
            contents: [{ sku: 'B', quantity: 5 }],
          },
        ],
        totalWeightGrams: 95_000,
      },
    },
    {
      promise: 'keeps parcels at exactly the palletize threshold',
      lines: [line('A', 15, 10_000)],
      expected: {
        packages: [1, 2, 3, 4, 5].map((packageNo) => ({
          packageNo,
          kind: 'parcel',
          weightGrams: 30_000,
          isHazardous: false,
          contents: [{ sku: 'A', quantity: 3 }],
        })),
        totalWeightGrams: 150_000,
      },
    },
    {
      promise: 'palletizes a shipment one gram above the threshold',
      lines: [line('A', 15, 10_000), line('B', 1, 1)],
      expected: {
        packages: [
          {
            packageNo: 1,
            kind: 'pallet',
            weightGrams: 150_001,
            isHazardous: false,
            contents: [
              { sku: 'A', quantity: 15 },
              { sku: 'B', quantity: 1 },
            ],
          },
        ],
        totalWeightGrams: 150_001,
      },
    },
    {
      promise: 'starts a new pallet at the pallet limit',
      lines: [line('A', 100, 10_000)],
      expected: {
        packages: [
          {
            packageNo: 1,
            kind: 'pallet',
            weightGrams: 900_000,
            isHazardous: false,
            contents: [{ sku: 'A', quantity: 90 }],
          },
          {
            packageNo: 2,
            kind: 'pallet',
            weightGrams: 100_000,
            isHazardous: false,
            contents: [{ sku: 'A', quantity: 10 }],
          },
        ],
        totalWeightGrams: 1_000_000,
      },
    },
    {
      promise: 'packs hazardous goods apart from other goods, numbered after them, even when they would fit together',
      lines: [line('H', 1, 1_000, true), line('A', 2, 1_000), line('H2', 1, 500, true)],
      expected: {
        packages: [
          {
            packageNo: 1,
            kind: 'parcel',
            weightGrams: 2_000,
            isHazardous: false,
            contents: [{ sku: 'A', quantity: 2 }],
          },
          {
            packageNo: 2,
            kind: 'parcel',
            weightGrams: 1_500,
            isHazardous: true,
            contents: [
              { sku: 'H', quantity: 1 },
              { sku: 'H2', quantity: 1 },
            ],
          },
        ],
        totalWeightGrams: 3_500,
      },
    },
    {
      promise: 'merges repeated SKU lines in a package and skips zero-quantity lines',
      lines: [line('A', 2, 1_000), line('Z', 0, 5_000), line('A', 3, 1_000)],
      expected: {
        packages: [
          {
            packageNo: 1,
            kind: 'parcel',
            weightGrams: 5_000,
            isHazardous: false,
            contents: [{ sku: 'A', quantity: 5 }],
          },
        ],
        totalWeightGrams: 5_000,
      },
    },
  ])('$promise', ({ lines, expected }) => {
    expect(packShipment(lines)).toEqual(expected);
  });

  it('honours custom limits', () => {
    const result = packShipment([line('A', 5, 1_000)], {
      parcelMaxGrams: 2_000,
      palletMaxGrams: 10_000,
      palletizeAboveGrams: 4_000,
    });
    expect(result.packages.map((p) => [p.kind, p.weightGrams])).toEqual([['pallet', 5_000]]);
    expect(
      packShipment([line('A', 4, 1_000)], {
        ...DEFAULT_PACKING_LIMITS,
        parcelMaxGrams: 2_000,
        palletizeAboveGrams: 4_000,
      }).packages.map((p) => p.weightGrams),
    ).toEqual([2_000, 2_000]);
  });

  it.each([
    { lines: [line('A', -1, 1_000)], message: 'SKU "A" quantity must be an integer >= 0 (got -1)' },
    { lines: [line('A', 1, 2.5)], message: 'SKU "A" unitWeightGrams must be an integer >= 0 (got 2.5)' },
  ])('throws on malformed input: $message', ({ lines, message }) => {
    expect(() => packShipment(lines)).toThrow(message);
  });

  it.each([
    {
      mode: 'parcels',
      lines: [
        line('A', 7, 7_300),
        line('B', 1, 31_000),
        line('C', 40, 250, true),
        line('D', 3, 12_345),
        line('E', 3, 0),
      ],
    },
    {
      mode: 'pallets',
      lines: [
        line('A', 37, 7_300),
        line('B', 11, 31_000),
        line('C', 200, 250, true),
        line('D', 90, 12_345),
        line('X', 1, 950_000),
      ],
    },
  ])(
    'packs every unit exactly once, within the limit unless alone, with weights summing to the total ($mode)',
    ({ lines }) => {
      const { packages, totalWeightGrams } = packShipment(lines);
      expect(packages.reduce((sum, p) => sum + p.weightGrams, 0)).toBe(totalWeightGrams);
      for (const l of lines) {
        const packed = packages
          .flatMap((p) => p.contents)
          .filter((c) => c.sku === l.sku)
          .reduce((sum, c) => sum + c.quantity, 0);
        expect(packed).toBe(l.quantity);
      }
      for (const p of packages) {
        const units = p.contents.reduce((sum, c) => sum + c.quantity, 0);
        const maxGrams =
          p.kind === 'parcel' ? DEFAULT_PACKING_LIMITS.parcelMaxGrams : DEFAULT_PACKING_LIMITS.palletMaxGrams;
        if (units > 1) expect(p.weightGrams).toBeLessThanOrEqual(maxGrams);
        expect(p.contents.every((c) => (c.sku === 'C') === p.isHazardous)).toBe(true);
      }
      expect(packages.map((p) => p.packageNo)).toEqual(packages.map((_, i) => i + 1));
    },
  );
});
