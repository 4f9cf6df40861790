import { formatMoney, type Money } from '../money.js';
import { toCsv } from '../report/csv.js';
import { shareDecimal } from '../report/format.js';
import type { WeeklyDigest } from './weekly-digest.js';

export const DIGEST_CSV_HEADERS = [
  'week',
  'week_start',
  'week_end',
  'cost_center',
  'team',
  'workload',
  'line_kind',
  'direct_usd',
  'unallocated_share_usd',
  'this_week_usd',
  'last_week_usd',
  'change_usd',
  'share_of_total',
  'month',
  'month_to_date_usd',
  'forecast_month_end_usd',
  'final_days',
  'cost_metric',
] as const;

const money = (value: Money | null) => (value === null ? '' : formatMoney(value));

/**
 * One row per chargeback line (cost center / team / workload), money as exact decimals, no total row: the
 * `this_week_usd` column sums to the digest total (and so to Σ Bedrock cost for the week) exactly.
 */
export function renderDigestCsv(digest: WeeklyDigest): string {
  const { window } = digest;
  const rows = digest.chargeback.map((r) => [
    digest.week,
    window.days[0]!,
    window.days[6]!,
    r.key.costCenter,
    r.key.team,
    r.key.workload,
    r.key.kind,
    money(r.direct),
    money(r.unallocatedShare),
    money(r.thisWeek),
    money(r.lastWeek),
    money(r.change),
    shareDecimal(r.share),
    window.month ?? '',
    money(r.monthToDate),
    money(r.forecastMonthEnd),
    String(window.finalDays.length),
    digest.costMetric,
  ]);
  return toCsv(DIGEST_CSV_HEADERS, rows);
}
