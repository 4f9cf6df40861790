import { type AccountEnvironment, type AttributionSource, UNALLOCATED } from '../facts/daily-fact.js';
import { normaliseTagKey, type Stage1Row, type TagPairs } from './stage1-row.js';

/** Where attribution looks, in order: inference-profile/resource tags, IAM principal tags, account defaults. */
export const ATTRIBUTION_LAYERS = ['resource', 'principal', 'account'] as const;
export type AttributionLayer = (typeof ATTRIBUTION_LAYERS)[number];

/** Words that make an account or environment name prod / non-prod (matched by whole tokens). */
export interface EnvironmentWords {
  prod: readonly string[];
  non_prod: readonly string[];
}

/** Environment names that mean non-prod: the dev-in-prod rule's default for attributed `environment` tags. */
export const NON_PROD_ENVIRONMENTS = [
  'dev',
  'development',
  'test',
  'testing',
  'staging',
  'stage',
  'sandbox',
  'qa',
  'uat',
] as const;

/** The default `environments:` words; account names also use a few abbreviations of non-prod. */
export const DEFAULT_ENVIRONMENT_WORDS: EnvironmentWords = {
  prod: ['prod', 'production', 'prd', 'live'],
  non_prod: [...NON_PROD_ENVIRONMENTS, 'stg', 'nonprod', 'preprod'],
};

/** An account's configured defaults (`accounts:` in the config). */
export interface AccountDefaults {
  name?: string | undefined;
  environment?: 'prod' | 'non-prod' | undefined;
  workload?: string | undefined;
  team?: string | undefined;
  cost_center?: string | undefined;
}

/**
 * What attribution needs from the configuration (the `attribution:`, `accounts:` and `environments:`
 * sections, in their YAML spelling; config/schema.ts parses them into this shape).
 */
export interface AttributionOptions {
  attribution: {
    tag_keys: Readonly<Record<Field, readonly string[]>>;
    precedence: readonly AttributionLayer[];
  };
  accounts: Readonly<Record<string, AccountDefaults>>;
  environments: EnvironmentWords;
}

export interface Attribution {
  workload: string;
  team: string;
  costCenter: string;
  /** Lower-cased as given (`production`, `dev`), `unknown` when no layer has one. */
  environment: string;
  /** The layer that gave the workload. */
  attributionSource: AttributionSource;
}

export const UNKNOWN_ENVIRONMENT = 'unknown';

type Field = 'workload' | 'team' | 'cost_center' | 'environment';
type Layer = AttributionLayer;

const SOURCE_OF_LAYER: Readonly<Record<Layer, AttributionSource>> = {
  resource: 'resource_tag',
  principal: 'principal_tag',
  account: 'account',
};

export type AttributionRow = Pick<
  Stage1Row,
  'usageAccount' | 'resourceTags' | 'principalTags' | 'accountTags'
>;

/**
 * Compiles the attribution config once and returns the per-row resolver. Each field is resolved on its
 * own through `precedence`: the first layer with a non-empty value wins, and within a layer the earlier
 * configured tag key wins. The account layer is the config's account defaults, then `accountTag/*` tags.
 */
export function createAttributor(config: AttributionOptions): (row: AttributionRow) => Attribution {
  const keys: Readonly<Record<Field, readonly string[]>> = {
    workload: config.attribution.tag_keys.workload.map(normaliseTagKey),
    team: config.attribution.tag_keys.team.map(normaliseTagKey),
    cost_center: config.attribution.tag_keys.cost_center.map(normaliseTagKey),
    environment: config.attribution.tag_keys.environment.map(normaliseTagKey),
  };
  const precedence = config.attribution.precedence;

  const resolve = (row: AttributionRow, field: Field): { value: string; layer: Layer } | null => {
    for (const layer of precedence) {
      const value = valueInLayer(row, layer, field, keys[field], config);
      if (value !== '') return { value, layer };
    }
    return null;
  };

  return (row) => {
    const workload = resolve(row, 'workload');
    const environment = resolve(row, 'environment');
    return {
      workload: workload?.value ?? UNALLOCATED,
      team: resolve(row, 'team')?.value ?? UNALLOCATED,
      costCenter: resolve(row, 'cost_center')?.value ?? UNALLOCATED,
      environment: environment ? environment.value.toLowerCase() : UNKNOWN_ENVIRONMENT,
      attributionSource: workload ? SOURCE_OF_LAYER[workload.layer] : 'none',
    };
  };
}

function valueInLayer(
  row: AttributionRow,
  layer: Layer,
  field: Field,
  keys: readonly string[],
  config: AttributionOptions,
): string {
  switch (layer) {
    case 'resource':
      return tagValue(row.resourceTags, keys);
    case 'principal':
      return tagValue(row.principalTags, keys);
    case 'account': {
      const configured = config.accounts[row.usageAccount]?.[field]?.trim() ?? '';
      return configured !== '' ? configured : tagValue(row.accountTags, keys);
    }
  }
}

/** First configured key with a non-empty value; pairs of one key keep their order (first value wins). */
export function tagValue(pairs: TagPairs, normalisedKeys: readonly string[]): string {
  for (const key of normalisedKeys) {
    for (const [pairKey, value] of pairs) {
      if (normaliseTagKey(pairKey) !== key) continue;
      const trimmed = value.trim();
      if (trimmed !== '') return trimmed;
    }
  }
  return '';
}

/**
 * prod / non-prod / unknown from a free-text name or environment value, by whole tokens split on
 * non-alphanumerics and letter–digit boundaries: `prod-genai` and `prod01` are prod, `genai-dev` non-prod,
 * `productivity` unknown. Two adjacent tokens are also tried joined, so `non-prod` meets `nonprod`. A name
 * with both kinds of token is unknown: a guess would either hide or invent dev-in-prod findings.
 */
export function classifyEnvironment(
  value: string | null | undefined,
  environments: EnvironmentWords,
): AccountEnvironment {
  const tokens = (value ?? '')
    .toLowerCase()
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-z])/g, '$1 $2')
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '');
  if (tokens.length === 0) return 'unknown';
  const prod = new Set(environments.prod.map(normaliseTagKey));
  const nonProd = new Set(environments.non_prod.map(normaliseTagKey));
  let sawProd = false;
  let sawNonProd = false;
  for (let i = 0; i < tokens.length; i++) {
    const pair = i + 1 < tokens.length ? `${tokens[i]}${tokens[i + 1]}` : '';
    if (pair !== '' && (prod.has(pair) || nonProd.has(pair))) {
      if (prod.has(pair)) sawProd = true;
      else sawNonProd = true;
      i++;
      continue;
    }
    const token = tokens[i] ?? '';
    if (prod.has(token)) sawProd = true;
    else if (nonProd.has(token)) sawNonProd = true;
  }
  if (sawProd === sawNonProd) return 'unknown';
  return sawProd ? 'prod' : 'non-prod';
}

/**
 * The usage account's environment: the config's explicit `environment`, else its name (the CUR account
 * name, then the config name) classified by tokens.
 */
export function accountEnvironment(
  usageAccount: string,
  usageAccountName: string | null,
  config: Pick<AttributionOptions, 'accounts' | 'environments'>,
): AccountEnvironment {
  const account = config.accounts[usageAccount];
  if (account?.environment) return account.environment;
  const fromCur = classifyEnvironment(usageAccountName, config.environments);
  if (fromCur !== 'unknown') return fromCur;
  return classifyEnvironment(account?.name, config.environments);
}
