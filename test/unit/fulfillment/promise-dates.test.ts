import { promiseDates } from '../../../domain/fulfillment/promise-dates';

const HOLIDAYS = new Set(['2025-12-25', '2025-12-26', '2026-01-01']);

describe('promiseDates', () => {
  it.each([
    {
      promise: 'ships in-stock goods after handling and delivers after transit',
      today: '2025-06-02',
      availableDate: '2025-06-02',
      handling: 1,
      transit: 2,
      ship: '2025-06-03',
      delivery: '2025-06-05',
    },
    {
      promise: 'counts handling from a future available date',
      today: '2025-06-02',
      availableDate: '2025-06-10',
      handling: 1,
      transit: 3,
      ship: '2025-06-11',
      delivery: '2025-06-16',
    },
    {
      promise: 'never promises from an available date in the past',
      today: '2025-06-02',
      availableDate: '2025-05-20',
      handling: 0,
      transit: 0,
      ship: '2025-06-02',
      delivery: '2025-06-02',
    },
    {
      promise: 'starts handling on Monday for goods available on a Saturday',
      today: '2025-06-02',
      availableDate: '2025-06-07',
      handling: 0,
      transit: 1,
      ship: '2025-06-09',
      delivery: '2025-06-10',
    },
    {
      promise: 'ships a Friday order with one handling day on Monday',
      today: '2025-06-06',
      availableDate: '2025-06-06',
      handling: 1,
      transit: 1,
      ship: '2025-06-09',
      delivery: '2025-06-10',
    },
    {
      promise: 'spans the Christmas holidays and the weekend in transit',
      today: '2025-12-23',
      availableDate: '2025-12-23',
      handling: 1,
      transit: 1,
      ship: '2025-12-24',
      delivery: '2025-12-29',
    },
    {
      promise: 'starts handling after a holiday on which goods arrive',
      today: '2025-12-22',
      availableDate: '2025-12-25',
      handling: 1,
      transit: 2,
      ship: '2025-12-30',
      delivery: '2026-01-02',
    },
  ])('$promise', ({ today, availableDate, handling, transit, ship, delivery }) => {
    expect(
      promiseDates({
        today,
        availableDate,
        handlingBusinessDays: handling,
        transitBusinessDays: transit,
        holidays: HOLIDAYS,
      }),
    ).toEqual({
      promisedShipDate: ship,
      promisedDeliveryDate: delivery,
    });
  });

  it.each([
    { handling: -1, transit: 0, message: 'n must be >= 0 business days (got -1)' },
    { handling: 0, transit: 0.5, message: 'n must be a whole number of days (got 0.5)' },
  ])('refuses negative or fractional day counts: $message', ({ handling, transit, message }) => {
    expect(() =>
      promiseDates({
        today: '2025-06-02',
        availableDate: '2025-06-02',
        handlingBusinessDays: handling,
        transitBusinessDays: transit,
        holidays: HOLIDAYS,
      }),
    ).toThrow(message);
  });
});
