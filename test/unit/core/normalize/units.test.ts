import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../../../src/core/money.js';
import { tokenMultiplier, tokensOf } from '../../../../src/core/normalize/units.js';

describe('tokenMultiplier', () => {
  it.each([
    ['1K tokens', null, false, 1_000n, 'pricing_unit'],
    ['1k Tokens', null, true, 1_000n, 'pricing_unit'],
    ['1M tokens', null, false, 1_000_000n, 'pricing_unit'],
    [
      '1M tokens',
      'AWS Marketplace software usage|us-east-1|Thousand Input Tokens',
      true,
      1_000_000n,
      'pricing_unit',
    ],
    [
      'Units',
      'AWS Marketplace software usage|us-west-2|Million Input Tokens',
      true,
      1_000_000n,
      'description',
    ],
    [
      'Units',
      'AWS Marketplace software usage|us-west-2|Million Input Tokens Regional CRIS',
      true,
      1_000_000n,
      'description',
    ],
    ['Units', 'AWS Marketplace software usage|us-west-2|Thousand Input Tokens', true, 1_000n, 'description'],
    ['Units', 'AWS Marketplace software usage|us-west-2|1K Output Tokens', true, 1_000n, 'description'],
    [
      'Units',
      'AWS Marketplace software usage|us-east-1|Input Tokens - Standard, Global',
      true,
      1_000_000n,
      'fallback',
    ],
    ['Units', null, true, 1_000_000n, 'fallback'],
    ['Units', 'Million Input Tokens', true, 1_000_000n, 'fallback'],
    [null, null, false, 1_000n, 'fallback'],
    ['', '', true, 1_000_000n, 'fallback'],
  ] as const)(
    '%j with description %j (marketplace %s) → ×%s from %s',
    (unit, description, marketplace, multiplier, source) => {
      expect(tokenMultiplier(unit, description, marketplace)).toEqual({ multiplier, source });
    },
  );
});

describe('tokensOf', () => {
  it.each([
    ['0.02645', 1_000_000n, 26_450n], // V1: 0.02645 M input tokens
    ['12500.0', 1_000n, 12_500_000n], // R1
    ['900.0', 1_000n, 900_000n], // R2
    ['42.0', 1_000_000n, 42_000_000n], // R3
    ['8.85E-8', 1_000n, 0n],
    ['0.0005', 1_000n, 0n], // exactly half a token rounds to even (0)
    ['0.0015', 1_000n, 2n], // 1.5 rounds to even (2)
    ['0.0025', 1_000n, 2n], // 2.5 rounds to even (2)
    ['-0.0015', 1_000n, -2n],
    ['1.2345678E3', 1_000_000n, 1_234_567_800n],
  ])('%s × %s = %s tokens', (amount, multiplier, tokens) => {
    expect(tokensOf(parseQuantity(amount), multiplier)).toBe(tokens);
  });
});
