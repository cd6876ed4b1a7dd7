import { pickLots, qualifyingQuantity, type Lot } from '../../../domain/fulfillment/lots';

const TODAY = '2025-06-02';
const lot = (lotId: string, quantity: number, expiryDate: string | null): Lot => ({ lotId, quantity, expiryDate });

describe('pickLots', () => {
  it.each([
    {
      promise: 'picks the soonest-expiring lot first',
      lots: [lot('L4', 3, '2025-07-02'), lot('L3', 4, '2025-06-12')],
      quantity: 5,
      minDays: 0,
      expected: {
        picks: [
          { lotId: 'L3', quantity: 4, expiryDate: '2025-06-12' },
          { lotId: 'L4', quantity: 1, expiryDate: '2025-07-02' },
        ],
        shortfall: 0,
        excluded: [],
      },
    },
    {
      promise: 'skips lots expired before today and lots expiring today',
      lots: [lot('L1', 5, '2025-06-01'), lot('L2', 5, '2025-06-02'), lot('L3', 5, '2025-06-03')],
      quantity: 2,
      minDays: 0,
      expected: {
        picks: [{ lotId: 'L3', quantity: 2, expiryDate: '2025-06-03' }],
        shortfall: 0,
        excluded: [
          { lotId: 'L1', reason: 'expired' },
          { lotId: 'L2', reason: 'expired' },
        ],
      },
    },
    {
      promise: 'skips a lot with less remaining shelf life than required and accepts exactly the minimum',
      lots: [lot('L3', 5, '2025-06-12'), lot('L4', 5, '2025-07-02')],
      quantity: 2,
      minDays: 30,
      expected: {
        picks: [{ lotId: 'L4', quantity: 2, expiryDate: '2025-07-02' }],
        shortfall: 0,
        excluded: [{ lotId: 'L3', reason: 'shelf-life' }],
      },
    },
    {
      promise: 'reports a shortfall when the only stock left is too short-dated',
      lots: [lot('L3', 5, '2025-06-12'), lot('L4', 5, '2025-07-02'), lot('L1', 9, '2025-05-01')],
      quantity: 2,
      minDays: 31,
      expected: {
        picks: [],
        shortfall: 2,
        excluded: [
          { lotId: 'L1', reason: 'expired' },
          { lotId: 'L3', reason: 'shelf-life' },
          { lotId: 'L4', reason: 'shelf-life' },
        ],
      },
    },
    {
      promise: 'uses lots without expiry only after dated lots, whatever the minimum shelf life',
      lots: [lot('L5', 10, null), lot('L4', 2, '2025-07-02')],
      quantity: 5,
      minDays: 10,
      expected: {
        picks: [
          { lotId: 'L4', quantity: 2, expiryDate: '2025-07-02' },
          { lotId: 'L5', quantity: 3, expiryDate: null },
        ],
        shortfall: 0,
        excluded: [],
      },
    },
    {
      promise: 'breaks ties by lot id, for dated and undated lots alike',
      lots: [lot('N-b', 1, null), lot('D-b', 1, '2025-07-02'), lot('N-a', 1, null), lot('D-a', 1, '2025-07-02')],
      quantity: 4,
      minDays: 0,
      expected: {
        picks: [
          { lotId: 'D-a', quantity: 1, expiryDate: '2025-07-02' },
          { lotId: 'D-b', quantity: 1, expiryDate: '2025-07-02' },
          { lotId: 'N-a', quantity: 1, expiryDate: null },
          { lotId: 'N-b', quantity: 1, expiryDate: null },
        ],
        shortfall: 0,
        excluded: [],
      },
    },
    {
      promise: 'picks everything eligible and reports the rest as shortfall',
      lots: [lot('L3', 2, '2025-06-12'), lot('L4', 3, '2025-07-02')],
      quantity: 8,
      minDays: 0,
      expected: {
        picks: [
          { lotId: 'L3', quantity: 2, expiryDate: '2025-06-12' },
          { lotId: 'L4', quantity: 3, expiryDate: '2025-07-02' },
        ],
        shortfall: 3,
        excluded: [],
      },
    },
    {
      promise: 'skips empty lots without listing them as excluded',
      lots: [lot('L3', 0, '2025-06-12'), lot('L4', 3, '2025-07-02')],
      quantity: 1,
      minDays: 0,
      expected: { picks: [{ lotId: 'L4', quantity: 1, expiryDate: '2025-07-02' }], shortfall: 0, excluded: [] },
    },
    {
      promise: 'picks nothing for quantity 0 but still lists ineligible lots',
      lots: [lot('L1', 5, '2025-06-01'), lot('L4', 3, '2025-07-02')],
      quantity: 0,
      minDays: 0,
      expected: { picks: [], shortfall: 0, excluded: [{ lotId: 'L1', reason: 'expired' }] },
    },
    {
      promise: 'reports the whole quantity as shortfall when there are no lots',
      lots: [],
      quantity: 4,
      minDays: 0,
      expected: { picks: [], shortfall: 4, excluded: [] },
    },
  ])('$promise', ({ lots, quantity, minDays, expected }) => {
    expect(pickLots({ lots, quantity, today: TODAY, minRemainingShelfLifeDays: minDays })).toEqual(expected);
  });

  it.each([
    { quantity: -1, minDays: 0, lots: [], message: 'quantity must be a non-negative integer (got -1)' },
    {
      quantity: 1,
      minDays: -3,
      lots: [],
      message: 'minRemainingShelfLifeDays must be a non-negative integer (got -3)',
    },
    {
      quantity: 1,
      minDays: 0,
      lots: [lot('L1', 2.5, null)],
      message: 'lot L1 quantity must be a non-negative integer (got 2.5)',
    },
    {
      quantity: 1,
      minDays: 0,
      lots: [lot('L1', 2, '2025-6-30')],
      message: 'lot L1 expiryDate must be a calendar date as YYYY-MM-DD (got "2025-6-30")',
    },
  ])('throws on malformed input: $message', ({ quantity, minDays, lots, message }) => {
    expect(() => pickLots({ lots, quantity, today: TODAY, minRemainingShelfLifeDays: minDays })).toThrow(message);
  });
});

