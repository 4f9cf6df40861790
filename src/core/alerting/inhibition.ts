import { ConfigError } from '../errors.js';
import type { Alert } from './alert.js';
import { labelValue } from './labels.js';
import { type Matcher, matchesAll, parseMatchers } from './matchers.js';

/** An inhibit rule as written in config (Alertmanager names). */
export interface InhibitRuleSpec {
  source_matchers: readonly string[];
  target_matchers: readonly string[];
  equal?: readonly string[] | undefined;
}

export interface InhibitRule {
  sourceMatchers: readonly Matcher[];
  targetMatchers: readonly Matcher[];
  equal: readonly string[];
}

/**
 * A workload's spend-spike page already tells its owners that day went wrong; the same workload's
 * warnings and infos that day would only add noise.
 */
export const DEFAULT_INHIBIT_RULES: readonly InhibitRuleSpec[] = [
  {
    source_matchers: ['rule="spend-spike"', 'severity="page"'],
    target_matchers: ['severity=~"warning|info"'],
    equal: ['workload', 'day'],
  },
];

export function compileInhibitRule(spec: InhibitRuleSpec, path = 'inhibit_rules'): InhibitRule {
  const source = parseMatchers(spec.source_matchers);
  if (!source.ok) throw new ConfigError(`${path}.source_matchers: ${source.error}`);
  const target = parseMatchers(spec.target_matchers);
  if (!target.ok) throw new ConfigError(`${path}.target_matchers: ${target.error}`);
  return { sourceMatchers: source.value, targetMatchers: target.value, equal: [...(spec.equal ?? [])] };
}

export interface Inhibition {
  ruleIndex: number;
  source: Alert;
}

/**
 * The rule and source alert that mute `target`, if any. As in Alertmanager, an alert never inhibits
 * itself, and an alert matching both sides of a rule is only muted by sources that are not targets
 * themselves — otherwise two equal pages would mute each other.
 */
export function inhibitionOf(
  target: Alert,
  alerts: readonly Alert[],
  rules: readonly InhibitRule[],
): Inhibition | undefined {
  for (const [ruleIndex, rule] of rules.entries()) {
    if (!matchesAll(rule.targetMatchers, target.labels)) continue;
    const targetIsSource = matchesAll(rule.sourceMatchers, target.labels);
    const source = alerts.find(
      (a) =>
        a.fingerprint !== target.fingerprint &&
        matchesAll(rule.sourceMatchers, a.labels) &&
        !(targetIsSource && matchesAll(rule.targetMatchers, a.labels)) &&
        rule.equal.every((name) => labelValue(a.labels, name) === labelValue(target.labels, name)),
    );
    if (source) return { ruleIndex, source };
  }
  return undefined;
}
