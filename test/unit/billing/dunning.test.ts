import {
  dunningSchedule,
  isOverTerms,
  overTermsInvoices,
  timeDunning,
  validateDunningPolicy,
  type DunningPolicy,
} from '../../../domain/billing/dunning';

const POLICY: DunningPolicy = {
  remindBeforeDays: [3, 7],
  remindOnDueDate: true,
  overdueSteps: [30, 7, 15],
  escalateAfterDays: 30,
};

describe('dunningSchedule', () => {
  it('lists the steps in the order they happen, with dates and stable keys', () => {
    expect(dunningSchedule('2026-03-31', POLICY)).toEqual([
      { kind: 'before-due', offsetDays: -7, date: '2026-03-24', key: 'before-due-7' },
      { kind: 'before-due', offsetDays: -3, date: '2026-03-28', key: 'before-due-3' },
      { kind: 'on-due', offsetDays: 0, date: '2026-03-31', key: 'on-due' },
      { kind: 'overdue', offsetDays: 7, date: '2026-04-07', key: 'overdue+7' },
      { kind: 'overdue', offsetDays: 15, date: '2026-04-15', key: 'overdue+15' },
      // Same day: the last reminder goes out before the escalation.
      { kind: 'overdue', offsetDays: 30, date: '2026-04-30', key: 'overdue+30' },
      { kind: 'escalation', offsetDays: 30, date: '2026-04-30', key: 'escalation+30' },
    ]);
  });

  it.each([
    [
      'no reminder on the due date',
      { ...POLICY, remindOnDueDate: false },
      ['before-due-7', 'before-due-3', 'overdue+7', 'overdue+15', 'overdue+30', 'escalation+30'],
    ],
    [
      'repeated day counts collapse',
      { ...POLICY, remindBeforeDays: [3, 3], overdueSteps: [7, 7] },
      ['before-due-3', 'on-due', 'overdue+7', 'escalation+30'],
    ],
    [
      'escalation before the last reminder',
      { ...POLICY, escalateAfterDays: 10 },
      ['before-due-7', 'before-due-3', 'on-due', 'overdue+7', 'escalation+10', 'overdue+15', 'overdue+30'],
    ],
    [
      'escalation only',
      { remindBeforeDays: [], remindOnDueDate: false, overdueSteps: [], escalateAfterDays: 60 },
      ['escalation+60'],
    ],
  ])('orders steps by date: %s', (_why, policy, keys) => {
    expect(dunningSchedule('2026-03-31', policy).map((s) => s.key)).toEqual(keys);
  });

  it('keeps keys stable when the due date moves, so sent reminders are recognised', () => {
    const keys = (due: string) => dunningSchedule(due, POLICY).map((s) => s.key);
    expect(keys('2026-12-31')).toEqual(keys('2026-03-31'));
  });

  it.each([
    [{ ...POLICY, remindBeforeDays: [0] }, 'remindBeforeDays[0] must be a whole number of days > 0 (got 0)'],
    [{ ...POLICY, overdueSteps: [7, -1] }, 'overdueSteps[1] must be a whole number of days > 0 (got -1)'],
    [{ ...POLICY, overdueSteps: [1.5] }, 'overdueSteps[0] must be a whole number of days > 0 (got 1.5)'],
    [{ ...POLICY, escalateAfterDays: 0 }, 'escalateAfterDays must be a whole number of days > 0 (got 0)'],
  ])('names the broken field of an invalid policy %p', (policy, message) => {
    expect(validateDunningPolicy(policy)).toEqual([message]);
    expect(() => dunningSchedule('2026-03-31', policy)).toThrow(message);
  });

  it('accepts the default policy', () => {
    expect(validateDunningPolicy(POLICY)).toEqual([]);
  });
});

