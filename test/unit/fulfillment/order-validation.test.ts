import {
  validateOrderLines,
  type OrderLineInput,
  type ValidateOrderLinesInput,
} from '../../../domain/fulfillment/order-validation';

const sku = (code: string, isActive = true) => ({ sku: code, isActive });
const usd = (unitPriceMinor: number) => ({ unitPriceMinor, currency: 'USD' });

function order(lines: OrderLineInput[], overrides: Partial<ValidateOrderLinesInput> = {}): ValidateOrderLinesInput {
  return {
    currency: 'USD',
    lines,
    customer: { id: 'C-1', currency: 'USD', isActive: true },
    customerIdGiven: 'C-1',
    skus: { 'A-1': sku('A-1'), 'B-2': sku('B-2'), 'E-1': sku('E-1'), 'Q-1': sku('Q-1'), OLD: sku('OLD', false) },
    // A-1 has both a contract and a list price; the contract must win.
    contractPrices: { 'A-1': usd(1_000), 'E-1': { unitPriceMinor: 900, currency: 'EUR' } },
    listPrices: { 'A-1': usd(1_200), 'B-2': usd(2_000) },
    priceToleranceBp: 50,
    ...overrides,
  };
}

describe('validateOrderLines accepts', () => {
  it.each([
    {
      promise: 'bills "contract" at the contract price',
      line: { sku: 'A-1', quantity: 2, unitPriceMinor: 'contract' as const },
      price: 1_000,
      source: 'contract',
    },
    {
      promise: 'bills a sent price equal to the contract price',
      line: { sku: 'A-1', quantity: 2, unitPriceMinor: 1_000 },
      price: 1_000,
      source: 'contract',
    },
    {
      promise: 'bills the contract price for a sent price exactly the tolerance above it',
      line: { sku: 'A-1', quantity: 2, unitPriceMinor: 1_005 },
      price: 1_000,
      source: 'contract',
    },
    {
      promise: 'bills the contract price for a sent price exactly the tolerance below it',
      line: { sku: 'A-1', quantity: 2, unitPriceMinor: 995 },
      price: 1_000,
      source: 'contract',
    },
    {
      promise: 'checks a sent price against the list price when there is no contract price',
      line: { sku: 'B-2', quantity: 1, unitPriceMinor: 2_010 },
      price: 2_000,
      source: 'list',
    },
    {
      promise: 'keeps a sent price for a SKU with neither a contract nor a list price',
      line: { sku: 'Q-1', quantity: 1, unitPriceMinor: 777 },
      price: 777,
      source: 'sent',
    },
  ])('$promise', ({ line, price, source }) => {
    expect(validateOrderLines(order([line]))).toEqual({
      ok: true,
      lines: [{ lineNo: 1, sku: line.sku, quantity: line.quantity, unitPriceMinor: price, priceSource: source }],
    });
  });

  it('allows the same SKU on several lines, numbering lines from 1', () => {
    const result = validateOrderLines(
      order([
        { sku: 'A-1', quantity: 1, unitPriceMinor: 'contract' },
        { sku: 'A-1', quantity: 3, unitPriceMinor: 1_000 },
      ]),
    );
    expect(result).toEqual({
      ok: true,
      lines: [
        { lineNo: 1, sku: 'A-1', quantity: 1, unitPriceMinor: 1_000, priceSource: 'contract' },
        { lineNo: 2, sku: 'A-1', quantity: 3, unitPriceMinor: 1_000, priceSource: 'contract' },
      ],
    });
  });
});

