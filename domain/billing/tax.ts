/**
 * Sales-tax rate lookup by ship-to location. The rate table is data (loaded by an activity); this module
 * only decides which row applies.
 */

/** One row of the rate table: a country-wide rate when `region` is absent, else a region's rate. */
export interface TaxRate {
  /** ISO 3166-1 alpha-2 country code, e.g. "US". */
  country: string;
  /** Region (state, province) code within the country, e.g. "CA"; absent for the country-wide rate. */
  region?: string;
  rateBp: number;
}

export type TaxRateLookup =
  | { found: true; rateBp: number; matchedOn: 'region' | 'country' | 'default' }
  /** No rate: never "0 %" by accident. `reason` names the place, for the person who adds the rate. */
  | { found: false; reason: string };

const normalize = (code: string): string => code.trim().toUpperCase();

/**
 * Returns the tax rate for a ship-to location: the region-specific row when one matches (it beats the
 * country-wide rate), else the country-wide row, else the configured `defaultRateBp` when there is
 * one, else `{ found: false, reason }` naming the country and region: a destination nobody configured
 * is a question for a person, not a silent 0 %. Needs the rate table and the location; codes compare
 * case-insensitively, ignoring surrounding spaces (a free-text region such as "Nevada" does not
 * match "NV": it is not found, and the reason quotes it). Promises a deterministic answer: should the
 * table hold two rows for the same place, the first one wins.
 */
export function taxRateFor(
  rates: readonly TaxRate[],
  location: { country: string; region?: string },
  options: { defaultRateBp?: number } = {},
): TaxRateLookup {
  const country = normalize(location.country);
  const region = location.region === undefined ? undefined : normalize(location.region);
  const inCountry = rates.filter((r) => normalize(r.country) === country);
  if (region !== undefined && region !== '') {
    const regional = inCountry.find((r) => r.region !== undefined && normalize(r.region) === region);
    if (regional) return { found: true, rateBp: regional.rateBp, matchedOn: 'region' };
  }
  const countryWide = inCountry.find((r) => r.region === undefined || normalize(r.region) === '');
  if (countryWide) return { found: true, rateBp: countryWide.rateBp, matchedOn: 'country' };
  if (options.defaultRateBp !== undefined) return { found: true, rateBp: options.defaultRateBp, matchedOn: 'default' };
  const place = region ? `region "${location.region!.trim()}" of ${country}` : `${country} (no region given)`;
  return {
    found: false,
    reason: `no sales-tax rate for ${place}: add a tax_rate row for it (or a country-wide one), or configure DEFAULT_TAX_RATE_BP`,
  };
}
