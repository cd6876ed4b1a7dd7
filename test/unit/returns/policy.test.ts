import { checkReturnRequest, type ReturnRequestLine } from '../../../domain/returns/policy';

const POLICY = {
  windowDays: 30,
  nonReturnableSkus: ['CUSTOM-CUT-HOSE'],
  autoApproveMaxMinor: 50_000,
  reasonCodes: ['DAMAGED', 'WRONG_ITEM', 'NOT_NEEDED'],
};

/** Delivered 2026-03-01: 10 seals (4 already returned), 5 valves, 2 custom hoses. */
const check = (lines: ReturnRequestLine[], requestedDate = '2026-03-10', policy = POLICY) =>
  checkReturnRequest({
    request: { lines, requestedDate },
    deliveredDate: '2026-03-01',
    policy,
    delivered: { 'PUMP-SEAL': 10, 'VALVE-12': 5, 'CUSTOM-CUT-HOSE': 2 },
    alreadyReturned: { 'PUMP-SEAL': 4 },
    unitPrices: { 'PUMP-SEAL': 2_499, 'VALVE-12': 5_000, 'CUSTOM-CUT-HOSE': 12_000 },
  });

const seal = (quantity = 1, reasonCode = 'DAMAGED', lotId?: string): ReturnRequestLine => ({
  sku: 'PUMP-SEAL',
  quantity,
  reasonCode,
  ...(lotId ? { lotId } : {}),
});

describe('checkReturnRequest', () => {
  it.each([
    ['on the delivery day', '2026-03-01', true],
    ['on the last day of the window (day 30)', '2026-03-31', true],
    ['one day after the window (day 31)', '2026-04-01', false],
    ['months later', '2026-09-01', false],
  ])('return window boundary: a request %s is accepted=%p', (_why, requestedDate, isAccepted) => {
    expect(check([seal()], requestedDate).ok).toBe(isAccepted);
  });

  it('explains a late request with the delivery date, the window and the request date', () => {
    expect(check([seal()], '2026-04-01')).toEqual({
      ok: false,
      errors: [
        {
          line: null,
          field: 'requestedDate',
          message:
            'requested 2026-04-01 is 31 days after delivery on 2026-03-01; the return window is 30 days (last day 2026-03-31)',
        },
      ],
    });
  });

  it.each<[string, ReturnRequestLine[], { line: number | null; field: string; message: string }]>([
    [
      'a non-returnable SKU',
      [{ sku: 'CUSTOM-CUT-HOSE', quantity: 1, reasonCode: 'NOT_NEEDED' }],
      { line: 1, field: 'sku', message: 'line 1 (CUSTOM-CUT-HOSE): SKU CUSTOM-CUT-HOSE is not returnable' },
    ],
    [
      'more than delivered minus already returned',
      [seal(7)],
      {
        line: 1,
        field: 'quantity',
        message: 'line 1 (PUMP-SEAL): quantity 7 exceeds the 6 returnable (10 delivered, 4 already returned)',
      },
    ],
    [
      'two lots of one SKU that together exceed what is returnable',
      [seal(4, 'DAMAGED', 'LOT-A'), seal(3, 'DAMAGED', 'LOT-B')],
      {
        line: 2,
        field: 'quantity',
        message:
          'line 2 (PUMP-SEAL, lot LOT-B): quantity 3 (plus 4 on earlier lines) exceeds the 6 returnable (10 delivered, 4 already returned)',
      },
    ],
    [
      'an unknown reason code',
      [seal(1, 'CHANGED_MIND')],
      {
        line: 1,
        field: 'reasonCode',
        message: 'line 1 (PUMP-SEAL): unknown reason code "CHANGED_MIND" (allowed: DAMAGED, WRONG_ITEM, NOT_NEEDED)',
      },
    ],
    [
      'a SKU not on the order',
      [{ sku: 'GASKET-9', quantity: 1, reasonCode: 'DAMAGED' }],
      { line: 1, field: 'sku', message: 'line 1 (GASKET-9): SKU GASKET-9 was not delivered on this order' },
    ],
    [
      'a SKU named like an Object property',
      [{ sku: 'constructor', quantity: 1, reasonCode: 'DAMAGED' }],
      { line: 1, field: 'sku', message: 'line 1 (constructor): SKU constructor was not delivered on this order' },
    ],
    [
      'a quantity of 0',
      [seal(0)],
      { line: 1, field: 'quantity', message: 'line 1 (PUMP-SEAL): quantity must be > 0 (got 0)' },
    ],
    ['no lines', [], { line: null, field: 'lines', message: 'a return request needs at least one line (got 0)' }],
  ])('rejects %s, naming the line, field and values', (_why, lines, error) => {
    expect(check(lines)).toEqual({ ok: false, errors: [error] });
  });

  it('rejects a request dated before the delivery', () => {
    expect(check([seal()], '2026-02-28')).toEqual({
      ok: false,
      errors: [
        { line: null, field: 'requestedDate', message: 'requested 2026-02-28 is before delivery on 2026-03-01' },
      ],
    });
  });

  it('reports every problem of a request at once', () => {
    const result = check(
      [seal(1, 'BAD'), { sku: 'CUSTOM-CUT-HOSE', quantity: 1, reasonCode: 'DAMAGED' }, seal(9)],
      '2026-05-01',
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => [e.line, e.field])).toEqual([
        [null, 'requestedDate'],
        [1, 'reasonCode'],
        [2, 'sku'],
        [3, 'quantity'],
      ]);
  });

  it.each([
    ['the full returnable quantity', [seal(6)], 14_994, 'auto-approved'],
    [
      'several SKUs, valued at their billed prices',
      [{ sku: 'VALVE-12', quantity: 5, reasonCode: 'WRONG_ITEM' }, seal(6)],
      39_994,
      'auto-approved',
    ],
    ['two lots that fit together', [seal(3, 'DAMAGED', 'LOT-A'), seal(3, 'DAMAGED', 'LOT-B')], 14_994, 'auto-approved'],
  ])('accepts %s', (_why, lines, valueMinor, decision) => {
    expect(check(lines)).toEqual({ ok: true, decision, valueMinor });
  });

  it.each([
    [24_999, 'needs-approval'],
    [25_000, 'auto-approved'],
    [25_001, 'auto-approved'],
  ])('with an auto-approve limit of %i, a request worth 250.00 is %s', (autoApproveMaxMinor, decision) => {
    const result = check([{ sku: 'VALVE-12', quantity: 5, reasonCode: 'WRONG_ITEM' }], '2026-03-10', {
      ...POLICY,
      autoApproveMaxMinor,
    });
    expect(result).toEqual({ ok: true, decision, valueMinor: 25_000 });
  });

  it('throws when a delivered SKU has no unit price: the caller passed inconsistent order data', () => {
    expect(() =>
      checkReturnRequest({
        request: { lines: [seal()], requestedDate: '2026-03-10' },
        deliveredDate: '2026-03-01',
        policy: POLICY,
        delivered: { 'PUMP-SEAL': 10 },
        alreadyReturned: {},
        unitPrices: {},
      }),
    ).toThrow(RangeError);
  });
});
