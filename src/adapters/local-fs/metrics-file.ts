import { readFile } from 'node:fs/promises';
import type { MetricsSource } from '../../app/ports/early-warning.js';
import { EARLY_WARNING_METRICS, type MetricDatapoint } from '../../core/early-warning/metrics.js';
import { InputError } from '../../core/errors.js';
import { parseCsv } from '../../core/report/csv.js';

/** The header a metrics file starts with, in this order. */
export const METRICS_FILE_COLUMNS = [
  'timestamp',
  'account_id',
  'region',
  'model_id',
  'metric',
  'value',
] as const;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Bedrock metrics for offline use and tests: a CSV with the header
 * `timestamp,account_id,region,model_id,metric,value`, one datapoint per line; `value` is the Sum over the
 * period (an hour or 5 minutes) that starts at `timestamp`. `metric` is an `AWS/Bedrock` name (Invocations,
 * InputTokenCount, OutputTokenCount, CacheReadInputTokenCount, CacheWriteInputTokenCount) or an
 * `AWS/BedrockMantle` one (Inferences, TotalInputTokens, TotalOutputTokens).
 *
 * @example
 * timestamp,account_id,region,model_id,metric,value
 * 2026-06-10T14:00:00Z,111122223333,us-east-1,arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc,InputTokenCount,5400000
 */
export class MetricsFileSource implements MetricsSource {
  readonly name: string;

  constructor(private readonly path: string) {
    this.name = `file:${path}`;
  }

  async read(request: { from: string; to: string }): Promise<MetricDatapoint[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      throw new InputError(`${this.path}: cannot read the metrics file (${(error as Error).message})`);
    }
    const points = parseMetricsCsv(text, this.path);
    return points.filter((p) => p.timestamp >= request.from && p.timestamp < request.to);
  }
}

/** Parses a metrics CSV; every error names the file, line and column and what was expected. */
export function parseMetricsCsv(text: string, label: string): MetricDatapoint[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (header.join(',') !== METRICS_FILE_COLUMNS.join(',')) {
    throw new InputError(
      `${label}:1: the header must be "${METRICS_FILE_COLUMNS.join(',')}", found "${header.join(',')}"`,
    );
  }
  const out: MetricDatapoint[] = [];
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!;
    const line = i + 1;
    if (row.length === 1 && row[0]!.trim() === '') continue;
    const at = (column: (typeof METRICS_FILE_COLUMNS)[number]) =>
      (row[METRICS_FILE_COLUMNS.indexOf(column)] ?? '').trim();
    const fail = (column: string, expected: string, found: string): never => {
      throw new InputError(`${label}:${line}: column ${column}: expected ${expected}, found "${found}"`);
    };
    if (row.length !== METRICS_FILE_COLUMNS.length)
      throw new InputError(
        `${label}:${line}: expected ${METRICS_FILE_COLUMNS.length} columns (${METRICS_FILE_COLUMNS.join(',')}), found ${row.length}`,
      );
    const timestamp = at('timestamp');
    if (!ISO_INSTANT.test(timestamp) || Number.isNaN(Date.parse(timestamp)))
      fail('timestamp', 'an ISO instant with a zone like 2026-06-10T14:00:00Z', timestamp);
    const accountId = at('account_id');
    if (!ACCOUNT.test(accountId)) fail('account_id', 'a 12-digit AWS account id', accountId);
    const region = at('region');
    if (!REGION.test(region)) fail('region', 'a region like us-east-1', region);
    const modelId = at('model_id');
    if (modelId === '') fail('model_id', 'a model id, inference profile id or ARN', modelId);
    const metric = at('metric');
    if (!(metric in EARLY_WARNING_METRICS))
      fail('metric', `one of ${Object.keys(EARLY_WARNING_METRICS).join(', ')}`, metric);
    const raw = at('value');
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value) || value < 0)
      fail('value', 'a non-negative number (the period Sum)', raw);
    out.push({ timestamp: new Date(timestamp).toISOString(), accountId, region, modelId, metric, value });
  }
  return out;
}
