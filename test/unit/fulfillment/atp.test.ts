import {
  allocateOrder,
  availableToPromise,
  rankWarehouses,
  reservationsByWarehouse,
  type AllocateOrderInput,
  type ScheduledReceipt,
  type WarehouseStock,
} from '../../../domain/fulfillment/atp';

const TODAY = '2025-06-02'; // a Monday
const CHRISTMAS = new Set(['2025-12-25', '2025-12-26']);

const stock = (warehouseId: string, sku: string, onHand: number, reserved = 0): WarehouseStock => ({
  warehouseId,
  sku,
  onHand,
  reserved,
});
const receipt = (
  id: string,
  warehouseId: string,
  sku: string,
  quantity: number,
  dueDate: string,
  promisedQuantity = 0,
): ScheduledReceipt => ({
  id,
  warehouseId,
  sku,
  quantity,
  promisedQuantity,
  dueDate,
});

function order(overrides: Partial<AllocateOrderInput>): AllocateOrderInput {
  return {
    lines: [],
    stock: [],
    receipts: [],
    warehousePriority: ['W1', 'W2', 'W3'],
    allowsPartialShipment: true,
    today: TODAY,
    leadTimeDaysBySku: { A: 10, B: 3 },
    holidays: new Set(),
    ...overrides,
  };
}

describe('availableToPromise', () => {
  it.each([
    { onHand: 10, reserved: 3, expected: 7 },
    { onHand: 5, reserved: 5, expected: 0 },
    { onHand: 3, reserved: 5, expected: 0 },
    { onHand: 0, reserved: 0, expected: 0 },
  ])('is on hand $onHand minus reserved $reserved, never below 0: $expected', ({ onHand, reserved, expected }) => {
    expect(availableToPromise(stock('W1', 'A', onHand, reserved))).toBe(expected);
  });
});

