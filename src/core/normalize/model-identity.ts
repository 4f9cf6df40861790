import type { ModelTier } from '../facts/daily-fact.js';

/** A model known by its name alone: canonical Bedrock-style id (`anthropic.claude-opus-5`), provider, family. */
export interface ModelIdentity {
  id: string;
  provider: string;
  family: string;
}

/**
 * Vendor family words and the provider they belong to. A usage-type token or Marketplace product name that
 * contains one of these words names a model of that provider, catalog entry or not.
 */
const FAMILY_PROVIDERS: ReadonlyMap<string, string> = new Map([
  ['claude', 'anthropic'],
  ['nova', 'amazon'],
  ['titan', 'amazon'],
  ['llama', 'meta'],
  ['mistral', 'mistral'],
  ['mixtral', 'mistral'],
  ['pixtral', 'mistral'],
  ['magistral', 'mistral'],
  ['ministral', 'mistral'],
  ['devstral', 'mistral'],
  ['voxtral', 'mistral'],
  ['nemotron', 'nvidia'],
  ['gpt', 'openai'],
  ['gemma', 'google'],
  ['qwen', 'qwen'],
  ['deepseek', 'deepseek'],
  ['kimi', 'moonshotai'],
  ['grok', 'xai'],
  ['glm', 'zai'],
  ['minimax', 'minimax'],
  ['jamba', 'ai21'],
  ['jurassic', 'ai21'],
  ['command', 'cohere'],
  ['palmyra', 'writer'],
  ['marengo', 'twelvelabs'],
  ['pegasus', 'twelvelabs'],
  ['ray', 'luma'],
  ['stable', 'stability'],
  ['sdxl', 'stability'],
  ['sd3', 'stability'],
]);

/** Brand words that name a vendor, not a model: dropped from the id (`Cohere Rerank v3.5` → `cohere.rerank-v3.5`). */
const BRAND_WORDS: ReadonlyMap<string, string> = new Map([
  ['amazon', 'amazon'],
  ['anthropic', 'anthropic'],
  ['meta', 'meta'],
  ['cohere', 'cohere'],
  ['ai21', 'ai21'],
  ['openai', 'openai'],
  ['nvidia', 'nvidia'],
  ['google', 'google'],
  ['twelvelabs', 'twelvelabs'],
  ['luma', 'luma'],
  ['writer', 'writer'],
  ['moonshot', 'moonshotai'],
  ['moonshotai', 'moonshotai'],
  ['xai', 'xai'],
  ['zai', 'zai'],
  ['stability', 'stability'],
]);

/** Compound brand spellings that must not be split at their inner capital. */
const COMPOUND_BRANDS = /DeepSeek|MiniMax|TwelveLabs|OpenAI|MultiModal/g;

/** Geo / global inference-profile prefixes in front of a model id (`us.anthropic.…`, `global.…`). */
const PROFILE_PREFIX = /^(?:us|us-gov|eu|apac|ap|jp|au|ca|global)\./;

const DOTTED_ID = /^([a-z][a-z0-9]*)\.([a-z0-9][a-z0-9.:_-]*)$/;

/**
 * A dotted Bedrock model id (`xai.grok-4.3`, `us.anthropic.claude-sonnet-4-5-20250929-v1:0`) as a canonical id:
 * the prefix before the dot is the provider; profile prefixes, dates and `-v1:0` versions are dropped.
 */
export function identityFromDottedId(text: string): ModelIdentity | null {
  const id = text
    .trim()
    .toLowerCase()
    .replace(PROFILE_PREFIX, '')
    .replace(/:\d+(?::[a-z0-9]+)?$/, '')
    .replace(/-v\d+$/, (v) => (/-v[2-9]$/.test(v) ? v : ''))
    .replace(/-\d{8}(?=-|$)/, '');
  const m = DOTTED_ID.exec(id);
  if (!m) return null;
  const provider = m[1] ?? '';
  const rest = m[2] ?? '';
  return { id: `${provider}.${rest}`, provider, family: familyOfModelPart(provider, rest) };
}

