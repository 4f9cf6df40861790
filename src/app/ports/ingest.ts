import type { DailyFact } from '../../core/facts/daily-fact.js';
import type { CostMetric } from '../../core/facts/fact-filters.js';
import type { PeriodTotal } from '../../core/facts/reconcile.js';
import type { Stage1Row } from '../../core/normalize/stage1-row.js';
import type { DetailRequest } from '../../core/rules/fact-detail.js';
import type { RuleSeries } from '../../core/rules/rule-series.js';

/** A local data file and the name the user knows it by (its S3 key or the path they gave). */
export interface DataFileRef {
  path: string;
  label: string;
}

/** One delivery to ingest: a manifest's snapshot, or a bare file / folder of files. */
export interface Delivery {
  exportName: string;
  /** The manifest's key, or the file / folder path: the ingest ledger key. */
  objectKey: string;
  /** What proves the content: ETag (S3) or size+mtime (local) of the manifest and every data file. */
  version: string;
  /** Billing period the manifest declares, replaced even when it holds no Bedrock rows. */
  billingPeriod: string | null;
  files: readonly DataFileRef[];
}

export interface Stage1Output {
  format: 'cur2' | 'legacy';
  rows: Stage1Row[];
  totals: PeriodTotal[];
  rowsRead: number;
  emptyFiles: string[];
  /**
   * Newest line_item_usage_end_date of the delivery's running-usage lines (Usage, DiscountedUsage,
   * SavingsPlanCoveredUsage; all services): the completeness watermark. Tax, fees and commitment lines span
   * the month and would claim days not yet delivered.
   */
  newestUsageEnd: string | null;
  /** Every line item of the delivery (all services) per billing period; absent when the engine cannot say. */
  dataPeriods?: DataPeriodStats[];
}

/** The line items of one billing period of a delivery's data, and those dated outside it. */
export interface DataPeriodStats {
  /** YYYY-MM of bill_billing_period_start_date; null for lines without one. */
  billingPeriod: string | null;
  lineItems: number;
  /** Lines other than credits and refunds whose usage starts outside the billing period. */
  outsideLineItems: number;
  outsideFirst: string | null;
  outsideLast: string | null;
  outsideTypes: string[];
}

/** Stage 1: the engine that reads the files and groups Bedrock line items (DuckDB, or Athena). */
export interface Stage1Engine {
  run(files: readonly DataFileRef[], tagKeys: readonly string[]): Promise<Stage1Output>;
}

export interface FactQuery {
  from?: string;
  to?: string;
  /** Only the snapshots of this billing period (YYYY-MM), whatever their facts' dates. */
  billingPeriod?: string;
}

/** A window of usage days, both included. */
export interface DayWindow {
  from: string;
  to: string;
}

/**
 * Reads one opened view of the fact store: several queries share one engine session (and, for S3, one download).
 * Rules read series built by the store's SQL, then the facts behind the few series-days they report.
 */
export interface FactReader {
  read(query: FactQuery): Promise<DailyFact[]>;
  /**
   * The daily series of every rule grain over the window (sql/series/). With `metrics`, money measures of other
   * cost metrics may be left at zero (no configured rule reads them).
   */
  ruleSeries(window: DayWindow, metrics?: readonly CostMetric[]): Promise<RuleSeries>;
  /** The facts of the requested series-days (in the order `read` returns facts). */
  detail(requests: readonly DetailRequest[]): Promise<DailyFact[]>;
  /**
   * Facts summed (tokens, usage, costs, line items) over every descriptive column not in `keep`, which read as
   * empty: the aggregated rows the digest and the review read.
   */
  rollup(query: FactQuery, keep: readonly (keyof DailyFact)[]): Promise<DailyFact[]>;
}

/** What a snapshot records about itself, beside its facts. */
export interface SnapshotMeta {
  snapshotId: string;
  /** ISO time of the delivery's newest usage hour; days end-plus-48 h before it are final. */
  newestUsageEnd: string | null;
}

export interface StoredSnapshot extends SnapshotMeta {
  billingPeriod: string;
  exportName: string;
}

/** The fact dataset: one snapshot per (export, billing period), replaced whole and atomically. */
export interface FactStore {
  replacePeriod(
    exportName: string,
    billingPeriod: string,
    facts: readonly DailyFact[],
    meta: SnapshotMeta,
  ): Promise<void>;
  read(query: FactQuery): Promise<DailyFact[]>;
  /**
   * Opens the facts for several queries (series, detail, reads) in one session. Stores without a query engine
   * leave it out; the use cases then build the same series from `read` in TypeScript.
   */
  withReader?<T>(work: (reader: FactReader) => Promise<T>): Promise<T>;
  snapshots(): Promise<StoredSnapshot[]>;
  /** Human-readable location, for summaries. */
  readonly location: string;
}

export interface LedgerEntry {
  objectKey: string;
  version: string;
  exportName: string;
  snapshotId: string;
  billingPeriods: string[];
  ingestedAt: string;
  facts: number;
  costUnblended: string;
}

/** Layer 1 of "never page twice": a re-delivered identical snapshot is recognised and skipped. */
export interface IngestLedger {
  get(objectKey: string): Promise<LedgerEntry | null>;
  put(entry: LedgerEntry): Promise<void>;
}