describe('isOverTerms', () => {
  const AS_OF = '2026-06-30';
  it.each([
    ['nothing open', [], false],
    ['an invoice not yet due', [{ dueDate: '2026-07-10', balanceMinor: 100 }], false],
    [
      'an invoice exactly at the end of the grace period (5 days)',
      [{ dueDate: '2026-06-25', balanceMinor: 100 }],
      false,
    ],
    ['an invoice one day past the grace period (6 days)', [{ dueDate: '2026-06-24', balanceMinor: 100 }], true],
    ['a long-overdue invoice already paid', [{ dueDate: '2025-01-01', balanceMinor: 0 }], false],
    ['a long-overdue credit balance', [{ dueDate: '2025-01-01', balanceMinor: -500 }], false],
    [
      'one late invoice among current ones',
      [
        { dueDate: '2026-07-10', balanceMinor: 100 },
        { dueDate: '2026-03-01', balanceMinor: 1 },
      ],
      true,
    ],
  ])('with 5 grace days: %s -> %p', (_why, invoices, expected) => {
    expect(isOverTerms(invoices, AS_OF, 5)).toBe(expected);
  });

  it('with no grace, one day late is over terms', () => {
    expect(isOverTerms([{ dueDate: '2026-06-29', balanceMinor: 1 }], AS_OF, 0)).toBe(true);
    expect(isOverTerms([{ dueDate: '2026-06-30', balanceMinor: 1 }], AS_OF, 0)).toBe(false);
  });

  it('lists the invoices behind a credit hold, most overdue first, carrying their ids', () => {
    const invoices = [
      { invoiceId: 'INV-1', dueDate: '2026-06-01', balanceMinor: 100 },
      { invoiceId: 'INV-2', dueDate: '2026-03-01', balanceMinor: 200 },
      { invoiceId: 'INV-3', dueDate: '2026-06-28', balanceMinor: 300 },
    ];
    expect(overTermsInvoices(invoices, AS_OF, 5)).toEqual([
      { invoiceId: 'INV-2', dueDate: '2026-03-01', balanceMinor: 200, daysOverdue: 121 },
      { invoiceId: 'INV-1', dueDate: '2026-06-01', balanceMinor: 100, daysOverdue: 29 },
    ]);
  });

  it('refuses a negative grace period as a programmer error', () => {
    expect(() => isOverTerms([], AS_OF, -1)).toThrow(RangeError);
  });
});

describe('timeDunning', () => {
  // Issued 2026-03-01 (at t=0 on a clock of 1000 ms "days"), due 2026-03-31 (day 30).
  const DAY = 1000;
  const schedule = dunningSchedule('2026-03-31', POLICY);
  const timed = (sentDay: number) =>
    timeDunning(schedule, {
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      issuedAt: 0,
      sentAt: sentDay * DAY,
      dayMs: DAY,
    });

  const MOMENTS = [
    ['before-due-7', 23],
    ['before-due-3', 27],
    ['on-due', 30],
    ['overdue+7', 37],
    ['overdue+15', 45],
    ['overdue+30', 60],
    ['escalation+30', 60],
  ];

  it('sent at issue: every step at its moment from the issue date, as before sends counted', () => {
    expect(timed(0).map((t) => [t.step.key, t.at / DAY, t.staleReason])).toEqual(
      MOMENTS.map(([key, day]) => [key, day, undefined]),
    );
  });

  it('sent on the due date: the before-due reminders are stale, the rest keep their moments', () => {
    expect(timed(30).map((t) => [t.step.key, t.at / DAY, t.staleReason !== undefined])).toEqual(
      MOMENTS.map(([key, day]) => [key, day, (day as number) < 30]),
    );
  });

  it('sent after some before-due reminders: those are stale, with both moments in the reason', () => {
    const steps = timed(25);
    expect(steps.map((t) => [t.step.key, t.at / DAY, t.staleReason !== undefined])).toEqual([
      ['before-due-7', 23, true],
      ['before-due-3', 27, false],
      ['on-due', 30, false],
      ['overdue+7', 37, false],
      ['overdue+15', 45, false],
      ['overdue+30', 60, false],
      ['escalation+30', 60, false],
    ]);
    expect(steps[0]!.staleReason).toBe(
      'stale: meant for 7 days before the due date 2026-03-31 (1970-01-01T00:00:23.000Z), but the invoice was only sent at 1970-01-01T00:00:25.000Z',
    );
  });

  it('sent weeks after the due date: due reminders are stale, overdue ones and escalation count from the send', () => {
    const steps = timed(50);
    expect(steps.map((t) => [t.step.key, t.at / DAY, t.staleReason !== undefined])).toEqual([
      ['before-due-7', 23, true],
      ['before-due-3', 27, true],
      ['on-due', 30, true],
      ['overdue+7', 57, false],
      ['overdue+15', 65, false],
      ['overdue+30', 80, false],
      ['escalation+30', 80, false],
    ]);
    expect(steps[2]!.staleReason).toContain('meant for the due date 2026-03-31');
  });
});
