import { billingPeriodAt, toBillingPeriodKind } from '../../../domain/billing/billing-period';

describe('billingPeriodAt', () => {
  it('gives the calendar month in UTC, closing at the first instant of the next month', () => {
    expect(billingPeriodAt('monthly', new Date('2026-11-25T10:30:00Z'))).toEqual({
      label: '2026-11',
      startsAt: '2026-11-01T00:00:00.000Z',
      closesAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('rolls December over into the next year', () => {
    expect(billingPeriodAt('monthly', new Date('2026-12-31T23:59:59.999Z'))).toMatchObject({
      label: '2026-12',
      closesAt: '2027-01-01T00:00:00.000Z',
    });
  });

  it('puts the first instant of a month in that month, not the one before', () => {
    expect(billingPeriodAt('monthly', new Date('2026-12-01T00:00:00Z')).label).toBe('2026-12');
  });

  it('gives the ISO week, Monday to Monday, labelled by ISO week number', () => {
    // Wednesday 25 November 2026 is in ISO week 48, which starts on Monday 23 November.
    expect(billingPeriodAt('weekly', new Date('2026-11-25T10:30:00Z'))).toEqual({
      label: '2026-W48',
      startsAt: '2026-11-23T00:00:00.000Z',
      closesAt: '2026-11-30T00:00:00.000Z',
    });
  });

  it('counts Sunday in the week that started on the Monday before', () => {
    expect(billingPeriodAt('weekly', new Date('2026-11-29T23:00:00Z')).label).toBe('2026-W48');
    expect(billingPeriodAt('weekly', new Date('2026-11-30T00:00:00Z')).label).toBe('2026-W49');
  });

  it('labels days of a new calendar year by the ISO week-numbering year', () => {
    // 1 January 2027 is a Friday: ISO week 53 of 2026.
    expect(billingPeriodAt('weekly', new Date('2027-01-01T12:00:00Z'))).toMatchObject({
      label: '2026-W53',
      startsAt: '2026-12-28T00:00:00.000Z',
    });
    // 31 December 2024 is a Tuesday: ISO week 1 of 2025.
    expect(billingPeriodAt('weekly', new Date('2024-12-31T12:00:00Z')).label).toBe('2025-W01');
  });

  it('refuses an unknown kind and an invalid date, naming them', () => {
    expect(() => billingPeriodAt('daily' as never, new Date())).toThrow(/unknown billing period "daily"/);
    expect(() => billingPeriodAt('monthly', new Date('nope'))).toThrow(/valid date/);
  });

  it('reads unknown customer-master values as monthly', () => {
    expect(toBillingPeriodKind('weekly')).toBe('weekly');
    expect(toBillingPeriodKind('fortnightly')).toBe('monthly');
    expect(toBillingPeriodKind(null)).toBe('monthly');
  });
});
