import type { DailyFact } from '../core/facts/daily-fact.js';
import type { PeriodTotal } from '../core/facts/reconcile.js';
import type { Stage1Row } from '../core/normalize/stage1-row.js';
import type { DetailRequest } from '../core/rules/fact-detail.js';
import type { CostMetric } from '../core/rules/fact-filters.js';
import type { RuleSeries } from '../core/rules/rule-series.js';

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
  /** Newest line_item_usage_end_date of the whole delivery (all services): the completeness watermark. */
  newestUsageEnd: string | null;
}

/** Stage 1: the engine that reads the files and groups Bedrock line items (DuckDB, or Athena). */
export interface Stage1Engine {
  run(files: readonly DataFileRef[], tagKeys: readonly string[]): Promise<Stage1Output>;
}

export interface FactQuery {
  from?: string;
  to?: string;
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
