import type { AthenaClient } from '@aws-sdk/client-athena';
import type { Stage1Engine, Stage1Output } from '../../app/ports/ingest.js';
import { InputError } from '../../core/errors.js';
import {
  type AthenaStatement,
  athenaStage1Sql,
  checkBillingPeriod,
  periodPartitioning,
} from '../cur-sql/athena-dialect.js';
import { type CurFormat, checkRequiredColumns, detectCurFormat } from '../cur-sql/cur-format.js';
import { type AthenaQueryContext, runAthenaQuery } from './athena-query.js';
import { toAthenaStage1Rows } from './athena-stage1-rows.js';
import { describeAthenaTable } from './athena-table.js';

/** A CUR table in the Glue catalog and how to query it. */
export interface AthenaEngineOptions {
  client: AthenaClient;
  database: string;
  table: string;
  workgroup: string;
  /** s3://… for query results; leave out when the workgroup enforces its own location. */
  outputLocation?: string;
  /** @default 'AwsDataCatalog' */
  catalog?: string;
  /** First wait before the first state check, doubled up to maxPollMs. @default 500 */
  pollMs?: number;
  /** @default 5000 */
  maxPollMs?: number;
  /** @default 1_800_000 (30 min) */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface AthenaStage1Options extends AthenaEngineOptions {
  /** YYYY-MM: the partition this engine reads. */
  billingPeriod: string;
}

/** Per-period Athena engines over one table, sharing one schema lookup. */
export interface AthenaStage1EngineFactory {
  forPeriod(billingPeriod: string): Stage1Engine;
  /** The statement a period's run sends, e.g. to derive a delivery version from it. */
  statement(billingPeriod: string, tagKeys: readonly string[]): Promise<AthenaStatement>;
  /** `athena://<database>.<table>`: the name errors and ledger keys use. */
  readonly label: string;
}

interface TableShape {
  format: CurFormat;
  columns: Map<string, string>;
}

/**
 * Stage 1 on Athena for one billing period: the same `sql/` statements as DuckDB, through the dialect
 * shim, against the CUR Glue table's partition. The delivery's files are ignored: Athena reads the
 * table's S3 location itself.
 */
export function athenaStage1Engine(options: AthenaStage1Options): Stage1Engine {
  return athenaStage1EngineFactory(options).forPeriod(options.billingPeriod);
}

export function athenaStage1EngineFactory(options: AthenaEngineOptions): AthenaStage1EngineFactory {
  const label = `athena://${options.database}.${options.table}`;
  let shape: Promise<TableShape> | undefined;
  const tableShape = () => {
    shape ??= describeAthenaTable(options.client, options).then((columns) => {
      const format = detectCurFormat(label, columns);
      checkRequiredColumns(label, format, columns);
      periodPartitioning(label, columns);
      return { format, columns };
    });
    // A failed lookup is not cached: the next period asks again.
    shape.catch(() => {
      shape = undefined;
    });
    return shape;
  };
  const statement = async (billingPeriod: string, tagKeys: readonly string[]) => {
    const { format, columns } = await tableShape();
    return athenaStage1Sql(format, columns, tagKeys, {
      database: options.database,
      table: options.table,
      billingPeriod,
    });
  };
  const context: AthenaQueryContext = { ...options };
  return {
    label,
    statement,
    forPeriod(billingPeriod) {
      checkBillingPeriod(billingPeriod);
      return {
        async run(_files, tagKeys): Promise<Stage1Output> {
          const { format } = await tableShape();
          const result = await runAthenaQuery(context, await statement(billingPeriod, tagKeys));
          const converted = toAthenaStage1Rows(result.columns, result.rows);
          if (converted.rowsRead === 0) {
            // An unloaded partition looks exactly like an empty month; replacing the period's facts with
            // nothing would erase them.
            throw new InputError(
              `${label}: billing period ${billingPeriod} has no rows (query ${result.queryExecutionId}); ` +
                'is the partition loaded (partition projection, MSCK REPAIR TABLE or a crawler run)?',
            );
          }
          return { format, ...converted, emptyFiles: [] };
        },
      };
    },
  };
}
