import { formatMoney, type Money } from '../../core/money.js';
import type { Finding } from '../../core/rules/finding.js';

/** A finding as JSON: money as exact decimal strings, everything else as is. */
export function findingJson(finding: Finding) {
  return {
    rule: finding.rule,
    name: finding.name,
    day: finding.day,
    severity: finding.severity,
    provisional: finding.provisional,
    labels: finding.labels,
    figures: Object.fromEntries(
      Object.entries(finding.figures).map(([key, value]) => [
        key,
        typeof value === 'bigint' ? formatMoney(value as Money) : value,
      ]),
    ),
    why: finding.why,
    contributors: finding.contributors.map((c) => ({
      dimension: c.dimension,
      value: c.value,
      today: formatMoney(c.today),
      baseline: formatMoney(c.baseline),
      delta: formatMoney(c.delta),
    })),
    fingerprint: finding.fingerprint,
  };
}