describe('validateOrderLines rejects', () => {
  const fine: OrderLineInput = { sku: 'Q-1', quantity: 1, unitPriceMinor: 100 };
  it.each([
    {
      promise: 'an unknown customer',
      input: order([fine], { customer: undefined, customerIdGiven: 'C-9' }),
      errors: [{ field: 'customerId', message: 'unknown customer "C-9"' }],
    },
    {
      promise: 'an inactive customer',
      input: order([fine], { customer: { id: 'C-1', currency: 'USD', isActive: false } }),
      errors: [{ field: 'customerId', message: 'customer "C-1" is inactive' }],
    },
    {
      promise: "an order in a currency other than the customer's",
      input: order([fine], { currency: 'EUR' }),
      errors: [{ field: 'currency', message: 'order currency "EUR" differs from customer "C-1" currency "USD"' }],
    },
    {
      promise: 'an order without lines',
      input: order([]),
      errors: [{ field: 'lines', message: 'order must have at least one line (got 0)' }],
    },
    {
      promise: 'an unknown SKU, without also complaining about its price',
      input: order([fine, { sku: 'X-9', quantity: 1, unitPriceMinor: 'contract' }]),
      errors: [{ line: 2, field: 'sku', message: 'line 2: unknown SKU "X-9"' }],
    },
    {
      promise: 'an inactive SKU',
      input: order([{ sku: 'OLD', quantity: 1, unitPriceMinor: 100 }]),
      errors: [{ line: 1, field: 'sku', message: 'line 1: SKU "OLD" is inactive' }],
    },
    ...[-2, 0, 1.5].map((quantity) => ({
      promise: `a quantity of ${quantity}`,
      input: order([fine, fine, { ...fine, quantity }]),
      errors: [
        { line: 3, field: 'quantity', message: `line 3: quantity must be a positive integer (got ${quantity})` },
      ],
    })),
    {
      promise: '"contract" for a SKU without a contract price',
      input: order([{ sku: 'B-2', quantity: 1, unitPriceMinor: 'contract' }]),
      errors: [
        {
          line: 1,
          field: 'unitPriceMinor',
          message: 'line 1: unitPriceMinor is "contract" but customer "C-1" has no contract price for SKU "B-2"',
        },
      ],
    },
    {
      promise: 'a contract price in another currency than the order',
      input: order([{ sku: 'E-1', quantity: 1, unitPriceMinor: 'contract' }]),
      errors: [
        {
          line: 1,
          field: 'unitPriceMinor',
          message: 'line 1: the contract price for SKU "E-1" is in EUR but the order is in USD',
        },
      ],
    },
    {
      promise: 'a sent price one minor unit above the tolerance, giving both prices and the tolerance',
      input: order([{ sku: 'A-1', quantity: 1, unitPriceMinor: 1_006 }]),
      errors: [
        {
          line: 1,
          field: 'unitPriceMinor',
          message:
            'line 1: unitPriceMinor 1006 (USD 10.06) differs from the contract price 1000 (USD 10.00) by more than the 50 bp tolerance (accepted: 995 to 1005)',
        },
      ],
    },
    {
      promise: 'a sent price one minor unit below the tolerance',
      input: order([{ sku: 'A-1', quantity: 1, unitPriceMinor: 994 }]),
      errors: [
        {
          line: 1,
          field: 'unitPriceMinor',
          message:
            'line 1: unitPriceMinor 994 (USD 9.94) differs from the contract price 1000 (USD 10.00) by more than the 50 bp tolerance (accepted: 995 to 1005)',
        },
      ],
    },
    {
      promise: 'a sent list price when a contract price exists, because the contract wins',
      input: order([{ sku: 'A-1', quantity: 1, unitPriceMinor: 1_200 }]),
      errors: [
        {
          line: 1,
          field: 'unitPriceMinor',
          message:
            'line 1: unitPriceMinor 1200 (USD 12.00) differs from the contract price 1000 (USD 10.00) by more than the 50 bp tolerance (accepted: 995 to 1005)',
        },
      ],
    },
    {
      promise: 'a sent price outside the tolerance of the list price',
      input: order([{ sku: 'B-2', quantity: 1, unitPriceMinor: 2_011 }]),
      errors: [
        {
          line: 1,
          field: 'unitPriceMinor',
          message:
            'line 1: unitPriceMinor 2011 (USD 20.11) differs from the list price 2000 (USD 20.00) by more than the 50 bp tolerance (accepted: 1990 to 2010)',
        },
      ],
    },
    {
      promise: 'any difference when the tolerance is 0',
      input: order([{ sku: 'A-1', quantity: 1, unitPriceMinor: 1_001 }], { priceToleranceBp: 0 }),
      errors: [
        {
          line: 1,
          field: 'unitPriceMinor',
          message:
            'line 1: unitPriceMinor 1001 (USD 10.01) differs from the contract price 1000 (USD 10.00) by more than the 0 bp tolerance (accepted: 1000 to 1000)',
        },
      ],
    },
    {
      promise: 'a list price that cannot be compared because it is in another currency',
      input: order([{ sku: 'B-2', quantity: 1, unitPriceMinor: 2_000 }], {
        listPrices: { 'B-2': { unitPriceMinor: 2_000, currency: 'EUR' } },
      }),
      errors: [
        {
          line: 1,
          field: 'unitPriceMinor',
          message:
            'line 1: the list price for SKU "B-2" is in EUR but the order is in USD, so unitPriceMinor 2000 cannot be checked',
        },
      ],
    },
    {
      promise: 'a sent price that is not a whole number of minor units',
      input: order([{ sku: 'Q-1', quantity: 1, unitPriceMinor: 12.5 }]),
      errors: [
        {
          line: 1,
          field: 'unitPriceMinor',
          message: 'line 1: unitPriceMinor must be a non-negative integer of minor units or "contract" (got 12.5)',
        },
      ],
    },
  ])('$promise', ({ input, errors }) => {
    expect(validateOrderLines(input)).toEqual({ ok: false, errors });
  });

  it('reports every violation at once, order-level first, then by line and field', () => {
    const result = validateOrderLines(
      order(
        [
          { sku: 'OLD', quantity: 0, unitPriceMinor: 100 },
          { sku: 'A-1', quantity: 1, unitPriceMinor: 'contract' },
          { sku: 'X-9', quantity: -1, unitPriceMinor: 5 },
        ],
        { customer: { id: 'C-1', currency: 'USD', isActive: false }, currency: 'EUR' },
      ),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'customerId', message: 'customer "C-1" is inactive' },
        { field: 'currency', message: 'order currency "EUR" differs from customer "C-1" currency "USD"' },
        { line: 1, field: 'sku', message: 'line 1: SKU "OLD" is inactive' },
        { line: 1, field: 'quantity', message: 'line 1: quantity must be a positive integer (got 0)' },
        {
          line: 2,
          field: 'unitPriceMinor',
          message: 'line 2: the contract price for SKU "A-1" is in USD but the order is in EUR',
        },
        { line: 3, field: 'sku', message: 'line 3: unknown SKU "X-9"' },
        { line: 3, field: 'quantity', message: 'line 3: quantity must be a positive integer (got -1)' },
      ],
    });
  });

  it('checks the tolerance to the minor unit on very large prices', () => {
    const contract = 900_000_000_000_000; // 50 bp of it is 4_500_000_000_000
    const sent = (unitPriceMinor: number) =>
      order([{ sku: 'A-1', quantity: 1, unitPriceMinor }], { contractPrices: { 'A-1': usd(contract) } });
    expect(validateOrderLines(sent(contract + 4_500_000_000_000)).ok).toBe(true);
    expect(validateOrderLines(sent(contract + 4_500_000_000_001)).ok).toBe(false);
    expect(validateOrderLines(sent(contract - 4_500_000_000_000)).ok).toBe(true);
    expect(validateOrderLines(sent(contract - 4_500_000_000_001)).ok).toBe(false);
  });

  it('throws on a negative tolerance, a configuration error rather than a customer mistake', () => {
    expect(() => validateOrderLines(order([fine], { priceToleranceBp: -1 }))).toThrow(
      'priceToleranceBp must be a non-negative integer (got -1)',
    );
  });
});
