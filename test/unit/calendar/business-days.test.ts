import {
  addBusinessDays,
  addCalendarDays,
  daysBetween,
  isBusinessDay,
  isIsoDate,
  maxDate,
  nextBusinessDay,
} from '../../../domain/calendar/business-days';

// 2025-12-25 (Thu) and 2025-12-26 (Fri) are holidays, so Christmas week ends on Wednesday the 24th.
const CHRISTMAS = new Set(['2025-12-25', '2025-12-26', '2026-01-01']);
const NONE = new Set<string>();

describe('isBusinessDay', () => {
  it.each([
    { date: '2025-06-02', holidays: NONE, expected: true, what: 'a Monday' },
    { date: '2025-06-06', holidays: NONE, expected: true, what: 'a Friday' },
    { date: '2025-06-07', holidays: NONE, expected: false, what: 'a Saturday' },
    { date: '2025-06-08', holidays: NONE, expected: false, what: 'a Sunday' },
    { date: '2025-12-25', holidays: CHRISTMAS, expected: false, what: 'a weekday holiday' },
    { date: '2025-12-25', holidays: NONE, expected: true, what: 'a weekday not in the holiday set' },
  ])('$date, $what, is a business day: $expected', ({ date, holidays, expected }) => {
    expect(isBusinessDay(date, holidays)).toBe(expected);
  });
});

describe('addBusinessDays', () => {
  it.each([
    {
      date: '2025-06-02',
      n: 0,
      holidays: NONE,
      expected: '2025-06-02',
      why: 'n = 0 on a business day is the day itself',
    },
    { date: '2025-06-07', n: 0, holidays: NONE, expected: '2025-06-09', why: 'n = 0 on a Saturday rolls to Monday' },
    { date: '2025-06-08', n: 0, holidays: NONE, expected: '2025-06-09', why: 'n = 0 on a Sunday rolls to Monday' },
    {
      date: '2025-12-25',
      n: 0,
      holidays: CHRISTMAS,
      expected: '2025-12-29',
      why: 'n = 0 on a holiday rolls past the holiday and the weekend',
    },
    { date: '2025-06-02', n: 1, holidays: NONE, expected: '2025-06-03', why: 'Monday + 1 is Tuesday' },
    { date: '2025-06-06', n: 1, holidays: NONE, expected: '2025-06-09', why: 'Friday + 1 skips the weekend' },
    {
      date: '2025-06-04',
      n: 5,
      holidays: NONE,
      expected: '2025-06-11',
      why: 'a full working week is seven calendar days',
    },
    {
      date: '2025-06-07',
      n: 1,
      holidays: NONE,
      expected: '2025-06-10',
      why: 'Saturday + 1 counts from Monday, so Tuesday',
    },
    {
      date: '2025-12-24',
      n: 1,
      holidays: CHRISTMAS,
      expected: '2025-12-29',
      why: 'Wednesday + 1 spans a two-day holiday and a weekend',
    },
    {
      date: '2025-12-24',
      n: 3,
      holidays: CHRISTMAS,
      expected: '2025-12-31',
      why: 'spans the holidays and keeps counting',
    },
    { date: '2025-12-31', n: 1, holidays: CHRISTMAS, expected: '2026-01-02', why: 'spans a year end holiday' },
    {
      date: '2025-12-24',
      n: 1,
      holidays: NONE,
      expected: '2025-12-25',
      why: 'without the calendar the holiday is a plain Thursday',
    },
  ])('$why: $date + $n is $expected', ({ date, n, holidays, expected }) => {
    expect(addBusinessDays(date, n, holidays)).toBe(expected);
  });

  it.each([
    ['2025-06-07', 2, 3],
    ['2025-12-24', 1, 4],
    ['2025-12-25', 0, 2],
  ])('adds in steps the same as at once: add(add(%s, %i), %i)', (date, a, b) => {
    expect(addBusinessDays(addBusinessDays(date, a, CHRISTMAS), b, CHRISTMAS)).toBe(
      addBusinessDays(date, a + b, CHRISTMAS),
    );
  });

  it.each([
    ['2025-06-02', -1, 'n must be >= 0 business days (got -1)'],
    ['2025-06-02', 1.5, 'n must be a whole number of days (got 1.5)'],
    ['2025-02-30', 1, 'date must be a calendar date as YYYY-MM-DD (got "2025-02-30")'],
    ['06/02/2025', 1, 'date must be a calendar date as YYYY-MM-DD (got "06/02/2025")'],
  ])('refuses %s + %s with a message naming the value', (date, n, message) => {
    expect(() => addBusinessDays(date, n, NONE)).toThrow(message);
  });
});

describe('nextBusinessDay', () => {
  it.each([
    { date: '2025-06-02', holidays: NONE, expected: '2025-06-03', why: 'is strictly after a business day' },
    { date: '2025-06-06', holidays: NONE, expected: '2025-06-09', why: 'skips the weekend' },
    { date: '2025-06-07', holidays: NONE, expected: '2025-06-09', why: 'from a Saturday is Monday' },
    { date: '2025-12-24', holidays: CHRISTMAS, expected: '2025-12-29', why: 'skips holidays and the weekend' },
  ])('$why: after $date comes $expected', ({ date, holidays, expected }) => {
    expect(nextBusinessDay(date, holidays)).toBe(expected);
  });
});

describe('calendar day arithmetic', () => {
  it.each([
    ['2025-06-02', 0, '2025-06-02'],
    ['2025-06-02', 7, '2025-06-09'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-03-30', 1, '2025-03-31'],
  ])('%s + %i calendar days is %s, whatever the DST rules of the machine', (date, n, expected) => {
    expect(addCalendarDays(date, n)).toBe(expected);
  });

  it.each([
    ['2025-06-02', '2025-06-02', 0],
    ['2025-06-02', '2025-06-09', 7],
    ['2025-06-09', '2025-06-02', -7],
    ['2024-02-01', '2024-03-01', 29],
    ['2025-01-01', '2026-01-01', 365],
  ])('from %s to %s is %i days', (a, b, expected) => {
    expect(daysBetween(a, b)).toBe(expected);
  });

  it.each([
    ['2025-06-02', '2025-06-09', '2025-06-09'],
    ['2025-06-09', '2025-06-02', '2025-06-09'],
    ['2025-06-02', '2025-06-02', '2025-06-02'],
    ['2025-12-31', '2026-01-01', '2026-01-01'],
  ])('the later of %s and %s is %s', (a, b, expected) => {
    expect(maxDate(a, b)).toBe(expected);
  });

  it.each([
    ['2025-06-02', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-13-01', false],
    ['2025-6-2', false],
    ['2025-06-02T00:00:00Z', false],
    ['', false],
  ])('recognizes %j as a calendar date: %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});
