/** Money is integer minor units plus an ISO currency: never floating point. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** Multiplies a unit price by a quantity, refusing results JavaScript cannot represent exactly. */
export function lineAmountMinor(unitPriceMinor: number, quantity: number): number {
  const amount = unitPriceMinor * quantity;
  if (!Number.isSafeInteger(amount))
    throw new RangeError(`line amount ${unitPriceMinor} x ${quantity} exceeds the exact integer range`);
  return amount;
}

export function sumMinor(amounts: readonly number[]): number {
  const total = amounts.reduce((sum, a) => sum + a, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError('total exceeds the exact integer range');
  return total;
}

const DIGITS: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };

/** "USD 1,234.50": exact formatting from minor units for e-mails and PDFs. */
export function formatMoney(amountMinor: number, currency: string): string {
  const digits = DIGITS[currency] ?? 2;
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  const scale = 10 ** digits;
  const whole = Math.floor(abs / scale).toLocaleString('en-US');
  const fraction = digits > 0 ? `.${String(abs % scale).padStart(digits, '0')}` : '';
  return `${sign}${currency} ${whole}${fraction}`;
}
