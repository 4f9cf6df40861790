import type { Routing, ServiceTier, UsageKind } from '../facts/daily-fact.js';

/**
 * Which naming family a usage type belongs to. Only `unrecognised` is a problem: it means the usage type
 * matched none of the documented shapes (cur-bedrock.md §1.3) and is reported as a warning.
 */
export type UsageTypeFamily =
  | 'first_party'
  | 'mantle'
  | 'marketplace'
  | 'provisioned'
  | 'reserved'
  | 'customization'
  | 'feature'
  | 'media'
  | 'unrecognised';

/** A Bedrock feature billed without a model, or a media model whose usage type may not name it. */
export interface FeatureRef {
  slug: string;
  /** true: use the catalog model when the usage type names one, the feature only as a fallback. */
  modelFirst: boolean;
}

export interface ParsedUsageType {
  /** Billing prefix (`USE1`, `EU`, `APS3`), '' when the usage type has none. */
  regionCode: string;
  /** Model part of a first-party usage type (`Claude4.6Sonnet`, `openai.gpt-oss-120b`); '' when none. */
  modelToken: string;
  family: UsageTypeFamily;
  usageKind: UsageKind;
  serviceTier: ServiceTier;
  routing: Routing;
  longContext: boolean;
  /** The `MP:` dimension form; the model then comes from the product name, not the usage type. */
  isMarketplace: boolean;
  feature: FeatureRef | null;
}

// Everything after the model in a first-party usage type starts with one of these words; cutting at the
// first one (instead of splitting on '-') keeps `Qwen3-32B` and `Mistral-Large-3-675b-Instruct` whole.
const MODEL_END =
  /-(?:mantle|input|output|cache|provisionedthroughput|modelunits|customization|rft|custommodelimport|reserved)(?=-|$)/i;

const REGION_PREFIX = /^[A-Z]{2,4}\d{0,2}$/;

/** Non-model features (CUDOS substrings), checked before token kinds: some of them contain "input". */
const FEATURES: readonly (readonly [RegExp, string])[] = [
  [/guardrail/, 'guardrails'],
  [/evaluation/, 'evaluations'],
  [/invokeflow|bedrockflows/, 'flows'],
  [/optimizeprompt|prompt-?optimi[sz]ation/, 'prompt-optimization'],
  [/prompt-?routing|promptrouter/, 'prompt-routing'],
  [/nova-?grounding|web-?grounding/, 'web-grounding'],
  [/generatesql|structuredretrieve/, 'structured-retrieval'],
  [/search[-_]?units|rerank/, 'rerank'],
  [/data-?automation/, 'data-automation'],
];

/** Media models: billed per image / second / session; the usage type usually, not always, names the model. */
const MEDIA_FEATURES: readonly (readonly [RegExp, string])[] = [
  [/novacanvas|imagegenerator|image-generat|created_image|createdimage/, 'image-generation'],
  [/novareel|(?:^|[-_])[ti]2v(?:[-_]|$)|ray-?v2|video-?generat/, 'video-generation'],
  [/sonic/, 'speech'],
  [/embedding/, 'embeddings'],
];

const AGENTCORE: readonly (readonly [RegExp, string])[] = [
  [/runtime/, 'agentcore-runtime'],
  [/gateway/, 'agentcore-gateway'],
  [/memory/, 'agentcore-memory'],
  [/browser/, 'agentcore-browser'],
  [/code-?interpreter/, 'agentcore-code-interpreter'],
  [/identity/, 'agentcore-identity'],
];

/**
 * Parses `line_item_usage_type` into its parts by substring tests in the CUDOS order (cur-bedrock.md §1.3,
 * §6). Never throws: anything unexpected is `family: 'unrecognised'` with usage kind `other`.
 */
