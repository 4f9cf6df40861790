import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOKEN_USAGE_KINDS } from '../../../../src/core/facts/daily-fact.js';
import { parseMoney, parseQuantity } from '../../../../src/core/money.js';
import type { Stage1Row } from '../../../../src/core/normalize/stage1-row.js';
import { toDailyFacts } from '../../../../src/core/normalize/to-daily-facts.js';
import { parseUsageType } from '../../../../src/core/normalize/usage-type.js';
import { normalizeContext, stage1Row } from './fixtures.js';
import { USAGE_TYPE_CASES } from './usage-type-cases.js';

const ctx = normalizeContext();

/** Decimal strings as CUR writes them: plain, negative (credits) and scientific ("8.85E-8"). */
const decimal = fc.oneof(
  fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 15 }))
    .map(([negative, digits, scale]) => {
      const text = digits.toString().padStart(scale + 1, '0');
      const body = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
      return `${negative ? '-' : ''}${body}`;
    }),
  fc
    .tuple(
      fc.integer({ min: -999, max: 999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: -12, max: 6 }),
    )
    .map(([whole, frac, exp]) => `${whole}.${String(frac).padStart(2, '0')}E${exp}`),
);

const tags = fc.array(
  fc.tuple(
    fc.constantFrom('workload', 'application', 'team', 'costcenter', 'environment', 'other'),
    fc.string({ maxLength: 6 }),
  ),
  { maxLength: 3 },
);

const row: fc.Arbitrary<Stage1Row> = fc
  .record({
    template: fc.constantFrom(...USAGE_TYPE_CASES),
    usageDate: fc.constantFrom('2026-06-01', '2026-06-02'),
    usageAccount: fc.constantFrom('111122223333', '444455556666'),
    lineItemType: fc.constantFrom('Usage', 'Usage', 'Usage', 'Credit', 'Tax', 'Refund'),
    operation: fc.constantFrom('InvokeModelInference', 'InvokeModelStreamingInference', 'Usage', null),
    resourceTags: tags,
    principalTags: tags,
    usageAmount: decimal,
    costUnblended: decimal,
    costNet: decimal,
    lineItems: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ template, ...fields }) => stage1Row({ usageType: template.usageType, ...template.row, ...fields }));

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

describe('toDailyFacts properties', () => {
  it('drops nothing: Σ costUnblended, Σ costNet, Σ usage and Σ line items of facts equal the input', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const { facts } = toDailyFacts(rows, ctx);
        expect(sum(facts.map((f) => f.costUnblended))).toBe(
          sum(rows.map((r) => parseMoney(r.costUnblended))),
        );
        expect(sum(facts.map((f) => f.costNet))).toBe(sum(rows.map((r) => parseMoney(r.costNet))));
        expect(sum(facts.map((f) => f.usageAmount))).toBe(sum(rows.map((r) => parseQuantity(r.usageAmount))));
        expect(facts.reduce((n, f) => n + f.lineItems, 0)).toBe(rows.reduce((n, r) => n + r.lineItems, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on input row order', () => {
    fc.assert(
      fc.property(
        fc
          .array(row, { maxLength: 30 })
          .chain((rows) =>
            fc.tuple(
              fc.constant(rows),
              fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
            ),
          ),
        ([rows, shuffled]) => {
          const a = toDailyFacts(rows, ctx);
          const b = toDailyFacts(shuffled, ctx);
          expect(b.facts).toEqual(a.facts);
          expect([...b.warnings.unknownModels]).toEqual([...a.warnings.unknownModels]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives every fact a distinct key and sorts them', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const { facts } = toDailyFacts(rows, ctx);
        const keys = facts.map(({ tokens, usageAmount, costUnblended, costNet, lineItems, ...key }) =>
          JSON.stringify(key),
        );
        expect(new Set(keys).size).toBe(keys.length);
        const dates = facts.map((f) => f.usageDate);
        expect(dates).toEqual([...dates].sort());
      }),
    );
  });

  it('classifies arbitrary strings without throwing', () => {
    const noisy = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc
        .array(
          fc.constantFrom(
            'USE1',
            'MP:',
            '-',
            '_',
            'input',
            'Output',
            'cache',
            'write',
            '1h',
            'global',
            'batch',
            'Claude4.6Sonnet',
            'mantle',
            'Reserved',
            'ProvisionedThroughput',
            'x',
          ),
          { maxLength: 10 },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(
        noisy,
        noisy,
        noisy,
        noisy,
        noisy,
        (usageType, productName, pricingUnit, description, resourceId) => {
          expect(() => parseUsageType(usageType, productName)).not.toThrow();
          const { facts } = toDailyFacts(
            [
              stage1Row({
                usageType,
                productName,
                pricingUnit,
                itemDescription: description,
                resourceId,
                billingEntity: productName.length % 2 ? 'AWS Marketplace' : 'AWS',
              }),
            ],
            ctx,
          );
          expect(facts).toHaveLength(1);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never makes tokens for non-usage rows or non-token kinds', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        for (const fact of toDailyFacts(rows, ctx).facts) {
          const tokenKind = TOKEN_USAGE_KINDS.has(fact.usageKind);
          if (!tokenKind || fact.lineItemType !== 'Usage') expect(fact.tokens).toBe(0);
        }
      }),
    );
  });
});
