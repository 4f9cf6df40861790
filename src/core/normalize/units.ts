import { MONEY_SCALE, type Quantity } from '../money.js';

export type MultiplierSource = 'pricing_unit' | 'description' | 'fallback';

export interface TokenMultiplier {
  /** Tokens per unit of line_item_usage_amount. */
  multiplier: bigint;
  /** `fallback` means neither the pricing unit nor the description said; the caller reports it. */
  source: MultiplierSource;
}

const THOUSAND = 1_000n;
const MILLION = 1_000_000n;
const QUANTITY_SCALE = 10n ** BigInt(MONEY_SCALE);

/**
 * Tokens per usage unit, derived from the row itself (cur-bedrock.md rule 4): first-party `1K tokens`,
 * newer `1M tokens`, Marketplace `Units` with the unit in the description's third `|` field. When nothing
 * says, the documented convention of the path applies — millions for Marketplace, thousands for first
 * party — and `source` is `fallback`.
 */
export function tokenMultiplier(
  pricingUnit: string | null,
  itemDescription: string | null,
  isMarketplace: boolean,
): TokenMultiplier {
  const unit = (pricingUnit ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  const fromUnit = multiplierOfWords(unit);
  if (fromUnit !== null) return { multiplier: fromUnit, source: 'pricing_unit' };
  if (unit === 'tokens' || unit === 'token') return { multiplier: 1n, source: 'pricing_unit' };

  const described = (itemDescription ?? '').split('|')[2]?.trim().toLowerCase() ?? '';
  const fromDescription = multiplierOfWords(described);
  if (fromDescription !== null) return { multiplier: fromDescription, source: 'description' };

  return { multiplier: isMarketplace ? MILLION : THOUSAND, source: 'fallback' };
}

function multiplierOfWords(text: string): bigint | null {
  if (text === '') return null;
  if (/\b(?:1\s?m|million|mtok)\b/.test(text)) return MILLION;
  if (/\b(?:1\s?k|thousand|ktok)\b/.test(text)) return THOUSAND;
  return null;
}

/** usage × multiplier as a whole number of tokens, exact until the final half-even rounding. */
export function tokensOf(usageAmount: Quantity, multiplier: bigint): bigint {
  return divideHalfEven(usageAmount * multiplier, QUANTITY_SCALE);
}

function divideHalfEven(numerator: bigint, divisor: bigint): bigint {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / divisor;
  const twice = (abs % divisor) * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}
