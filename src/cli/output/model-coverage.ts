import { type ModelCoverage, mergeCoverage } from '../../core/facts/model-coverage.js';
import { formatMoney, formatUsd } from '../../core/money.js';

/** The ingest summary's coverage lines: known vs unknown models with their dollars, unknown ones by name. */
export function coverageLines(parts: readonly (ModelCoverage | null)[]): string[] {
  const present = parts.filter((c): c is ModelCoverage => c !== null);
  if (present.length === 0) return [];
  const c = mergeCoverage(present);
  const lines = [
    `Models: ${c.known.models.length} known (${formatUsd(c.known.cost)}), ` +
      `${c.unknown.models.length} unknown (${formatUsd(c.unknown.cost)}), ` +
      `${formatUsd(c.noModel.cost)} on lines that name no model (features, tax, credits)`,
  ];
  if (c.unknown.models.length > 0) {
    lines.push(
      `unknown models (kept as such; add a catalog alias or a config models: entry): ${c.unknown.models.join(', ')}`,
    );
  }
  return lines;
}

/** The same figures for `--format json`. */
export function coverageJson(coverage: ModelCoverage | null) {
  if (coverage === null) return null;
  const bucket = (b: ModelCoverage['known']) => ({
    models: b.models.length,
    cost_unblended: formatMoney(b.cost),
    line_items: b.lineItems,
  });
  return {
    known: bucket(coverage.known),
    unknown: { ...bucket(coverage.unknown), model_ids: coverage.unknown.models },
    no_model: bucket(coverage.noModel),
  };
}
