import {
  CLOSED_INVOICE_STATUSES,
  CLOSED_UNPAID_INVOICE_STATUSES,
  FINAL_ORDER_STATUSES,
  INVOICE_STATUSES,
  isOneOf,
  OPEN_INVOICE_STATUSES,
  OPEN_RETURN_STATUSES,
  ORDER_STATUSES,
  RETURN_STATUSES,
} from '../../../domain/statuses';

/** Every status belongs to exactly one of `groups`, and the groups hold nothing else. */
function expectPartition(all: readonly string[], groups: Record<string, readonly string[]>) {
  for (const status of all) {
    const owners = Object.entries(groups).filter(([, g]) => g.includes(status));
    expect({ status, owners: owners.map(([name]) => name) }).toEqual({ status, owners: [expect.any(String)] });
  }
  for (const g of Object.values(groups)) for (const s of g) expect(all).toContain(s);
}

describe('the status catalogue', () => {
  it('classifies every invoice status as draft, open or closed, once', () => {
    expectPartition(INVOICE_STATUSES, {
      draft: ['draft'],
      open: OPEN_INVOICE_STATUSES,
      closed: CLOSED_INVOICE_STATUSES,
    });
  });

  it('counts the invoices closed without payment among the closed ones, paid not among them', () => {
    for (const s of CLOSED_UNPAID_INVOICE_STATUSES) expect(CLOSED_INVOICE_STATUSES).toContain(s);
    expect(CLOSED_UNPAID_INVOICE_STATUSES).not.toContain('paid');
  });

  it('classifies every return status as open or ended, once', () => {
    expectPartition(RETURN_STATUSES, { open: OPEN_RETURN_STATUSES, ended: ['completed', 'rejected', 'cancelled'] });
  });

  it('lists the final order statuses among the order statuses', () => {
    for (const s of FINAL_ORDER_STATUSES) expect(ORDER_STATUSES).toContain(s);
    expect(new Set(ORDER_STATUSES).size).toBe(ORDER_STATUSES.length);
  });

  it('tests membership from stored strings, null included', () => {
    expect(isOneOf(OPEN_INVOICE_STATUSES, 'overdue')).toBe(true);
    expect(isOneOf(OPEN_INVOICE_STATUSES, 'paid')).toBe(false);
    expect(isOneOf(OPEN_INVOICE_STATUSES, null)).toBe(false);
    expect(isOneOf(OPEN_INVOICE_STATUSES, undefined)).toBe(false);
    expect(isOneOf(OPEN_INVOICE_STATUSES, 'OVERDUE')).toBe(false);
  });
});
