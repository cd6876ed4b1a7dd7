/**
 * Money on screen: the API speaks integer minor units plus an ISO currency code. Formatting goes
 * through Intl.NumberFormat with a decimal *string* (never amount / 100), and parsing what a person
 * typed builds the integer from the digits, so no amount ever passes through a binary fraction.
 */

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale?: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, f);
  }
  return f;
}

/** Digits after the decimal point for this currency (USD 2, JPY 0, KWD 3), as Intl knows them. */
export function minorDigits(currency: string): number {
  try {
    return formatter(currency, 'en-US').resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "123456" with 2 digits -> "1234.56"; "-5" -> "-0.05". Exact for any integer. */
export function minorToDecimalString(amountMinor: number | bigint, currency: string): string {
  const digits = minorDigits(currency);
  const text = BigInt(amountMinor).toString();
  const negative = text.startsWith('-');
  const abs = negative ? text.slice(1) : text;
  if (digits === 0) return text;
  const padded = abs.padStart(digits + 1, '0');
  const whole = padded.slice(0, padded.length - digits);
  const fraction = padded.slice(padded.length - digits);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** "$1,234.56" for (123456, 'USD'); falls back to "1234.56 XYZ" for a code Intl does not know. */
export function formatMinor(
  amountMinor: number | bigint | null | undefined,
  currency: string,
  locale?: string,
): string {
  if (amountMinor === null || amountMinor === undefined) return '—';
  const decimal = minorToDecimalString(amountMinor, currency);
  try {
    // Intl.NumberFormat formats a decimal string exactly (ES2023); typed as number in older libs.
    return formatter(currency, locale).format(decimal as unknown as number);
  } catch {
    return `${decimal} ${currency}`;
  }
}

export type ParsedMoney = { ok: true; amountMinor: number } | { ok: false; message: string };

/**
 * Reads an amount a person typed ("1,234.56", "1234.5", "$ 20", "20.00") into minor units of
 * `currency`. Accepts digits with optional thousands separators (comma, space, apostrophe) and at
 * most the currency's number of decimals after a point; refuses anything else with a reason.
 */
export function parseMoneyInput(input: string, currency: string): ParsedMoney {
  const digits = minorDigits(currency);
  const cleaned = input
    .trim()
    .replace(/^[^\d.-]+/, '')
    .replace(/[\s'\u00a0\u202f]/g, '');
  if (cleaned === '') return { ok: false, message: 'enter an amount' };
  if (cleaned.startsWith('-')) return { ok: false, message: 'must be more than zero' };
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (match[1] === undefined && !match[2]))
    return { ok: false, message: `not an amount: "${input.trim()}"` };
  const whole = (match[1] ?? '0').replace(/,/g, '');
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return {
      ok: false,
      message: digits === 0 ? `${currency} has no decimals` : `at most ${digits} decimals for ${currency}`,
    };
  }
  const minorText = `${whole}${fraction.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  const amountMinor = Number(minorText);
  if (!Number.isSafeInteger(amountMinor)) return { ok: false, message: 'amount is too large' };
  if (amountMinor <= 0) return { ok: false, message: 'must be more than zero' };
  return { ok: true, amountMinor };
}
