import { modeForWeight, selectCarrier, type CarrierRate } from '../../../domain/fulfillment/carrier';

const rate = (
  carrierId: string,
  mode: CarrierRate['mode'],
  [minWeightGrams, maxWeightGrams]: [number, number],
  baseMinor: number,
  perKgMinor: number,
  transitBusinessDays: number,
  acceptedHazardClasses: string[] = [],
): CarrierRate => ({
  carrierId,
  carrierName: `${carrierId} Freight`,
  mode,
  minWeightGrams,
  maxWeightGrams,
  baseMinor,
  perKgMinor,
  transitBusinessDays,
  acceptedHazardClasses,
});

const RATES: CarrierRate[] = [
  rate('P1', 'parcel', [0, 68_000], 500, 100, 3, ['9']),
  rate('P2', 'parcel', [0, 30_000], 1_500, 50, 1),
  rate('P3', 'parcel', [0, 68_000], 900, 120, 4, ['3', '8', '9']),
  rate('L1', 'LTL', [68_001, 9_000_000], 10_000, 20, 5, ['3']),
  rate('L2', 'LTL', [68_001, 5_000_000], 15_000, 25, 4, ['3', '8']),
  rate('F1', 'FTL', [9_000_001, 30_000_000], 200_000, 5, 3),
];

describe('modeForWeight', () => {
  it.each([
    { grams: 0, mode: 'parcel' },
    { grams: 68_000, mode: 'parcel' },
    { grams: 68_001, mode: 'LTL' },
    { grams: 9_000_000, mode: 'LTL' },
    { grams: 9_000_001, mode: 'FTL' },
  ])('ships $grams g by $mode', ({ grams, mode }) => {
    expect(modeForWeight(grams)).toBe(mode);
  });

  it.each([-1, 1.5])('refuses a weight of %p g', (grams) => {
    expect(() => modeForWeight(grams)).toThrow(`totalWeightGrams must be a non-negative integer (got ${grams})`);
  });
});

