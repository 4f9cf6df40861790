import { AlertingConfigSchema } from '../../../../src/config/alerting-schema.js';
import { compileAlerting } from '../../../../src/core/alerting/alerting-spec.js';
import { findingFingerprint } from '../../../../src/core/keys.js';
import { parseMoney, subtractMoney } from '../../../../src/core/money.js';
import type { Contributor, Finding, FindingLabels } from '../../../../src/core/rules/finding.js';

export const NOW = Date.parse('2026-06-16T06:00:00Z');
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface FindingInput {
  rule?: string;
  name?: string;
  day?: string;
  severity?: Finding['severity'];
  provisional?: boolean;
  labels?: Partial<FindingLabels>;
  today?: string;
  baseline?: string;
  ratio?: number | null;
  why?: string[];
  contributors?: Contributor[];
}

/** A finding with realistic defaults (support-bot spend spike on 2026-06-14); fingerprint computed as the rules do. */
export function makeFinding(input: FindingInput = {}): Finding {
  const rule = input.rule ?? 'spend-spike';
  const day = input.day ?? '2026-06-14';
  const labels: FindingLabels = {
    workload: 'support-bot',
    model: '*',
    team: 'ml-platform',
    cost_center: 'cc-42',
    account: '111111111111',
    environment: 'prod',
    ...(input.labels as Record<string, string> | undefined),
  };
  const today = parseMoney(input.today ?? '412.30');
  const baseline = parseMoney(input.baseline ?? '100.56');
  return {
    rule,
    name: input.name ?? rule,
    day,
    severity: input.severity ?? 'page',
    provisional: input.provisional ?? false,
    labels,
    figures: {
      today,
      baseline,
      ratio: input.ratio === undefined ? 4.1 : input.ratio,
      delta: subtractMoney(today, baseline),
    },
    why: input.why ?? ['support-bot spent $412.30 on 2026-06-14, 4.1× $100.56 on 2026-06-13 (+$311.74)'],
    contributors: input.contributors ?? [],
    fingerprint: findingFingerprint({ rule, day, labels }),
  };
}

export function contributor(
  dimension: Contributor['dimension'],
  value: string,
  today: string,
  baseline: string,
): Contributor {
  const t = parseMoney(today);
  const b = parseMoney(baseline);
  return { dimension, value, today: t, baseline: b, delta: subtractMoney(t, b) };
}

/** Parses YAML-shaped alerting config through the real schema and compiles it. */
export function alertingFrom(raw: unknown) {
  return compileAlerting(AlertingConfigSchema.parse(raw));
}