/**
 * The model a first-party usage-type token (`Claude4.6Sonnet`, `Nova2.0Lite`, `Mistral-Large-3-675b-Instruct`,
 * `GPT-OSS-Safeguard-20B`) or a Marketplace product name (`Claude Opus 5`, `OpenAI GPT-6 Astra`) names, in the
 * same canonical form as the model's dotted id — so the legacy and mantle spellings of one model are one
 * model. Null when no vendor family word is found.
 */
export function identityFromName(text: string): ModelIdentity | null {
  const raw = text.trim();
  if (raw === '') return null;
  if (/^[a-z0-9]+\.[a-z0-9]/.test(raw)) return identityFromDottedId(raw);
  const words = nameWords(raw);
  let brandProvider: string | undefined;
  while (words.length > 1 && BRAND_WORDS.has(words[0] ?? ''))
    brandProvider = BRAND_WORDS.get(words.shift() ?? '');
  const familyAt = words.findIndex((w) => FAMILY_PROVIDERS.has(familyWord(w)));
  if (familyAt < 0) {
    if (brandProvider === undefined || words.length === 0) return null;
    return generic(brandProvider, words);
  }
  const family = familyWord(words[familyAt] ?? '');
  const provider = FAMILY_PROVIDERS.get(family) ?? brandProvider ?? family;
  const modelWords = words.slice(familyAt);
  switch (family) {
    case 'claude':
      return claude(modelWords);
    case 'nova':
      return nova(modelWords);
    case 'titan':
      return titan(modelWords);
    case 'llama':
      return llama(modelWords);
    case 'deepseek':
      return { id: `deepseek.${slug(modelWords.slice(1)) || 'deepseek'}`, provider, family };
    default:
      return generic(provider, modelWords);
  }
}