describe('qualifyingQuantity', () => {
  it.each([
    {
      promise: 'counts every unit of lots with enough shelf life',
      lots: [lot('L1', 5, '2025-12-01'), lot('L2', 3, null)],
      minDays: 90,
      expected: 8,
    },
    {
      promise: 'leaves out expired lots and lots expiring today',
      lots: [lot('L1', 5, '2025-06-01'), lot('L2', 4, '2025-06-02'), lot('L3', 2, '2025-06-03')],
      minDays: 0,
      expected: 2,
    },
    {
      promise: 'leaves out lots short of the minimum and counts exactly the minimum',
      lots: [lot('L1', 5, '2025-07-01'), lot('L2', 7, '2025-07-02')],
      minDays: 30,
      expected: 7,
    },
    {
      promise: 'counts what a 180-day customer can take of the demo drums (316 on hand, 300 qualify)',
      lots: [lot('IPA-OLD', 16, '2025-09-01'), lot('IPA-NEW', 300, '2026-06-02')],
      minDays: 180,
      expected: 300,
    },
    { promise: 'is 0 without lots', lots: [], minDays: 0, expected: 0 },
  ])('$promise', ({ lots, minDays, expected }) => {
    expect(qualifyingQuantity({ lots, today: TODAY, minRemainingShelfLifeDays: minDays })).toBe(expected);
  });

  it('throws on a malformed lot, as a pick would', () => {
    expect(() =>
      qualifyingQuantity({ lots: [lot('L1', 2, '2025-6-30')], today: TODAY, minRemainingShelfLifeDays: 0 }),
    ).toThrow('lot L1 expiryDate must be a calendar date as YYYY-MM-DD (got "2025-6-30")');
  });
});