describe('allocateOrder', () => {
  it.each([
    {
      promise: 'ships everything from the first warehouse in priority that can fill every line',
      input: order({
        lines: [
          { lineNo: 1, sku: 'A', quantity: 4 },
          { lineNo: 2, sku: 'B', quantity: 2 },
        ],
        stock: [
          stock('W1', 'A', 5),
          stock('W2', 'A', 10),
          stock('W2', 'B', 10),
          stock('W3', 'A', 10),
          stock('W3', 'B', 10),
        ],
      }),
      expected: {
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'W2', quantity: 4 },
          { lineNo: 2, sku: 'B', warehouseId: 'W2', quantity: 2 },
        ],
        backorders: [],
      },
    },
    {
      promise: 'prefers one complete warehouse over a split even when partial shipment is allowed',
      input: order({
        lines: [
          { lineNo: 1, sku: 'A', quantity: 10 },
          { lineNo: 2, sku: 'B', quantity: 2 },
        ],
        stock: [stock('W1', 'A', 10), stock('W1', 'B', 1), stock('W2', 'A', 10), stock('W2', 'B', 2)],
      }),
      expected: {
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'W2', quantity: 10 },
          { lineNo: 2, sku: 'B', warehouseId: 'W2', quantity: 2 },
        ],
        backorders: [],
      },
    },
    {
      promise: 'adds up repeated SKU lines when checking whether one warehouse fills the order',
      input: order({
        lines: [
          { lineNo: 1, sku: 'A', quantity: 3 },
          { lineNo: 2, sku: 'A', quantity: 3 },
        ],
        stock: [stock('W1', 'A', 5), stock('W2', 'A', 6)],
      }),
      expected: {
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'W2', quantity: 3 },
          { lineNo: 2, sku: 'A', warehouseId: 'W2', quantity: 3 },
        ],
        backorders: [],
      },
    },
    {
      promise: 'splits a line across two warehouses in priority order when partial shipment is allowed',
      input: order({
        lines: [
          { lineNo: 1, sku: 'A', quantity: 10 },
          { lineNo: 2, sku: 'B', quantity: 2 },
        ],
        stock: [stock('W1', 'A', 6), stock('W1', 'B', 2), stock('W2', 'A', 7)],
      }),
      expected: {
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'W1', quantity: 6 },
          { lineNo: 1, sku: 'A', warehouseId: 'W2', quantity: 4 },
          { lineNo: 2, sku: 'B', warehouseId: 'W1', quantity: 2 },
        ],
        backorders: [],
      },
    },
    {
      promise: 'backorders what stock cannot cover from the earliest receipts, across warehouses',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 10 }],
        stock: [stock('W1', 'A', 4), stock('W2', 'A', 3)],
        receipts: [receipt('R1', 'W2', 'A', 5, '2025-06-10'), receipt('R0', 'W1', 'A', 2, '2025-06-05')],
      }),
      expected: {
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'W1', quantity: 4 },
          { lineNo: 1, sku: 'A', warehouseId: 'W2', quantity: 3 },
        ],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 2,
            availableDate: '2025-06-05',
            source: 'receipt',
            receiptId: 'R0',
            warehouseId: 'W1',
          },
          {
            lineNo: 1,
            sku: 'A',
            quantity: 1,
            availableDate: '2025-06-10',
            source: 'receipt',
            receiptId: 'R1',
            warehouseId: 'W2',
          },
        ],
      },
    },
    {
      promise:
        'allocates nothing for a no-partial order no single warehouse can fill, and backorders every line in full',
      input: order({
        allowsPartialShipment: false,
        lines: [
          { lineNo: 1, sku: 'A', quantity: 2 },
          { lineNo: 2, sku: 'B', quantity: 2 },
        ],
        stock: [stock('W1', 'A', 5), stock('W2', 'B', 5)],
        receipts: [receipt('R1', 'W2', 'A', 10, '2025-06-10')],
      }),
      expected: {
        allocations: [],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 2,
            availableDate: '2025-06-10',
            source: 'receipt',
            receiptId: 'R1',
            warehouseId: 'W2',
          },
          // W2 is the only warehouse that carries B.
          { lineNo: 2, sku: 'B', quantity: 2, availableDate: '2025-06-05', source: 'lead-time', warehouseId: 'W2' },
        ],
      },
    },
    {
      promise: 'ships a no-partial order complete when one warehouse can fill it',
      input: order({
        allowsPartialShipment: false,
        lines: [
          { lineNo: 1, sku: 'A', quantity: 2 },
          { lineNo: 2, sku: 'B', quantity: 2 },
        ],
        stock: [stock('W1', 'A', 5), stock('W3', 'A', 2), stock('W3', 'B', 2)],
      }),
      expected: {
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'W3', quantity: 2 },
          { lineNo: 2, sku: 'B', warehouseId: 'W3', quantity: 2 },
        ],
        backorders: [],
      },
    },
    {
      promise: 'promises only the unpromised part of a partly promised receipt, and skips a fully promised one',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 4 }],
        receipts: [
          receipt('R0', 'W1', 'A', 5, '2025-06-03', 5),
          receipt('R1', 'W1', 'A', 10, '2025-06-04', 8),
          receipt('R2', 'W1', 'A', 5, '2025-06-06'),
        ],
      }),
      expected: {
        allocations: [],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 2,
            availableDate: '2025-06-04',
            source: 'receipt',
            receiptId: 'R1',
            warehouseId: 'W1',
          },
          {
            lineNo: 1,
            sku: 'A',
            quantity: 2,
            availableDate: '2025-06-06',
            source: 'receipt',
            receiptId: 'R2',
            warehouseId: 'W1',
          },
        ],
      },
    },
    {
      promise: 'never promises the same receipt units to two lines, falling back to lead time',
      input: order({
        lines: [
          { lineNo: 1, sku: 'A', quantity: 3 },
          { lineNo: 2, sku: 'A', quantity: 3 },
        ],
        receipts: [receipt('R1', 'W2', 'A', 4, '2025-06-04')],
      }),
      expected: {
        allocations: [],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 3,
            availableDate: '2025-06-04',
            source: 'receipt',
            receiptId: 'R1',
            warehouseId: 'W2',
          },
          {
            lineNo: 2,
            sku: 'A',
            quantity: 1,
            availableDate: '2025-06-04',
            source: 'receipt',
            receiptId: 'R1',
            warehouseId: 'W2',
          },
          // W2, whose receipt makes it the only warehouse that carries A.
          { lineNo: 2, sku: 'A', quantity: 2, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W2' },
        ],
      },
    },
    {
      promise: 'falls back to lead time in business days over a weekend and holidays',
      input: order({
        today: '2025-12-24',
        holidays: CHRISTMAS,
        leadTimeDaysBySku: { B: 2 },
        lines: [{ lineNo: 1, sku: 'B', quantity: 1 }],
        stock: [stock('W1', 'B', 0)],
      }),
      expected: {
        allocations: [],
        backorders: [
          { lineNo: 1, sku: 'B', quantity: 1, availableDate: '2025-12-30', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
    {
      promise: 'dates an overdue receipt today, never in the past',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 1 }],
        receipts: [receipt('R1', 'W1', 'A', 1, '2025-05-30')],
      }),
      expected: {
        allocations: [],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 1,
            availableDate: TODAY,
            source: 'receipt',
            receiptId: 'R1',
            warehouseId: 'W1',
          },
        ],
      },
    },
    {
      promise: 'never allocates more than ATP, and an over-reserved row gives nothing',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 5 }],
        stock: [stock('W1', 'A', 10, 8), stock('W2', 'A', 3, 5)],
      }),
      expected: {
        allocations: [{ lineNo: 1, sku: 'A', warehouseId: 'W1', quantity: 2 }],
        backorders: [
          { lineNo: 1, sku: 'A', quantity: 3, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
    {
      promise: 'uses only warehouses in the priority list, for stock and receipts',
      input: order({
        warehousePriority: ['W1'],
        lines: [{ lineNo: 1, sku: 'A', quantity: 3 }],
        stock: [stock('W1', 'A', 1), stock('W9', 'A', 100)],
        receipts: [receipt('R9', 'W9', 'A', 100, '2025-06-03')],
      }),
      expected: {
        allocations: [{ lineNo: 1, sku: 'A', warehouseId: 'W1', quantity: 1 }],
        backorders: [
          { lineNo: 1, sku: 'A', quantity: 2, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
    {
      promise: 'gives scarce stock to lower line numbers first and sorts the output by line, whatever the input order',
      input: order({
        lines: [
          { lineNo: 2, sku: 'A', quantity: 3 },
          { lineNo: 1, sku: 'A', quantity: 3 },
        ],
        stock: [stock('W1', 'A', 4)],
      }),
      expected: {
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'W1', quantity: 3 },
          { lineNo: 2, sku: 'A', warehouseId: 'W1', quantity: 1 },
        ],
        backorders: [
          { lineNo: 2, sku: 'A', quantity: 2, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
    {
      promise: 'breaks a tie between receipts due the same day by warehouse priority, then receipt id',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 3 }],
        receipts: [
          receipt('R3', 'W2', 'A', 1, '2025-06-04'),
          receipt('R2', 'W1', 'A', 1, '2025-06-04'),
          receipt('R1', 'W2', 'A', 1, '2025-06-04'),
        ],
      }),
      expected: {
        allocations: [],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 1,
            availableDate: '2025-06-04',
            source: 'receipt',
            receiptId: 'R2',
            warehouseId: 'W1',
          },
          {
            lineNo: 1,
            sku: 'A',
            quantity: 1,
            availableDate: '2025-06-04',
            source: 'receipt',
            receiptId: 'R1',
            warehouseId: 'W2',
          },
          {
            lineNo: 1,
            sku: 'A',
            quantity: 1,
            availableDate: '2025-06-04',
            source: 'receipt',
            receiptId: 'R3',
            warehouseId: 'W2',
          },
        ],
      },
    },
    {
      promise: 'allocates nothing and backorders nothing for an order without lines',
      input: order({ lines: [] }),
      expected: { allocations: [], backorders: [] },
    },
  ])('$promise', ({ input, expected }) => {
    expect(allocateOrder(input)).toEqual(expected);
  });

  it.each([
    {
      problem: 'a SKU without lead time has to fall back to lead time',
      input: order({ leadTimeDaysBySku: {}, lines: [{ lineNo: 1, sku: 'C', quantity: 2 }] }),
      message: 'line 1: SKU "C" needs a lead time in business days >= 0 to backorder 2 units (got undefined)',
    },
    {
      problem: 'a line quantity is not positive',
      input: order({ lines: [{ lineNo: 3, sku: 'A', quantity: -2 }] }),
      message: 'line 3: quantity must be a positive integer (got -2)',
    },
    {
      problem: 'a receipt quantity is fractional',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 1 }],
        receipts: [receipt('R1', 'W1', 'A', 1.5, '2025-06-04')],
      }),
      message: 'receipt R1 quantity must be a non-negative integer (got 1.5)',
    },
  ])('throws, naming the value, when $problem', ({ input, message }) => {
    expect(() => allocateOrder(input)).toThrow(message);
  });

  it('never oversells, never promises a receipt unit twice, accounts for every ordered unit, and waits only where the SKU is carried (200 generated orders)', () => {
    // A fixed-seed Park-Miller generator (exact in doubles): the same 200 orders on every run.
    let seed = 42;
    const next = (max: number): number => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % max;
    };
    const skus = ['A', 'B', 'C'];
    const warehouses = ['W1', 'W2', 'W3'];
    const seen = { leadTimeAwayFromFirst: 0, refused: 0 };
    for (let run = 0; run < 200; run += 1) {
      const input = order({
        allowsPartialShipment: next(2) === 0,
        leadTimeDaysBySku: { A: 5, B: 5, C: 5 },
        lines: Array.from({ length: 1 + next(4) }, (_, i) => ({
          lineNo: i + 1,
          sku: skus[next(3)]!,
          quantity: 1 + next(8),
        })),
        // A third of the rows missing: not every warehouse carries every SKU.
        stock: warehouses.flatMap((w) =>
          skus.filter(() => next(3) !== 0).map((sku) => stock(w, sku, next(6), next(3))),
        ),
        receipts: Array.from({ length: next(4) }, (_, i) =>
          receipt(`R${i}`, warehouses[next(3)]!, skus[next(3)]!, next(6), `2025-06-0${3 + next(5)}`, next(3)),
        ),
      });
      const carriers = (sku: string) =>
        warehouses.filter((w) =>
          [...input.stock, ...input.receipts].some((row) => row.warehouseId === w && row.sku === sku),
        );
      let result: ReturnType<typeof allocateOrder>;
      try {
        result = allocateOrder(input);
      } catch (error) {
        // Only a SKU that no warehouse carries may be refused, and only when it has to wait on lead time.
        expect(String(error)).toMatch(/no warehouse carries SKU "([ABC])"/);
        expect(carriers(/SKU "([ABC])"/.exec(String(error))![1]!)).toEqual([]);
        seen.refused += 1;
        continue;
      }
      const { allocations, backorders } = result;

      for (const row of input.stock) {
        const allocated = allocations
          .filter((a) => a.warehouseId === row.warehouseId && a.sku === row.sku)
          .reduce((s, a) => s + a.quantity, 0);
        expect(allocated).toBeLessThanOrEqual(availableToPromise(row));
      }
      for (const r of input.receipts) {
        const promised = backorders.filter((b) => b.receiptId === r.id).reduce((s, b) => s + b.quantity, 0);
        expect(promised).toBeLessThanOrEqual(Math.max(0, r.quantity - r.promisedQuantity));
      }
      for (const line of input.lines) {
        const covered = [...allocations, ...backorders]
          .filter((x) => x.lineNo === line.lineNo)
          .reduce((s, x) => s + x.quantity, 0);
        expect(covered).toBe(line.quantity);
      }
      for (const b of backorders.filter((x) => x.source === 'lead-time')) {
        expect(b.warehouseId).toBe(carriers(b.sku)[0]);
        if (b.warehouseId !== 'W1') seen.leadTimeAwayFromFirst += 1;
      }
      if (!input.allowsPartialShipment && allocations.length > 0) {
        expect(new Set(allocations.map((a) => a.warehouseId)).size).toBe(1);
        expect(backorders).toEqual([]);
      }
      expect(allocateOrder(input)).toEqual({ allocations, backorders });
    }
    // The generated orders do reach both new rules (the counts depend only on the fixed seed).
    expect(seen.leadTimeAwayFromFirst).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});

