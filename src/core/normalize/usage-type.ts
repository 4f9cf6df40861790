import type { ContextWindow, Routing, ServiceTier, UsageKind } from '../facts/daily-fact.js';

/**
 * Which naming family a usage type belongs to (usage-type conventions 1–19). Only `unrecognised` is a
 * problem: the usage type matched none of the known shapes and is reported as a warning.
 */
export type UsageTypeFamily =
  | 'first_party'
  | 'mantle'
  | 'dotted'
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
  /** true: use the model when the usage type or product names one, the feature only as a fallback. */
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
  context: ContextWindow;
  /** The `MP:` dimension form; the model then comes from the product name, not the usage type. */
  isMarketplace: boolean;
  feature: FeatureRef | null;
}

// Everything after the model in a first-party usage type starts with one of these words; cutting at the
// first one (instead of splitting on '-') keeps `Qwen3-32B` and `Mistral-Large-3-675b-Instruct` whole.
const MODEL_END =
  /-(?:mantle|input|output|cache|provisionedthroughput|modelunits|customization|rft|custommodelimport|reserved|search-?units|nova-grounding)(?=-|$)/i;
// A lower-case modality word before the direction (`Nova2.0Pro-text-input-tokens`) ends the model too; an
// upper-case one is part of the model's name (`TitanEmbeddingsG1-Image-input-image`).
const MODALITY_BEFORE_DIRECTION = /-(?:text|speech|audio|image|video)-(?=input|output)/;
// Latency-optimized spelled inside the model name (`Llama3-1-70B-LatencyOptimized-input-tokens`).
const LATENCY_IN_MODEL = /-latency-?optimi[sz]ed$/i;

const REGION_PREFIX = /^[A-Z]{2,4}\d{0,2}$/;
const MARKETPLACE_REGION = /^[A-Za-z]{2,4}\d{0,2}_/;

/** Non-model features, checked before token kinds: some of them contain "input". */
const FEATURES: readonly (readonly [RegExp, string, UsageKind, boolean])[] = [
  // [pattern on the lower-case usage type, feature slug, usage kind, model first]
  [/guardrail/, 'guardrails', 'guardrail', false],
  [/knowledge-?base/, 'knowledge-base', 'knowledge_base', false],
  [/evaluation/, 'evaluations', 'other', false],
  [/invokeflow|bedrockflows/, 'flows', 'other', false],
  [/optimizeprompt|prompt-?optimi[sz]ation/, 'prompt-optimization', 'other', false],
  [/prompt-?routing|promptrouter/, 'prompt-routing', 'other', false],
  [/websearch|web-search/, 'web-search', 'web_search', false],
  [/nova-?grounding|web-?grounding/, 'web-grounding', 'web_search', false],
  [/generatesql|structuredretrieve/, 'structured-retrieval', 'other', false],
  [/search[-_]?units|rerank/, 'rerank', 'rerank', true],
  [/data-?automation/, 'data-automation', 'data_automation', false],
];

/** Media models billed per image or second; the usage type usually, not always, names the model. */
const MEDIA_FEATURES: readonly (readonly [RegExp, string, UsageKind])[] = [
  [
    /novacanvas|imagegenerator|image-generat|created_?image|(?:^|[-_])[ti]2i(?:[-_]|$)/,
    'image-generation',
    'image_generation',
  ],
  [/novareel|(?:^|[-_])[ti]2v(?:[-_]|$)|ray-?v2|video-?generat/, 'video-generation', 'video_generation'],
  [/sonic/, 'speech', 'media_input'],
  [/embedding/, 'embeddings', 'media_input'],
];

const AGENTCORE: readonly (readonly [RegExp, string])[] = [
  [/runtime/, 'agentcore-runtime'],
  [/gateway/, 'agentcore-gateway'],
  [/memory/, 'agentcore-memory'],
  [/browser/, 'agentcore-browser'],
  [/code-?interpreter/, 'agentcore-code-interpreter'],
  [/identity/, 'agentcore-identity'],
  [/polic(?:y|ies)/, 'agentcore-policy'],
];

/**
 * Parses `line_item_usage_type` into its parts. The dimension after the model (or after `MP:<R>_`) is split
 * into lower-case words — CamelCase and snake_case Marketplace dimensions and dash-separated first-party ones
 * alike — and token kind, cache TTL, tier, routing and context are read from those words in any order.
 * Never throws: anything unexpected is `family: 'unrecognised'` with usage kind `other`.
 */