export function parseUsageType(usageType: string, productCode = ''): ParsedUsageType {
  const raw = usageType.trim();
  const lower = raw.toLowerCase();
  const { regionCode, rest } = splitRegionPrefix(raw);
  const mpAt = lower.indexOf('mp:');
  const isMarketplace = mpAt === 0 || (mpAt > 0 && lower[mpAt - 1] === '-');

  // The tier / routing / kind words are read only from the part after the model, so a model name can
  // never look like a tier (a future `Claude5.1Haiku` would otherwise read as a 1-hour cache write).
  let modelToken = '';
  let dimension: string;
  if (isMarketplace) {
    dimension = lower.slice(mpAt + 3);
  } else {
    const end = MODEL_END.exec(rest);
    modelToken = (end ? rest.slice(0, end.index) : rest).trim();
    dimension = end ? rest.slice(end.index).toLowerCase() : '';
  }

  const base = {
    regionCode,
    modelToken,
    routing: routingOf(dimension),
    longContext: /long[-_]?(?:context|ctx)/.test(dimension),
    isMarketplace,
    feature: null,
  };

  if (lower.includes('provisionedthroughput') || lower.includes('modelunits')) {
    return {
      ...base,
      family: 'provisioned',
      usageKind: 'provisioned_hours',
      serviceTier: 'provisioned',
      routing: 'in_region',
    };
  }
  if (lower.includes('reserved')) {
    return { ...base, family: 'reserved', usageKind: 'reserved_hours', serviceTier: 'reserved' };
  }
  if (lower.includes('custommodelimport')) {
    return {
      ...base,
      family: 'customization',
      usageKind: 'other',
      serviceTier: 'custom_model',
      feature: { slug: 'custom-model-import', modelFirst: true },
    };
  }
  if (/customization-(?:training|storage)|rft-training/.test(lower)) {
    return { ...base, family: 'customization', usageKind: 'other', serviceTier: 'custom_model' };
  }

  const feature = featureOf(lower, productCode);
  if (feature !== null) {
    return {
      ...base,
      modelToken: '',
      family: 'feature',
      usageKind: 'other',
      serviceTier: 'standard',
      feature: { slug: feature, modelFirst: false },
    };
  }

  // No model-end marker (`USE1-Foo-InputTokens`): still classify the kind, the model token is then the
  // whole remainder and resolves, if at all, by prefix.
  const kind =
    tokenKindOf(dimension) ?? (isMarketplace || dimension ? null : tokenKindOf(rest.toLowerCase()));
  if (kind !== null) {
    return {
      ...base,
      family: isMarketplace ? 'marketplace' : dimension.startsWith('-mantle-') ? 'mantle' : 'first_party',
      usageKind: kind,
      serviceTier: tierOf(dimension),
    };
  }

  const media = MEDIA_FEATURES.find(([pattern]) => pattern.test(lower));
  if (media) {
    return {
      ...base,
      family: 'media',
      usageKind: 'other',
      serviceTier: 'standard',
      feature: { slug: media[1], modelFirst: true },
    };
  }

  return { ...base, family: 'unrecognised', usageKind: 'other', serviceTier: 'standard' };
}

function splitRegionPrefix(raw: string): { regionCode: string; rest: string } {
  const dash = raw.indexOf('-');
  if (dash <= 0) return { regionCode: '', rest: raw };
  const head = raw.slice(0, dash);
  if (!REGION_PREFIX.test(head)) return { regionCode: '', rest: raw };
  return { regionCode: head, rest: raw.slice(dash + 1) };
}

function featureOf(lower: string, productCode: string): string | null {
  if (productCode === 'AmazonBedrockAgentCore' || lower.includes('agentcore')) {
    return AGENTCORE.find(([pattern]) => pattern.test(lower))?.[1] ?? 'agentcore';
  }
  for (const [pattern, slug] of FEATURES) if (pattern.test(lower)) return slug;
  // AgentCore rows billed under another product code still have these distinctive shapes.
  if (/runtime/.test(lower) && /vcpu/.test(lower)) return 'agentcore-runtime';
  if (/(?:short|long)-?term-?memory/.test(lower)) return 'agentcore-memory';
  if (/gateway/.test(lower)) return 'agentcore-gateway';
  return null;
}

/** CUDOS order: cache read, 1-hour cache write, cache write, input, output. Cache types also say "input". */
function tokenKindOf(dimension: string): UsageKind | null {
  if (/cache[-_]?read/.test(dimension)) return 'cache_read';
  if (/cache[-_]?write/.test(dimension)) return dimension.includes('1h') ? 'cache_write_1h' : 'cache_write';
  if (dimension.includes('input')) return 'input';
  if (dimension.includes('output')) return 'output';
  return null;
}

function tierOf(dimension: string): ServiceTier {
  if (/custom[-_]?model/.test(dimension)) return 'custom_model';
  if (dimension.includes('batch')) return 'batch';
  if (/[-_]flex(?=[-_]|$)/.test(dimension)) return 'flex';
  if (/[-_]priority(?=[-_]|$)/.test(dimension)) return 'priority';
  if (/latency[-_]?optimi[sz]ed/.test(dimension)) return 'latency_optimized';
  return 'standard';
}

function routingOf(dimension: string): Routing {
  if (/cross-region-global|[-_]global(?=[-_]|$)/.test(dimension)) return 'global';
  if (/[-_]geo(?=[-_]|$)|cross-region/.test(dimension)) return 'geo';
  return 'in_region';
}