describe('where a lead-time backorder waits', () => {
  // A lead-time backorder is received (and later released) at the warehouse it names: it has to be one
  // that carries the SKU, or no receipt ever releases it.
  it.each([
    {
      promise: 'at the best-priority warehouse that carries the SKU, not at an unrelated one ranked first',
      input: order({
        warehousePriority: ['W-OTHER', 'W1', 'W2'],
        lines: [{ lineNo: 1, sku: 'A', quantity: 3 }],
        stock: [stock('W-OTHER', 'B', 50), stock('W2', 'A', 1)],
      }),
      expected: {
        allocations: [{ lineNo: 1, sku: 'A', warehouseId: 'W2', quantity: 1 }],
        backorders: [
          { lineNo: 1, sku: 'A', quantity: 2, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W2' },
        ],
      },
    },
    {
      promise: 'at a warehouse whose stock row of the SKU is empty (it carries the SKU, it is just out)',
      input: order({
        warehousePriority: ['W-OTHER', 'W1', 'W2'],
        lines: [{ lineNo: 1, sku: 'A', quantity: 3 }],
        stock: [stock('W-OTHER', 'B', 50), stock('W2', 'A', 0), stock('W1', 'A', 4, 4)],
      }),
      expected: {
        allocations: [],
        backorders: [
          { lineNo: 1, sku: 'A', quantity: 3, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
    {
      promise: 'at a warehouse that only has a scheduled receipt of the SKU, even one promised in full',
      input: order({
        warehousePriority: ['W-OTHER', 'W1', 'W2'],
        lines: [{ lineNo: 1, sku: 'A', quantity: 3 }],
        stock: [stock('W-OTHER', 'B', 50)],
        receipts: [receipt('R1', 'W2', 'A', 5, '2025-06-04', 5)],
      }),
      expected: {
        allocations: [],
        backorders: [
          { lineNo: 1, sku: 'A', quantity: 3, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W2' },
        ],
      },
    },
    {
      promise: 'at a warehouse that carries the SKU of each line, line by line',
      input: order({
        allowsPartialShipment: false,
        lines: [
          { lineNo: 1, sku: 'A', quantity: 2 },
          { lineNo: 2, sku: 'B', quantity: 2 },
        ],
        stock: [stock('W1', 'B', 0), stock('W3', 'A', 0)],
      }),
      expected: {
        allocations: [],
        backorders: [
          { lineNo: 1, sku: 'A', quantity: 2, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W3' },
          { lineNo: 2, sku: 'B', quantity: 2, availableDate: '2025-06-05', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
  ])('$promise', ({ input, expected }) => {
    expect(allocateOrder(input)).toEqual(expected);
  });

  it('refuses, naming the line and the SKU, when no allowed warehouse carries the SKU', () => {
    const input = order({
      warehousePriority: ['W1', 'W2'],
      lines: [{ lineNo: 2, sku: 'A', quantity: 3 }],
      stock: [stock('W1', 'B', 10), stock('W9', 'A', 0)],
      receipts: [receipt('R9', 'W9', 'A', 10, '2025-06-04')],
    });
    expect(() => allocateOrder(input)).toThrow(
      'line 2: no warehouse carries SKU "A" (none of the 2 allowed warehouses has a stock row or a scheduled receipt of it), so its 3 backordered units have no warehouse to be received into; add a stock row for it at the warehouse that will receive it',
    );
  });
});

describe('rankWarehouses', () => {
  // Test fixtures (and real networks) have several warehouses at the same priority: the order must
  // not depend on the order rows come back from the database.
  const rows = [
    { id: 'WH-B', priority: 1 },
    { id: 'WH-C', priority: 2 },
    { id: 'WH-A', priority: 1 },
    { id: 'WH-0', priority: 3 },
  ];
  it.each([
    { given: 'in stored order', warehouses: rows },
    { given: 'reversed', warehouses: [...rows].reverse() },
    { given: 'with the tie the other way round', warehouses: [rows[2]!, rows[3]!, rows[0]!, rows[1]!] },
  ])('orders by priority, then warehouse id, whatever the input order ($given)', ({ warehouses }) => {
    expect(rankWarehouses(warehouses)).toEqual(['WH-A', 'WH-B', 'WH-C', 'WH-0']);
  });

  it('compares ids by code point, not by locale (lowercase sorts after uppercase)', () => {
    expect(
      rankWarehouses([
        { id: 'wh-a', priority: 1 },
        { id: 'WH-Z', priority: 1 },
        { id: 'WH-a', priority: 1 },
      ]),
    ).toEqual(['WH-Z', 'WH-a', 'wh-a']);
  });

  it.each([
    {
      given: 'the unrelated warehouse stored first',
      warehouses: [
        { id: 'WH-A-OTHER', priority: 1 },
        { id: 'WH-A-MINE', priority: 1 },
        { id: 'WH-B-MINE', priority: 2 },
      ],
    },
    {
      given: 'the unrelated warehouse stored last',
      warehouses: [
        { id: 'WH-B-MINE', priority: 2 },
        { id: 'WH-A-MINE', priority: 1 },
        { id: 'WH-A-OTHER', priority: 1 },
      ],
    },
  ])(
    'plans a two-source backorder the same way when another warehouse ties at priority 1 ($given)',
    ({ warehouses }) => {
      // The shape of the quarantined integration test: 8 valves, 2 + 1 on hand, 4 on a receipt, 1 on lead time.
      const input = order({
        warehousePriority: rankWarehouses(warehouses),
        lines: [{ lineNo: 1, sku: 'A', quantity: 8 }],
        stock: [stock('WH-A-MINE', 'A', 2), stock('WH-B-MINE', 'A', 1), stock('WH-A-OTHER', 'Z', 1000)],
        receipts: [receipt('R-PROD', 'WH-A-MINE', 'A', 4, '2025-06-23')],
      });
      expect(allocateOrder(input)).toEqual({
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'WH-A-MINE', quantity: 2 },
          { lineNo: 1, sku: 'A', warehouseId: 'WH-B-MINE', quantity: 1 },
        ],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 4,
            availableDate: '2025-06-23',
            source: 'receipt',
            receiptId: 'R-PROD',
            warehouseId: 'WH-A-MINE',
          },
          {
            lineNo: 1,
            sku: 'A',
            quantity: 1,
            availableDate: '2025-06-16',
            source: 'lead-time',
            warehouseId: 'WH-A-MINE',
          },
        ],
      });
    },
  );
});

describe('reservationsByWarehouse', () => {
  it.each([
    { promise: 'makes no shipment from no allocations', allocations: [], expected: [] },
    {
      promise: 'groups allocations into one shipment per warehouse, in order of first appearance',
      allocations: [
        { lineNo: 1, sku: 'A', warehouseId: 'W2', quantity: 6 },
        { lineNo: 1, sku: 'A', warehouseId: 'W1', quantity: 4 },
        { lineNo: 2, sku: 'B', warehouseId: 'W2', quantity: 2 },
      ],
      expected: [
        {
          warehouseId: 'W2',
          lines: [
            { lineNo: 1, sku: 'A', quantity: 6 },
            { lineNo: 2, sku: 'B', quantity: 2 },
          ],
        },
        { warehouseId: 'W1', lines: [{ lineNo: 1, sku: 'A', quantity: 4 }] },
      ],
    },
  ])('$promise', ({ allocations, expected }) => {
    expect(reservationsByWarehouse(allocations)).toEqual(expected);
  });
});

describe('available-to-promise of lot-tracked stock', () => {
  const lotted = (warehouseId: string, onHand: number, qualifyingOnHand: number, reserved = 0): WarehouseStock => ({
    warehouseId,
    sku: 'A',
    onHand,
    reserved,
    qualifyingOnHand,
  });

  it.each([
    { promise: 'counts only units in lots that qualify for the customer', row: lotted('W1', 316, 300), expected: 300 },
    {
      promise: 'takes reservations out of the qualifying units (others may need the same shelf life)',
      row: lotted('W1', 316, 300, 10),
      expected: 290,
    },
    {
      promise: 'never promises more than on hand, even if lots say more (a count not booked yet)',
      row: lotted('W1', 5, 8),
      expected: 5,
    },
    { promise: 'is 0 when no lot qualifies', row: lotted('W1', 40, 0), expected: 0 },
  ])('$promise', ({ row, expected }) => {
    expect(availableToPromise(row)).toBe(expected);
  });

  it.each([
    {
      promise:
        'splits an order the first warehouse could fill only with short-dated lots (demo: 310 drums, 300 qualify in Columbus)',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 310 }],
        stock: [lotted('W1', 316, 300), lotted('W2', 200, 200)],
      }),
      expected: {
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'W1', quantity: 300 },
          { lineNo: 1, sku: 'A', warehouseId: 'W2', quantity: 10 },
        ],
        backorders: [],
      },
    },
    {
      promise: 'backorders what no qualifying lot covers',
      input: order({ lines: [{ lineNo: 1, sku: 'A', quantity: 310 }], stock: [lotted('W1', 316, 300)] }),
      expected: {
        allocations: [{ lineNo: 1, sku: 'A', warehouseId: 'W1', quantity: 300 }],
        backorders: [
          { lineNo: 1, sku: 'A', quantity: 10, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
    {
      promise: 'backorders everything of an order that ships complete',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 310 }],
        stock: [lotted('W1', 316, 300)],
        allowsPartialShipment: false,
      }),
      expected: {
        allocations: [],
        backorders: [
          { lineNo: 1, sku: 'A', quantity: 310, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
    {
      promise: 'promises only receipts whose lot will still have the shelf life when it arrives',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 10 }],
        receipts: [
          { ...receipt('R-SHORT', 'W1', 'A', 10, '2025-06-05'), expiryDate: '2025-09-02' }, // 89 days on arrival
          { ...receipt('R-EXACT', 'W1', 'A', 4, '2025-06-09'), expiryDate: '2025-09-07' }, // exactly 90
          { ...receipt('R-UNDATED', 'W2', 'A', 10, '2025-06-12'), expiryDate: null },
        ],
        minShelfLifeDays: 90,
      }),
      expected: {
        allocations: [],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 4,
            availableDate: '2025-06-09',
            source: 'receipt',
            receiptId: 'R-EXACT',
            warehouseId: 'W1',
          },
          {
            lineNo: 1,
            sku: 'A',
            quantity: 6,
            availableDate: '2025-06-12',
            source: 'receipt',
            receiptId: 'R-UNDATED',
            warehouseId: 'W2',
          },
        ],
      },
    },
    {
      promise: 'counts a receipt that is overdue from today, not from its due date',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 3 }],
        receipts: [{ ...receipt('R-LATE', 'W1', 'A', 5, '2025-05-01'), expiryDate: '2025-08-30' }], // 89 days from today
        minShelfLifeDays: 90,
      }),
      expected: {
        allocations: [],
        backorders: [
          { lineNo: 1, sku: 'A', quantity: 3, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
  ])('$promise', ({ input, expected }) => {
    expect(allocateOrder(input)).toEqual(expected);
  });

  it('throws on a malformed qualifying quantity', () => {
    expect(() => availableToPromise(lotted('W1', 5, -1))).toThrow(
      'stock W1/A qualifyingOnHand must be a non-negative integer (got -1)',
    );
  });
});