/** `Claude4.6Sonnet` → claude 4.6 sonnet; `Mistral-Large-3-675b-Instruct` → mistral large 3 675b instruct. */
function nameWords(raw: string): string[] {
  return raw
    .replace(COMPOUND_BRANDS, (brand) => `-${brand.toLowerCase()}-`)
    .replace(/\(.*?\)/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .split(/[\s_/-]+/)
    .filter((w) => w !== '');
}

/** The family word a name word starts with (`qwen3` → qwen, `llama3` → llama, `claude4.5` → claude). */
function familyWord(word: string): string {
  if (FAMILY_PROVIDERS.has(word)) return word;
  const letters = /^[a-z]+/.exec(word)?.[0] ?? '';
  return FAMILY_PROVIDERS.has(letters) && letters !== 'sd' ? letters : word;
}

/** Words joined with '-', dots kept (`grok-4.3`), a trailing `.0` dropped from versions (`2.0` → `2`). */
function slug(words: readonly string[]): string {
  return words
    .map((w) => w.replace(/\.0$/, ''))
    .join('-')
    .replace(/-+/g, '-');
}

function generic(provider: string, words: readonly string[]): ModelIdentity {
  const rest = slug(words.filter((w) => w !== 'model'));
  return { id: `${provider}.${rest}`, provider, family: familyOfModelPart(provider, rest) };
}

/** Claude: before 4 the version leads (`claude-3-5-sonnet`), from 4 on the name leads (`claude-sonnet-4-5`). */
function claude(words: readonly string[]): ModelIdentity {
  const parts = words.flatMap((w) => w.match(/v\d+$|\d+(?:\.\d+)?|[a-z]+/g) ?? []).slice(1);
  const versionParts = parts.filter((p) => /^\d/.test(p));
  const names = parts.filter((p) => /^[a-z]/.test(p) && !/^v\d/.test(p) && p !== 'v');
  const suffix = parts.some((p) => p === 'v2') || hasV2(words) ? '-v2' : '';
  const version = versionParts
    .join('.')
    .split('.')
    .filter((d, i, all) => !(d === '0' && i === all.length - 1 && all.length > 1));
  const major = Number(version[0] ?? 'NaN');
  const ver = version.join('-');
  let id: string;
  if (names.length === 0) id = ver === '' ? 'claude' : `claude-v${version[0]}`;
  else if (ver === '') id = `claude-${names.join('-')}`;
  else if (major < 4) id = `claude-${ver}-${names.join('-')}${suffix}`;
  else id = `claude-${names.join('-')}-${ver}`;
  return { id: `anthropic.${id}`, provider: 'anthropic', family: 'claude' };
}

function hasV2(words: readonly string[]): boolean {
  return words.some((w) => w === 'v2');
}

/** Nova: `Nova2.0Lite` / `Nova 2.0 Lite` → `amazon.nova-2-lite`; `NovaMicro` → `amazon.nova-micro`. */
function nova(words: readonly string[]): ModelIdentity {
  const parts = words.flatMap((w) => w.match(/\d+(?:\.\d+)?|[a-z]+/g) ?? []);
  if (parts[0] !== 'nova') return { id: `amazon.${slug(words)}`, provider: 'amazon', family: 'nova' };
  return { id: `amazon.${slug(parts)}`, provider: 'amazon', family: 'nova' };
}

/** Titan: `TitanEmbeddingV2-Text` → `amazon.titan-embed-text-v2`, `TitanTextG1-Express` → `amazon.titan-text-express`. */
function titan(words: readonly string[]): ModelIdentity {
  const joined = words.join('-');
  const version = /(?:^|-)v(\d)(?:-|$)/.exec(joined)?.[1];
  const v = version === undefined ? 'v1' : `v${version}`;
  let id: string;
  if (/embedding/.test(joined)) id = `titan-embed-${/image|multimodal/.test(joined) ? 'image' : 'text'}-${v}`;
  else if (/image/.test(joined))
    id = `titan-image-generator${version && version !== '1' ? `-v${version}` : ''}`;
  else {
    const variant = words.find((w) => w === 'lite' || w === 'express' || w === 'premier');
    id = variant ? `titan-text-${variant}` : slug(words.filter((w) => !/^g\d$/.test(w)));
  }
  return { id: `amazon.${id}`, provider: 'amazon', family: 'titan' };
}

/** Llama: `Llama3-1-405B` / `Llama 3.1 405B Instruct` → `meta.llama3-1-405b-instruct`. */
function llama(words: readonly string[]): ModelIdentity {
  const parts = words.flatMap((w) => w.match(/\d+x\d+b|\d+b|[a-z]+|\d+(?:\.\d+)?/g) ?? []);
  const versions: string[] = [];
  let i = 1;
  for (; i < parts.length && /^\d+(?:\.\d+)?$/.test(parts[i] ?? ''); i++)
    versions.push(...(parts[i] ?? '').split('.'));
  const restParts = parts.slice(i).filter((p) => p !== 'instruct' && p !== 'chat');
  const head = `llama${versions.join('-').replace(/-0$/, '')}`;
  const tail = versions[0] === '2' ? 'chat' : 'instruct';
  return { id: `meta.${[head, ...restParts, tail].join('-')}`, provider: 'meta', family: 'llama' };
}

function familyOfModelPart(provider: string, rest: string): string {
  const first = /^[a-z]+/.exec(rest)?.[0] ?? '';
  if (first === '' || /^v\d/.test(rest) || first === 'v') return provider;
  return first;
}

const PREMIUM_WORDS: ReadonlySet<string> = new Set(['opus', 'pro', 'large', 'premier']);
const ECONOMY_WORDS: ReadonlySet<string> = new Set(['haiku', 'lite', 'micro', 'mini', 'small', 'nano']);

/**
 * Tier of a model the catalog lacks, from the words of its id: opus / pro / large / premier → premium,
 * haiku / lite / micro / mini / small / nano → economy, anything else standard.
 */
export function tierFromFamilyWords(id: string): Exclude<ModelTier, 'unknown'> {
  const words = id
    .slice(id.indexOf('.') + 1)
    .split(/[-.\s_]+/)
    .filter((w) => w !== '');
  if (words.some((w) => PREMIUM_WORDS.has(w))) return 'premium';
  if (words.some((w) => ECONOMY_WORDS.has(w))) return 'economy';
  return 'standard';
}
