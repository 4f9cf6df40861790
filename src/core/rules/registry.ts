import { type CacheRegressionRule, cacheRegressionRule } from './cache-regression.js';
import { type DevInProdRule, devInProdRule } from './dev-in-prod.js';
import { type IdleProvisionedRule, idleProvisionedRule } from './idle-provisioned.js';
import { type ModelMixShiftRule, modelMixShiftRule } from './model-mix-shift.js';
import type { RuleDefinition } from './rule-definition.js';
import { type SpendSpikeRule, spendSpikeRule } from './spend-spike.js';
import { type UntaggedSpendRule, untaggedSpendRule } from './untagged-spend.js';
import { type VerboseOutputRule, verboseOutputRule } from './verbose-output.js';

/** A validated rule instance from config: type-specific settings with every default filled in. */
export type ParsedRule =
  | SpendSpikeRule
  | VerboseOutputRule
  | IdleProvisionedRule
  | DevInProdRule
  | UntaggedSpendRule
  | CacheRegressionRule
  | ModelMixShiftRule;

export type RuleType = ParsedRule['type'];

/** Every rule type, in DESIGN §6 order (also the order of the defaults). */
export const RULE_DEFINITIONS: readonly RuleDefinition[] = [
  spendSpikeRule as RuleDefinition,
  verboseOutputRule as RuleDefinition,
  idleProvisionedRule as RuleDefinition,
  devInProdRule as RuleDefinition,
  untaggedSpendRule as RuleDefinition,
  cacheRegressionRule as RuleDefinition,
  modelMixShiftRule as RuleDefinition,
];

/** Rule type → definition. Adding a rule type is one file plus one line above. */
export const RULE_REGISTRY: ReadonlyMap<string, RuleDefinition> = new Map(
  RULE_DEFINITIONS.map((d) => [d.type, d]),
);

export const RULE_TYPES: readonly string[] = RULE_DEFINITIONS.map((d) => d.type);
