import { lineOtif, otifRate, type DeliveryException } from '../../../domain/fulfillment/otif';

const PROMISED = '2025-06-10';

describe('lineOtif', () => {
  it.each<{
    promise: string;
    ordered: number;
    delivered: number;
    deliveredDate: string | null;
    exceptions: DeliveryException[];
    expected: ReturnType<typeof lineOtif>;
  }>([
    {
      promise: 'counts a complete delivery on the promised day as on time in full',
      ordered: 10,
      delivered: 10,
      deliveredDate: PROMISED,
      exceptions: [],
      expected: { isOnTime: true, isInFull: true, goodQuantity: 10 },
    },
    {
      promise: 'counts an early delivery as on time',
      ordered: 10,
      delivered: 10,
      deliveredDate: '2025-06-09',
      exceptions: [],
      expected: { isOnTime: true, isInFull: true, goodQuantity: 10 },
    },
    {
      promise: 'counts a delivery one day late as not on time',
      ordered: 10,
      delivered: 10,
      deliveredDate: '2025-06-11',
      exceptions: [],
      expected: { isOnTime: false, isInFull: true, goodQuantity: 10 },
    },
    {
      promise: 'does not subtract a short exception again, the delivered quantity already shows it',
      ordered: 10,
      delivered: 8,
      deliveredDate: PROMISED,
      exceptions: [{ type: 'short', quantity: 2 }],
      expected: { isOnTime: true, isInFull: false, goodQuantity: 8 },
    },
    {
      promise: 'subtracts damaged and wrong-item units from the good quantity',
      ordered: 10,
      delivered: 10,
      deliveredDate: PROMISED,
      exceptions: [
        { type: 'damaged', quantity: 1 },
        { type: 'wrong-item', quantity: 2 },
      ],
      expected: { isOnTime: true, isInFull: false, goodQuantity: 7 },
    },
    {
      promise: 'never reports a negative good quantity',
      ordered: 5,
      delivered: 3,
      deliveredDate: PROMISED,
      exceptions: [{ type: 'damaged', quantity: 4 }],
      expected: { isOnTime: true, isInFull: false, goodQuantity: 0 },
    },
    {
      promise: 'counts an over-delivery that covers damaged units as in full',
      ordered: 10,
      delivered: 12,
      deliveredDate: PROMISED,
      exceptions: [{ type: 'damaged', quantity: 2 }],
      expected: { isOnTime: true, isInFull: true, goodQuantity: 10 },
    },
    {
      promise: 'counts a line not yet delivered as neither on time nor in full',
      ordered: 10,
      delivered: 0,
      deliveredDate: null,
      exceptions: [],
      expected: { isOnTime: false, isInFull: false, goodQuantity: 0 },
    },
  ])('$promise', ({ ordered, delivered, deliveredDate, exceptions, expected }) => {
    expect(
      lineOtif({
        orderedQuantity: ordered,
        deliveredQuantity: delivered,
        promisedDeliveryDate: PROMISED,
        deliveredDate,
        exceptions,
      }),
    ).toEqual(expected);
  });

  it.each([
    { delivered: -1, deliveredDate: PROMISED, message: 'deliveredQuantity must be a non-negative integer (got -1)' },
    { delivered: 1, deliveredDate: '10/06/2025', message: 'dates must be YYYY-MM-DD (got "10/06/2025")' },
  ])('refuses malformed input: $message', ({ delivered, deliveredDate, message }) => {
    expect(() =>
      lineOtif({
        orderedQuantity: 1,
        deliveredQuantity: delivered,
        promisedDeliveryDate: PROMISED,
        deliveredDate,
        exceptions: [],
      }),
    ).toThrow(message);
  });
});

describe('otifRate', () => {
  const hit = { isOnTime: true, isInFull: true };
  const late = { isOnTime: false, isInFull: true };
  const short = { isOnTime: true, isInFull: false };
  it.each([
    { promise: 'is 10000 bp when every line is on time in full', lines: [hit, hit], expected: 10_000 },
    {
      promise: 'counts a line only when it is both on time and in full',
      lines: [hit, late, short, hit],
      expected: 5_000,
    },
    { promise: 'rounds down, so one miss keeps the rate below 100%', lines: [hit, hit, late], expected: 6_666 },
    {
      promise: 'stays below 10000 bp with one miss in 30000 lines',
      lines: [...Array<typeof hit>(29_999).fill(hit), late],
      expected: 9_999,
    },
    { promise: 'is 0 bp when no line is on time in full', lines: [late, short], expected: 0 },
    { promise: 'is null, not 0 or 100%, for no lines', lines: [], expected: null },
  ])('$promise', ({ lines, expected }) => {
    expect(otifRate(lines)).toBe(expected);
  });
});
