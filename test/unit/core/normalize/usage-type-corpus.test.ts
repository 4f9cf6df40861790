import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOKEN_USAGE_KINDS } from '../../../../src/core/facts/daily-fact.js';
import { toDailyFacts } from '../../../../src/core/normalize/to-daily-facts.js';
import { normalizeContext, stage1Row } from './fixtures.js';

/** One real usage type with its provenance and the classification assigned to it by hand (test/corpus/README.md). */
interface CorpusEntry {
  usageType: string;
  convention: number;
  source: { repo: string; path: string; commit: string } | { url: string };
  productCode?: string;
  productName?: string;
  unit?: string;
  description?: string;
  expected: {
    usageKind: string;
    serviceTier: string;
    routing: string;
    cacheTtl: '5m' | '30m' | '1h' | null;
    context: 'standard' | 'long';
    model: string | null;
    modelTier: string | null;
    tokensPerUnit: number | null;
  };
}

const corpus = JSON.parse(
  readFileSync(new URL('../../../corpus/usage-types.json', import.meta.url), 'utf8'),
) as { entries: CorpusEntry[] };
const ctx = normalizeContext();
const TTL_OF: Readonly<Record<string, string | null>> = {
  cache_write: '5m',
  cache_write_30m: '30m',
  cache_write_1h: '1h',
};

describe('real usage-type corpus through stage 2', () => {
  it('holds real entries with provenance for every convention it claims', () => {
    expect(corpus.entries.length).toBeGreaterThanOrEqual(300);
    for (const e of corpus.entries) {
      expect(
        'url' in e.source ||
          (e.source.repo.includes('/') && e.source.path !== '' && e.source.commit.length === 40),
      ).toBe(true);
      expect(e.convention).toBeGreaterThanOrEqual(1);
      expect(e.convention).toBeLessThanOrEqual(19);
    }
  });

  it.each(
    corpus.entries.map(
      (e, i) => [`${i} ${e.usageType}${e.productName ? ` (${e.productName})` : ''}`, e] as const,
    ),
  )('%s', (_name, e) => {
    // Prepare: one unit of usage, as the source bills it
    const marketplace = e.usageType.includes('MP:');
    const row = stage1Row({
      usageType: e.usageType,
      billingEntity: marketplace ? 'AWS Marketplace' : 'AWS',
      productCode: e.productCode ?? (marketplace ? 'AmazonBedrockFoundationModels' : 'AmazonBedrock'),
      productName: e.productName ?? (marketplace ? null : 'Amazon Bedrock'),
      pricingUnit: e.unit ?? null,
      itemDescription: e.description ?? null,
      usageAmount: '1',
    });

    // Act
    const { facts, warnings } = toDailyFacts([row], ctx);

    // Assess
    expect(facts).toHaveLength(1);
    const fact = facts[0]!;
    expect({
      usageKind: fact.usageKind,
      serviceTier: fact.serviceTier,
      routing: fact.routing,
      cacheTtl: TTL_OF[fact.usageKind] ?? null,
      context: fact.context,
      tokens: fact.tokens,
    }).toEqual({
      usageKind: e.expected.usageKind,
      serviceTier: e.expected.serviceTier,
      routing: e.expected.routing,
      cacheTtl: e.expected.cacheTtl,
      context: e.expected.context,
      tokens: e.expected.tokensPerUnit ?? 0,
    });
    expect(warnings.unknownUsageTypes.size).toBe(0);
    if (e.expected.model !== null) {
      expect({ model: fact.model, modelTier: fact.modelTier }).toEqual({
        model: e.expected.model,
        modelTier: e.expected.modelTier ?? 'unknown',
      });
      expect(warnings.unknownModels.size).toBe(0);
    }
    // A non-token line never carries tokens and never warns of an unknown model when it names none.
    if (!TOKEN_USAGE_KINDS.has(fact.usageKind)) {
      expect(fact.tokens).toBe(0);
      if (e.expected.model === null && !marketplace) expect(warnings.unknownModels.size).toBe(0);
    }
  });

  it('knows the model of every token line whose source names one', () => {
    const named = corpus.entries.filter(
      (e) => e.expected.tokensPerUnit !== null && e.expected.model !== null,
    );
    const { facts } = toDailyFacts(
      named.map((e) =>
        stage1Row({
          usageType: e.usageType,
          billingEntity: e.usageType.includes('MP:') ? 'AWS Marketplace' : 'AWS',
          productCode: e.productCode ?? 'AmazonBedrock',
          productName: e.productName ?? null,
          pricingUnit: e.unit ?? null,
        }),
      ),
      ctx,
    );
    expect(facts.filter((f) => f.model.startsWith('unknown:'))).toEqual([]);
  });
});