describe('a line backordered across sources', () => {
  it.each([
    {
      promise:
        'waits partly on a receipt and partly on lead time (demo: 8 pumps, 3 on hand, 4 on a production receipt)',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 8 }],
        stock: [stock('W1', 'A', 2), stock('W2', 'A', 1)],
        receipts: [receipt('R1', 'W1', 'A', 4, '2025-06-17')],
      }),
      expected: {
        allocations: [
          { lineNo: 1, sku: 'A', warehouseId: 'W1', quantity: 2 },
          { lineNo: 1, sku: 'A', warehouseId: 'W2', quantity: 1 },
        ],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 4,
            availableDate: '2025-06-17',
            source: 'receipt',
            receiptId: 'R1',
            warehouseId: 'W1',
          },
          { lineNo: 1, sku: 'A', quantity: 1, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
    {
      promise: 'waits on two receipts in due-date order, then lead time',
      input: order({
        lines: [{ lineNo: 1, sku: 'A', quantity: 10 }],
        receipts: [receipt('R2', 'W2', 'A', 3, '2025-06-20'), receipt('R1', 'W1', 'A', 5, '2025-06-10', 1)],
      }),
      expected: {
        allocations: [],
        backorders: [
          {
            lineNo: 1,
            sku: 'A',
            quantity: 4,
            availableDate: '2025-06-10',
            source: 'receipt',
            receiptId: 'R1',
            warehouseId: 'W1',
          },
          {
            lineNo: 1,
            sku: 'A',
            quantity: 3,
            availableDate: '2025-06-20',
            source: 'receipt',
            receiptId: 'R2',
            warehouseId: 'W2',
          },
          { lineNo: 1, sku: 'A', quantity: 3, availableDate: '2025-06-16', source: 'lead-time', warehouseId: 'W1' },
        ],
      },
    },
  ])('$promise', ({ input, expected }) => {
    expect(allocateOrder(input)).toEqual(expected);
  });
});
