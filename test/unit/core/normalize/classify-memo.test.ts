import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRowClassifier } from '../../../../src/core/normalize/classify-row.js';
import type { Stage1Row } from '../../../../src/core/normalize/stage1-row.js';
import { normalizeContext, stage1Row } from './fixtures.js';

// Few values per field; a sequence changes one field at a time, so consecutive rows differ in one field only.
const FIELDS = {
  usageAccount: fc.constantFrom('111122223333', '444455556666'),
  usageAccountName: fc.constantFrom('prod-genai', 'dev-sandbox', null),
  billingEntity: fc.constantFrom('AWS', 'AWS Marketplace'),
  productName: fc.constantFrom('Amazon Bedrock', 'Claude Sonnet 4.6 (Amazon Bedrock Edition)', null),
  usageType: fc.constantFrom(
    'USE1-NovaLite-input-tokens',
    'USE1-NovaLite-output-tokens',
    'USE1-MP:USE1_InputTokenCount-Units',
  ),
  pricingUnit: fc.constantFrom('1K tokens', 'Units', null),
  itemDescription: fc.constantFrom('AWS Marketplace software usage|us-east-1|Million Input Tokens', null),
  resourceId: fc.constantFrom(
    'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc',
    null,
  ),
  lineItemType: fc.constantFrom('Usage', 'Tax'),
  iamPrincipal: fc.constantFrom('arn:aws:iam::111122223333:role/app', null),
  resourceTags: fc.constantFrom([], [['workload', 'search']] as const, [['workload', 'chat']] as const),
  principalTags: fc.constantFrom([], [['team', 'core']] as const),
  accountTags: fc.constantFrom([], [['environment', 'dev']] as const),
};
const rowsArb: fc.Arbitrary<Stage1Row[]> = fc
  .tuple(
    fc.record(FIELDS),
    fc.array(
      fc.oneof(
        ...Object.entries(FIELDS).map(([field, values]) =>
          fc.record({ field: fc.constant(field), value: values }),
        ),
      ),
      {
        minLength: 1,
        maxLength: 40,
      },
    ),
  )
  .map(([first, changes]) => {
    let row = stage1Row(first as Partial<Stage1Row>);
    const rows = [row];
    for (const { field, value } of changes) {
      row = { ...row, [field]: value };
      rows.push(row);
    }
    return rows;
  });

describe('row classification memo', () => {
  it('classifies every row of a sequence as a fresh classifier classifies it alone', () => {
    const ctx = normalizeContext();
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const classify = createRowClassifier(ctx);
        for (const row of rows) {
          // a copy with fresh tag arrays: equal content, other identity
          const copy = { ...row, resourceTags: row.resourceTags.map((p) => [...p] as const) };
          expect(classify(copy)).toEqual(createRowClassifier(ctx)(row));
        }
      }),
      { numRuns: 300 },
    );
  });
});