export function parseUsageType(usageType: string, productCode = ''): ParsedUsageType {
  const raw = usageType.trim();
  const lower = raw.toLowerCase();
  const { regionCode, rest } = splitRegionPrefix(raw);
  const mpAt = lower.indexOf('mp:');
  const isMarketplace = mpAt === 0 || (mpAt > 0 && lower[mpAt - 1] === '-');

  // The kind / tier / routing words are read only from the part after the model, so a model name can
  // never look like a tier (a future `Claude5.1Haiku` would otherwise read as a 1-hour cache write).
  let modelToken = '';
  let dimensionText: string;
  if (isMarketplace) {
    dimensionText = raw
      .slice(mpAt + 3)
      .replace(MARKETPLACE_REGION, '')
      .replace(/-units$/i, '');
  } else {
    const end = earliest(MODEL_END.exec(rest), MODALITY_BEFORE_DIRECTION.exec(rest));
    modelToken = (end === null ? rest : rest.slice(0, end)).trim();
    dimensionText = end === null ? '' : rest.slice(end);
  }
  const latencyInModel = LATENCY_IN_MODEL.test(modelToken);
  if (latencyInModel) modelToken = modelToken.replace(LATENCY_IN_MODEL, '');
  const words = dimensionWords(dimensionText);
  const mantle = !isMarketplace && words[0] === 'mantle';

  const base = {
    regionCode,
    modelToken,
    routing: routingOf(words),
    context: (hasPair(words, 'long', 'context') || hasPair(words, 'long', 'ctx') || words.includes('lctx')
      ? 'long'
      : 'standard') as ContextWindow,
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
  if (words.includes('reserved')) {
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
  const customization = /customization-(training|storage)|rft-training/.exec(lower);
  if (customization) {
    return {
      ...base,
      family: 'customization',
      usageKind: customization[1] === 'storage' ? 'customization_storage' : 'customization_training',
      serviceTier: 'custom_model',
      feature: { slug: `customization-${customization[1] ?? 'training'}`, modelFirst: true },
    };
  }

  const feature = featureOf(lower, productCode);
  if (feature !== null) {
    return {
      ...base,
      modelToken: feature.modelFirst ? modelToken : '',
      family: 'feature',
      usageKind: feature.kind,
      serviceTier: 'standard',
      feature: { slug: feature.slug, modelFirst: feature.modelFirst },
    };
  }

  // No model-end marker (`USE1-Foo-InputTokens`): still classify the kind, the model token is then the
  // whole remainder and resolves, if at all, by prefix.
  const kind =
    tokenKindOf(words) ?? (isMarketplace || words.length ? null : tokenKindOf(dimensionWords(rest)));
  if (kind !== null) {
    return {
      ...base,
      family: isMarketplace
        ? 'marketplace'
        : mantle
          ? 'mantle'
          : isDotted(modelToken)
            ? 'dotted'
            : 'first_party',
      usageKind: kind,
      serviceTier: latencyInModel ? 'latency_optimized' : tierOf(words),
    };
  }

  const media = mediaOf(lower, words);
  if (media) {
    return {
      ...base,
      family: 'media',
      usageKind: media.kind,
      serviceTier: 'standard',
      feature: { slug: media.slug, modelFirst: true },
    };
  }

  return { ...base, family: 'unrecognised', usageKind: 'other', serviceTier: 'standard' };
}

function earliest(...matches: (RegExpExecArray | null)[]): number | null {
  let at: number | null = null;
  for (const m of matches) if (m && (at === null || m.index < at)) at = m.index;
  return at;
}

function splitRegionPrefix(raw: string): { regionCode: string; rest: string } {
  const dash = raw.indexOf('-');
  if (dash <= 0) return { regionCode: '', rest: raw };
  const head = raw.slice(0, dash);
  if (!REGION_PREFIX.test(head)) return { regionCode: '', rest: raw };
  return { regionCode: head, rest: raw.slice(dash + 1) };
}

/**
 * `CacheWrite1hInputTokenCount_Global` → cache write 1h input token count global; `cache-write-tokens-1h-standard`
 * and `cache_write_tokens_1h_global_standard` give the same words. Digits stay with their unit (`1h`, `30m`).
 */
export function dimensionWords(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([A-Za-z])(\d)/g, '$1_$2')
    .toLowerCase()
    .split(/[-_\s:]+/)
    .filter((w) => w !== '');
}

function hasPair(words: readonly string[], first: string, second: string): boolean {
  for (let i = 0; i + 1 < words.length; i++) if (words[i] === first && words[i + 1] === second) return true;
  return false;
}

function isDotted(token: string): boolean {
  return /^[a-z0-9]+\.[a-z0-9]/.test(token);
}

function featureOf(
  lower: string,
  productCode: string,
): { slug: string; kind: UsageKind; modelFirst: boolean } | null {
  if (productCode === 'AmazonBedrockAgentCore' || lower.includes('agentcore')) {
    return {
      slug: AGENTCORE.find(([p]) => p.test(lower))?.[1] ?? 'agentcore',
      kind: 'agentcore',
      modelFirst: false,
    };
  }
  for (const [pattern, slug, kind, modelFirst] of FEATURES) {
    if (pattern.test(lower)) return { slug, kind, modelFirst };
  }
  // AgentCore billed under another product code: colon-style (`Runtime:Consumption-based:Memory`) or vCPU
  // / memory-term shapes.
  const colon =
    /^(?:[a-z]{2,4}\d{0,2}-)?(runtime|gateway|memory|browser|code-?interpreter|identity|polic(?:y|ies)):/.exec(
      lower,
    );
  const agentcore =
    (colon ? AGENTCORE.find(([p]) => p.test(colon[1] ?? '')) : undefined)?.[1] ??
    (/runtime/.test(lower) && /vcpu/.test(lower) ? 'agentcore-runtime' : undefined) ??
    (/(?:short|long)-?term-?memory/.test(lower) ? 'agentcore-memory' : undefined) ??
    (/gateway/.test(lower) ? 'agentcore-gateway' : undefined);
  return agentcore ? { slug: agentcore, kind: 'agentcore', modelFirst: false } : null;
}

/** Cache read, cache write (TTL from `1h` / `1 hour` / `30m`; `5m` or none is the default write), input, output. */
function tokenKindOf(words: readonly string[]): UsageKind | null {
  const hasToken = words.some((w) => w === 'token' || w === 'tokens');
  if (!hasToken) return null;
  const cacheAt = words.indexOf('cache');
  if (cacheAt >= 0 && words[cacheAt + 1] === 'read') return 'cache_read';
  if (cacheAt >= 0 && (words[cacheAt + 1] === 'write' || words[cacheAt + 1] === 'writes')) {
    if (words.includes('1h') || hasPair(words, '1', 'hour') || hasPair(words, '1', 'h'))
      return 'cache_write_1h';
    if (words.includes('30m') || hasPair(words, '30', 'm')) return 'cache_write_30m';
    return 'cache_write';
  }
  if (words.includes('input')) return 'input';
  if (words.includes('output') || words.includes('response')) return 'output';
  return null;
}

/** Image / video generation and media inputs (embeddings by image or second): never a token count. */
function mediaOf(lower: string, words: readonly string[]): { slug: string; kind: UsageKind } | null {
  for (const [pattern, slug, kind] of MEDIA_FEATURES) if (pattern.test(lower)) return { slug, kind };
  const mediaWord = words.some((w) => /^(?:image|images|video|audio|second|seconds|document)$/.test(w));
  if (words.includes('input') && mediaWord) return { slug: 'media-input', kind: 'media_input' };
  if (words.includes('output') && mediaWord) {
    return words.some((w) => w.startsWith('image'))
      ? { slug: 'image-generation', kind: 'image_generation' }
      : { slug: 'video-generation', kind: 'video_generation' };
  }
  return null;
}

function tierOf(words: readonly string[]): ServiceTier {
  if (hasPair(words, 'custom', 'model')) return 'custom_model';
  if (words.includes('batch')) return 'batch';
  if (words.includes('flex')) return 'flex';
  if (words.includes('priority')) return 'priority';
  if (hasPair(words, 'latency', 'optimized') || hasPair(words, 'latency', 'optimised'))
    return 'latency_optimized';
  return 'standard';
}

function routingOf(words: readonly string[]): Routing {
  if (words.includes('global')) return 'global';
  if (words.includes('geo') || hasPair(words, 'cross', 'region')) return 'geo';
  return 'in_region';
}
