import { describe, expect, it } from 'vitest';
import { coverageLines } from '../../../../src/cli/output/model-coverage.js';
import { modelCoverage } from '../../../../src/core/facts/model-coverage.js';
import { dfact } from '../../../helpers/digest-facts.js';

describe('model coverage of ingested facts', () => {
  const facts = [
    dfact({ model: 'anthropic.claude-sonnet-4-6', cost: '10', lineItems: 2 }),
    dfact({ model: 'xai.grok-4.3', cost: '2.5', lineItems: 1 }),
    dfact({ model: 'unknown:Zorblax7', cost: '4', lineItems: 3 }),
    dfact({ model: 'feature:guardrails', usageKind: 'guardrail', cost: '1', lineItems: 1 }),
    dfact({ model: 'none', lineItemType: 'Tax', cost: '0.5', lineItems: 1 }),
  ];

  it('splits spend into known models, unknown:<raw> models and lines that name no model', () => {
    const c = modelCoverage(facts);
    expect(c.known.models).toEqual(['anthropic.claude-sonnet-4-6', 'xai.grok-4.3']);
    expect(c.unknown.models).toEqual(['unknown:Zorblax7']);
    expect([c.known.cost, c.unknown.cost, c.noModel.cost]).toEqual([
      12_500_000_000_000_000n,
      4_000_000_000_000_000n,
      1_500_000_000_000_000n,
    ]);
    expect(c.unknown.lineItems).toBe(3);
  });

  it('reports known vs unknown with dollars in the ingest summary, unknown ones by name', () => {
    const lines = coverageLines([modelCoverage(facts.slice(0, 3)), null, modelCoverage(facts.slice(3))]);
    expect(lines[0]).toBe(
      'Models: 2 known ($12.50), 1 unknown ($4.00), $1.50 on lines that name no model (features, tax, credits)',
    );
    expect(lines[1]).toContain('unknown:Zorblax7');
    expect(coverageLines([null])).toEqual([]);
  });
});