describe('selectCarrier', () => {
  it.each([
    {
      promise: 'picks the cheapest rate for the weight mode',
      grams: 10_000,
      hazards: [],
      fastest: false,
      carrierId: 'P1',
      costMinor: 1_500,
    },
    {
      promise: 'charges every started kilogram',
      grams: 10_001,
      hazards: [],
      fastest: false,
      carrierId: 'P1',
      costMinor: 1_600,
    },
    {
      promise: 'picks the fewest transit days when expediting',
      grams: 10_000,
      hazards: [],
      fastest: true,
      carrierId: 'P2',
      costMinor: 2_000,
    },
    {
      promise: 'includes a rate at exactly its maximum weight',
      grams: 30_000,
      hazards: [],
      fastest: true,
      carrierId: 'P2',
      costMinor: 3_000,
    },
    {
      promise: 'skips a rate whose weight range does not cover the shipment',
      grams: 30_001,
      hazards: [],
      fastest: true,
      carrierId: 'P1',
      costMinor: 3_600,
    },
    {
      promise: 'keeps only carriers that accept the hazard class',
      grams: 10_000,
      hazards: ['8'],
      fastest: false,
      carrierId: 'P3',
      costMinor: 2_100,
    },
    {
      promise: 'needs a carrier to accept every hazard class, not just one',
      grams: 10_000,
      hazards: ['3', '9'],
      fastest: false,
      carrierId: 'P3',
      costMinor: 2_100,
    },
    {
      promise: 'picks the cheapest LTL rate for an LTL weight',
      grams: 100_000,
      hazards: ['3'],
      fastest: false,
      carrierId: 'L1',
      costMinor: 12_000,
    },
    {
      promise: 'pays more for the only LTL carrier taking both hazard classes',
      grams: 100_000,
      hazards: ['3', '8'],
      fastest: false,
      carrierId: 'L2',
      costMinor: 17_500,
    },
    {
      promise: 'uses full truckload above 9 t',
      grams: 10_000_000,
      hazards: [],
      fastest: false,
      carrierId: 'F1',
      costMinor: 250_000,
    },
  ])('$promise', ({ grams, hazards, fastest, carrierId, costMinor }) => {
    const result = selectCarrier({
      totalWeightGrams: grams,
      hazardClasses: hazards,
      rates: RATES,
      preferFastest: fastest,
    });
    expect(result).toEqual({
      ok: true,
      choice: expect.objectContaining({
        carrierId,
        costMinor,
        carrierName: `${carrierId} Freight`,
        mode: modeForWeight(grams),
      }),
    });
  });

  it.each([
    {
      promise: 'breaks a cost tie by transit days',
      rates: [
        rate('B', 'parcel', [0, 68_000], 1_000, 0, 3),
        rate('A', 'parcel', [0, 68_000], 1_000, 0, 4),
        rate('C', 'parcel', [0, 68_000], 1_000, 0, 2),
      ],
      fastest: false,
      carrierId: 'C',
    },
    {
      promise: 'breaks a cost and transit tie by carrier id',
      rates: [rate('B', 'parcel', [0, 68_000], 1_000, 0, 3), rate('A', 'parcel', [0, 68_000], 1_000, 0, 3)],
      fastest: false,
      carrierId: 'A',
    },
    {
      promise: 'breaks a transit tie by cost when expediting',
      rates: [
        rate('A', 'parcel', [0, 68_000], 2_000, 0, 1),
        rate('B', 'parcel', [0, 68_000], 1_000, 0, 1),
        rate('C', 'parcel', [0, 68_000], 10, 0, 2),
      ],
      fastest: true,
      carrierId: 'B',
    },
  ])('$promise', ({ rates, fastest, carrierId }) => {
    const result = selectCarrier({ totalWeightGrams: 1_000, hazardClasses: [], rates, preferFastest: fastest });
    expect(result.ok && result.choice.carrierId).toBe(carrierId);
  });

  it('returns the full choice, transit days included', () => {
    expect(selectCarrier({ totalWeightGrams: 500, hazardClasses: [], rates: RATES })).toEqual({
      ok: true,
      choice: { carrierId: 'P1', carrierName: 'P1 Freight', mode: 'parcel', costMinor: 600, transitBusinessDays: 3 },
    });
  });

  it.each([
    {
      promise: 'no carrier accepts the hazard class',
      grams: 10_000,
      hazards: ['1.1'],
      rates: RATES,
      reason:
        'no carrier rate fits 10000 g (parcel) with hazard classes 1.1: of 6 rates, 3 parcel, 3 covering the weight, 0 accepting every hazard class',
    },
    {
      promise: 'no FTL carrier takes hazardous goods',
      grams: 10_000_000,
      hazards: ['3', '8'],
      rates: RATES,
      reason:
        'no carrier rate fits 10000000 g (FTL) with hazard classes 3, 8: of 6 rates, 1 FTL, 1 covering the weight, 0 accepting every hazard class',
    },
    {
      promise: 'the only carrier for the hazard class cannot take the weight',
      grams: 6_000_000,
      hazards: ['8'],
      rates: RATES,
      reason:
        'no carrier rate fits 6000000 g (LTL) with hazard classes 8: of 6 rates, 2 LTL, 1 covering the weight, 0 accepting every hazard class',
    },
    {
      promise: 'there are no rates at all',
      grams: 500,
      hazards: [],
      rates: [],
      reason:
        'no carrier rate fits 500 g (parcel) with no hazard classes: of 0 rates, 0 parcel, 0 covering the weight, 0 accepting every hazard class',
    },
  ])(
    'explains, with weight, mode and hazard classes, why nothing fits when $promise',
    ({ grams, hazards, rates, reason }) => {
      expect(selectCarrier({ totalWeightGrams: grams, hazardClasses: hazards, rates })).toEqual({ ok: false, reason });
    },
  );
});
