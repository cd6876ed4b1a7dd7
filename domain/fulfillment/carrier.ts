/**
 * Carrier choice: the freight mode a shipment's weight calls for and the cheapest (or, to expedite, the
 * fastest) carrier rate that can legally take it. Weights are integer grams, costs integer minor units.
 */

export type FreightMode = 'parcel' | 'LTL' | 'FTL';

export interface CarrierRate {
  carrierId: string;
  carrierName: string;
  mode: FreightMode;
  minWeightGrams: number;
  maxWeightGrams: number;
  baseMinor: number;
  /** Charged per started kilogram. */
  perKgMinor: number;
  transitBusinessDays: number;
  acceptedHazardClasses: string[];
}

export interface SelectCarrierInput {
  totalWeightGrams: number;
  /** Hazard classes present in the shipment (e.g. '3', '8'); empty for ordinary goods. */
  hazardClasses: readonly string[];
  rates: readonly CarrierRate[];
  /** Expedite: least transit days first, cost second. */
  preferFastest?: boolean;
}

export interface CarrierChoice {
  carrierId: string;
  carrierName: string;
  mode: FreightMode;
  costMinor: number;
  transitBusinessDays: number;
}

export type SelectCarrierResult = { ok: true; choice: CarrierChoice } | { ok: false; reason: string };

export const PARCEL_MAX_GRAMS = 68_000;
export const LTL_MAX_GRAMS = 9_000_000;

function assertGrams(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`totalWeightGrams must be a non-negative integer (got ${value})`);
}

/**
 * Returns the freight mode for a shipment weight: parcel up to 68 kg, LTL (less than truckload) up to
 * 9 t, FTL (full truckload) above. Needs a non-negative integer weight in grams (throws otherwise).
 */
export function modeForWeight(totalGrams: number): FreightMode {
  assertGrams(totalGrams);
  if (totalGrams <= PARCEL_MAX_GRAMS) return 'parcel';
  if (totalGrams <= LTL_MAX_GRAMS) return 'LTL';
  return 'FTL';
}

/** Started kilograms, in integer arithmetic: 1 g and 1000 g bill as 1 kg, 1001 g as 2 kg. */
function billableKg(grams: number): number {
  const remainder = grams % 1000;
  return (grams - remainder) / 1000 + (remainder > 0 ? 1 : 0);
}

/** Cost of a rate for a weight: base plus per-kg price times started kilograms, in minor units. */
export function rateCostMinor(rate: CarrierRate, totalWeightGrams: number): number {
  assertGrams(totalWeightGrams);
  const cost = rate.baseMinor + rate.perKgMinor * billableKg(totalWeightGrams);
  if (!Number.isSafeInteger(cost))
    throw new RangeError(`cost of ${rate.carrierId} for ${totalWeightGrams} g is not an exact integer (got ${cost})`);
  return cost;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Picks the carrier rate for a shipment. Needs a non-negative integer weight (throws otherwise). Eligible
 * rates have the mode `modeForWeight` gives, a weight range containing the weight (both ends inclusive),
 * and accept every hazard class of the shipment. Among them it picks the lowest cost (base plus per-kg
 * times started kilograms), then fewest transit days, then carrierId; with `preferFastest`, fewest transit
 * days, then cost, then carrierId. Promises a deterministic choice, or `ok: false` with a reason that
 * names the weight, mode and hazard classes and how many rates each filter left.
 */
export function selectCarrier(input: SelectCarrierInput): SelectCarrierResult {
  const { totalWeightGrams, hazardClasses, rates } = input;
  const mode = modeForWeight(totalWeightGrams);
  const inMode = rates.filter((rate) => rate.mode === mode);
  const inRange = inMode.filter(
    (rate) => rate.minWeightGrams <= totalWeightGrams && totalWeightGrams <= rate.maxWeightGrams,
  );
  const eligible = inRange.filter((rate) =>
    hazardClasses.every((hazardClass) => rate.acceptedHazardClasses.includes(hazardClass)),
  );

  if (eligible.length === 0) {
    const hazards =
      hazardClasses.length === 0 ? 'no hazard classes' : `hazard classes ${[...new Set(hazardClasses)].join(', ')}`;
    return {
      ok: false,
      reason:
        `no carrier rate fits ${totalWeightGrams} g (${mode}) with ${hazards}: ` +
        `of ${rates.length} rates, ${inMode.length} ${mode}, ${inRange.length} covering the weight, ` +
        `${eligible.length} accepting every hazard class`,
    };
  }

  const ranked = eligible
    .map((rate) => ({ rate, costMinor: rateCostMinor(rate, totalWeightGrams) }))
    .sort((a, b) => {
      const byCost = a.costMinor - b.costMinor;
      const byTransit = a.rate.transitBusinessDays - b.rate.transitBusinessDays;
      const primary = input.preferFastest ? byTransit || byCost : byCost || byTransit;
      return primary || compareText(a.rate.carrierId, b.rate.carrierId);
    });
  const best = ranked[0]!;
  return {
    ok: true,
    choice: {
      carrierId: best.rate.carrierId,
      carrierName: best.rate.carrierName,
      mode: best.rate.mode,
      costMinor: best.costMinor,
      transitBusinessDays: best.rate.transitBusinessDays,
    },
  };
}
