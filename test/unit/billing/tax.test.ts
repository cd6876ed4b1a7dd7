import { taxRateFor, type TaxRate, type TaxRateLookup } from '../../../domain/billing/tax';

const RATES: TaxRate[] = [
  { country: 'CA', rateBp: 500 },
  { country: 'CA', region: 'ON', rateBp: 1300 },
  { country: 'US', region: 'CA', rateBp: 725 },
  { country: 'US', region: 'TX', rateBp: 625 },
  { country: 'DE', rateBp: 1900 },
  { country: 'DE', rateBp: 700 },
];

describe('taxRateFor', () => {
  it.each<[{ country: string; region?: string }, TaxRateLookup, string]>([
    [{ country: 'CA', region: 'ON' }, { found: true, rateBp: 1300, matchedOn: 'region' }, 'a region rate beats the country rate'],
    [{ country: 'CA', region: 'QC' }, { found: true, rateBp: 500, matchedOn: 'country' }, 'a region without its own rate falls back to the country'],
    [{ country: 'CA' }, { found: true, rateBp: 500, matchedOn: 'country' }, 'no region uses the country rate'],
    [{ country: 'US', region: 'CA' }, { found: true, rateBp: 725, matchedOn: 'region' }, 'region codes are scoped to their country'],
    [{ country: 'us', region: ' tx ' }, { found: true, rateBp: 625, matchedOn: 'region' }, 'codes compare case-insensitively'],
    [{ country: 'US', region: 'NY' }, { found: false, rateBp: 0 }, 'a region with neither its own nor a country rate is not found'],
    [{ country: 'US' }, { found: false, rateBp: 0 }, 'region-only countries have no country rate'],
    [{ country: 'FR' }, { found: false, rateBp: 0 }, 'an unknown country is not found and taxed at 0'],
    [{ country: 'DE' }, { found: true, rateBp: 1900, matchedOn: 'country' }, 'the first of two rows for the same place wins'],
  ])('%p -> %p (%s)', (location, expected, _why) => {
    expect(taxRateFor(RATES, location)).toEqual(expected);
  });
});
