/**
 * Packing a shipment into parcels or pallets by weight. Weights are integer grams. The plan is a
 * deterministic estimate for carrier selection and labels, not a cartonization engine: it knows weights,
 * not dimensions.
 */

export interface PackingLine {
  sku: string;
  quantity: number;
  unitWeightGrams: number;
  isHazardous: boolean;
}

export interface PackingLimits {
  parcelMaxGrams: number;
  palletMaxGrams: number;
  /** Shipments heavier than this go on pallets; up to it, in parcels. */
  palletizeAboveGrams: number;
}

export const DEFAULT_PACKING_LIMITS: Readonly<PackingLimits> = Object.freeze({
  parcelMaxGrams: 30_000,
  palletMaxGrams: 900_000,
  palletizeAboveGrams: 150_000,
});

export interface Package {
  packageNo: number;
  kind: 'parcel' | 'pallet';
  weightGrams: number;
  /** Hazardous goods never share a package with other goods, so each package is one or the other. */
  isHazardous: boolean;
  contents: { sku: string; quantity: number }[];
}

export interface PackedShipment {
  packages: Package[];
  totalWeightGrams: number;
}

function assertWholeGrams(value: number, what: string, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum)
    throw new RangeError(`${what} must be an integer >= ${minimum} (got ${value})`);
}

interface OpenPackage {
  pkg: Omit<Package, 'packageNo'>;
  /** A unit heavier than the package limit travels alone: nothing else may join it. */
  isClosed: boolean;
}

function put(open: OpenPackage, sku: string, quantity: number, unitWeightGrams: number): void {
  open.pkg.weightGrams += quantity * unitWeightGrams;
  const entry = open.pkg.contents.find((c) => c.sku === sku);
  if (entry) entry.quantity += quantity;
  else open.pkg.contents.push({ sku, quantity });
}

function packGroup(
  lines: readonly PackingLine[],
  kind: Package['kind'],
  maxGrams: number,
  isHazardous: boolean,
): OpenPackage[] {
  // Heaviest first, then first fit: the classic bin-packing heuristic, and deterministic.
  const sorted = lines
    .map((line, index) => ({ line, index }))
    .sort(
      (a, b) =>
        b.line.unitWeightGrams - a.line.unitWeightGrams ||
        (a.line.sku < b.line.sku ? -1 : a.line.sku > b.line.sku ? 1 : 0) ||
        a.index - b.index,
    )
    .map(({ line }) => line);

  const packages: OpenPackage[] = [];
  const openNew = (isClosed: boolean): OpenPackage => {
    const created: OpenPackage = { pkg: { kind, weightGrams: 0, isHazardous, contents: [] }, isClosed };
    packages.push(created);
    return created;
  };

  for (const { sku, quantity, unitWeightGrams } of sorted) {
    let left = quantity;
    if (unitWeightGrams > maxGrams) {
      // Never split a unit: each one over the limit gets a package of its own.
      for (; left > 0; left -= 1) put(openNew(true), sku, 1, unitWeightGrams);
      continue;
    }
    const unitsFitting = (freeGrams: number): number =>
      unitWeightGrams === 0 ? left : Math.floor(freeGrams / unitWeightGrams);
    for (const open of packages) {
      if (left === 0) break;
      if (open.isClosed) continue;
      const take = Math.min(left, unitsFitting(maxGrams - open.pkg.weightGrams));
      if (take <= 0) continue;
      put(open, sku, take, unitWeightGrams);
      left -= take;
    }
    while (left > 0) {
      const take = Math.min(left, unitsFitting(maxGrams));
      put(openNew(false), sku, take, unitWeightGrams);
      left -= take;
    }
  }
  return packages;
}

/**
 * Packs shipment lines into numbered packages. Needs non-negative integer quantities and weights and
 * positive limits (throws otherwise); `limits` defaults to `DEFAULT_PACKING_LIMITS`. The whole shipment
 * goes in parcels when its total weight is at most `palletizeAboveGrams`, otherwise on pallets; packages
 * are filled heaviest unit first, first fit, up to the parcel or pallet limit. Promises: a unit is never
 * split, and a unit heavier than the limit travels alone in its own (overweight) package; hazardous and
 * non-hazardous goods never share a package (non-hazardous packages are numbered first); every unit is
 * packed exactly once and package weights sum to `totalWeightGrams`; packages are numbered from 1.
 */
export function packShipment(
  lines: readonly PackingLine[],
  limits: PackingLimits = DEFAULT_PACKING_LIMITS,
): PackedShipment {
  assertWholeGrams(limits.parcelMaxGrams, 'parcelMaxGrams', 1);
  assertWholeGrams(limits.palletMaxGrams, 'palletMaxGrams', 1);
  assertWholeGrams(limits.palletizeAboveGrams, 'palletizeAboveGrams', 0);
  let totalWeightGrams = 0;
  for (const line of lines) {
    assertWholeGrams(line.quantity, `SKU "${line.sku}" quantity`, 0);
    assertWholeGrams(line.unitWeightGrams, `SKU "${line.sku}" unitWeightGrams`, 0);
    totalWeightGrams += line.quantity * line.unitWeightGrams;
    if (!Number.isSafeInteger(totalWeightGrams))
      throw new RangeError('total shipment weight exceeds the exact integer range');
  }

  const isPalletized = totalWeightGrams > limits.palletizeAboveGrams;
  const kind: Package['kind'] = isPalletized ? 'pallet' : 'parcel';
  const maxGrams = isPalletized ? limits.palletMaxGrams : limits.parcelMaxGrams;
  const withUnits = lines.filter((line) => line.quantity > 0);
  const packed = [
    ...packGroup(
      withUnits.filter((line) => !line.isHazardous),
      kind,
      maxGrams,
      false,
    ),
    ...packGroup(
      withUnits.filter((line) => line.isHazardous),
      kind,
      maxGrams,
      true,
    ),
  ];
  return {
    packages: packed.map(({ pkg }, index) => ({ packageNo: index + 1, ...pkg })),
    totalWeightGrams,
  };
}
