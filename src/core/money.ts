/**
 * Exact money. CUR costs arrive as doubles (Parquet) or decimal strings (CSV); stage 1 converts each
 * value once to DECIMAL(38,15) and everything after that is integer arithmetic on bigint, so sums
 * never drift. 15 fractional digits keep sub-nano-dollar line items (1.8E-9 in real CUR) exact.
 */
export type Money = bigint & { readonly __unit: 'usd_1e-15' };

export const MONEY_SCALE = 15;

export const ZERO: Money = 0n as Money;

const DECIMAL_PATTERN = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal string ("12.5", "-0.000001", "8.85E-8"); digits beyond 15 decimals round half-even. */
export function parseMoney(text: string): Money {
  return parseScaled(text) as Money;
}

/**
 * A non-money quantity (usage amount) at the same fixed scale as Money, so sums of usage are exact too.
 */
export type Quantity = bigint & { readonly __unit: 'qty_1e-15' };

export function parseQuantity(text: string): Quantity {
  return parseScaled(text) as Quantity;
}

export function formatQuantity(value: Quantity): string {
  return formatMoney(value as unknown as Money);
}

// The form SQL prints a DECIMAL(38,15) in, and the fact store writes: read without rounding or regex groups.
const FIXED_SCALE_PATTERN = new RegExp(`^-?\\d+\\.\\d{${MONEY_SCALE}}$`);

function parseScaled(text: string): bigint {
  if (FIXED_SCALE_PATTERN.test(text)) return BigInt(text.replace('.', ''));
  const trimmed = text.trim();
  const match = DECIMAL_PATTERN.exec(trimmed);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new RangeError(`not a decimal number: "${text}"`);
  }
  const sign = match[1] === '-' ? -1n : 1n;
  const intDigits = match[2] ?? '';
  const fracDigits = match[3] ?? '';
  const exponent = Number(match[4] ?? '0');
  const digits = BigInt((intDigits + fracDigits).replace(/^0+(?=\d)/, '') || '0');
  // value = digits * 10^(exponent - fracDigits.length); we want value * 10^MONEY_SCALE
  const shift = exponent - fracDigits.length + MONEY_SCALE;
  if (shift >= 0) return sign * digits * 10n ** BigInt(shift);
  return sign * roundHalfEven(digits, 10n ** BigInt(-shift));
}

function roundHalfEven(numerator: bigint, divisor: bigint): bigint {
  const quotient = numerator / divisor;
  const remainder = numerator % divisor;
  const twice = remainder * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** Exact decimal string with trailing zeros trimmed: 1.5, 0.000000001, -3. */
export function formatMoney(value: Money): string {
  // One bigint → text conversion, then string slicing: no bigint division.
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(MONEY_SCALE + 1, '0');
  const point = digits.length - MONEY_SCALE;
  const frac = digits.slice(point).replace(/0+$/, '');
  return `${negative ? '-' : ''}${digits.slice(0, point)}${frac ? `.${frac}` : ''}`;
}

/** Rounded to cents for display only ("$1,234.57"); never feed the result back into arithmetic. */
export function formatUsd(value: Money, fractionDigits = 2): string {
  const unit = 10n ** BigInt(MONEY_SCALE - fractionDigits);
  const rounded = roundHalfEven(value < 0n ? -value : value, unit);
  const whole = rounded / 10n ** BigInt(fractionDigits);
  const frac = (rounded % 10n ** BigInt(fractionDigits)).toString().padStart(fractionDigits, '0');
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0n && rounded !== 0n ? '-' : ''}$${grouped}${fractionDigits > 0 ? `.${frac}` : ''}`;
}

export function sumMoney(values: Iterable<Money>): Money {
  let total = 0n;
  for (const v of values) total += v;
  return total as Money;
}

export function subtractMoney(a: Money, b: Money): Money {
  return (a - b) as Money;
}

export function absMoney(value: Money): Money {
  return (value < 0n ? -value : value) as Money;
}

/** Whole US dollars to Money, for thresholds written in config ("$25"). */
export function usd(dollars: number | string): Money {
  return parseMoney(String(dollars));
}

/** Lossy conversion for ratios and charts only. */
export function moneyToNumber(value: Money): number {
  return Number(value) / 10 ** MONEY_SCALE;
}

/** |a - b| <= tolerance; reconciliation uses 1e-6 USD. */
export function moneyWithin(a: Money, b: Money, tolerance: Money): boolean {
  return absMoney(subtractMoney(a, b)) <= tolerance;
}

export const RECONCILIATION_TOLERANCE: Money = parseMoney('0.000001');
