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
    [
      { country: 'CA', region: 'ON' },
      { found: true, rateBp: 1300, matchedOn: 'region' },
      'a region rate beats the country rate',
    ],
    [
      { country: 'CA', region: 'QC' },
      { found: true, rateBp: 500, matchedOn: 'country' },
      'a region without its own rate falls back to the country',
    ],
    [{ country: 'CA' }, { found: true, rateBp: 500, matchedOn: 'country' }, 'no region uses the country rate'],
    [
      { country: 'US', region: 'CA' },
      { found: true, rateBp: 725, matchedOn: 'region' },
      'region codes are scoped to their country',
    ],
    [
      { country: 'us', region: ' tx ' },
      { found: true, rateBp: 625, matchedOn: 'region' },
      'codes compare case-insensitively',
    ],
    [
      { country: 'DE' },
      { found: true, rateBp: 1900, matchedOn: 'country' },
      'the first of two rows for the same place wins',
    ],
  ])('%p -> %p (%s)', (location, expected, _why) => {
    expect(taxRateFor(RATES, location)).toEqual(expected);
  });

  it.each<[{ country: string; region?: string }, string]>([
    [{ country: 'US', region: 'NV' }, 'region "NV" of US'],
    [{ country: 'US', region: 'Nevada' }, 'region "Nevada" of US'],
    [{ country: 'US' }, 'US (no region given)'],
    [{ country: 'FR' }, 'FR (no region given)'],
  ])('%p has no rate: a reason naming %s, never a silent 0 %%', (location, place) => {
    const lookup = taxRateFor(RATES, location);
    expect(lookup.found).toBe(false);
    expect(lookup).not.toHaveProperty('rateBp');
    if (!lookup.found) expect(lookup.reason).toContain(place);
  });

  it('applies a configured default only where no row matches', () => {
    expect(taxRateFor(RATES, { country: 'US', region: 'NV' }, { defaultRateBp: 600 })).toEqual({
      found: true,
      rateBp: 600,
      matchedOn: 'default',
    });
    expect(taxRateFor(RATES, { country: 'US', region: 'TX' }, { defaultRateBp: 600 })).toEqual({
      found: true,
      rateBp: 625,
      matchedOn: 'region',
    });
    expect(taxRateFor(RATES, { country: 'US', region: 'NV' }, { defaultRateBp: 0 })).toEqual({
      found: true,
      rateBp: 0,
      matchedOn: 'default',
    });
  });
});
