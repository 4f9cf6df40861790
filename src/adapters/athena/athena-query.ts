import { setTimeout as delay } from 'node:timers/promises';
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { AthenaStatement } from '../cur-sql/athena-dialect.js';
import { AthenaQueryError } from './athena-errors.js';

/** Where and how Athena queries run. */
export interface AthenaQueryContext {
  client: AthenaClient;
  workgroup: string;
  /** s3://… for query results; leave out when the workgroup enforces its own location. */
  outputLocation?: string;
  /** @default 'AwsDataCatalog' */
  catalog?: string;
  database: string;
  /** First wait before asking for the query state. @default 500 */
  pollMs?: number;
  /** Longest wait between two state checks; waits double up to it. @default 5000 */
  maxPollMs?: number;
  /** Total waiting after which the query is stopped and the run fails. @default 1_800_000 (30 min) */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface AthenaQueryResult {
  queryExecutionId: string;
  columns: string[];
  /** Data rows (the header row removed), every value as Athena's text, NULL as null. */
  rows: (string | null)[][];
  dataScannedBytes: number | undefined;
}

export const DEFAULT_CATALOG = 'AwsDataCatalog';
/** GetQueryResults' largest page. */
const PAGE_SIZE = 1000;

/** Runs one statement to completion and reads its whole result. */
export async function runAthenaQuery(
  context: AthenaQueryContext,
  statement: AthenaStatement,
): Promise<AthenaQueryResult> {
  const queryExecutionId = await startQuery(context, statement);
  const execution = await waitForQuery(context, queryExecutionId);
  const { columns, rows } = await readResults(context.client, queryExecutionId);
  return {
    queryExecutionId,
    columns,
    rows,
    dataScannedBytes: execution.Statistics?.DataScannedInBytes,
  };
}

export function startQueryInput(
  context: AthenaQueryContext,
  statement: AthenaStatement,
): StartQueryExecutionCommandInput {
  return {
    QueryString: statement.sql,
    // The API rejects an empty list: a statement without values sends none.
    ...(statement.parameters.length > 0 ? { ExecutionParameters: statement.parameters } : {}),
    WorkGroup: context.workgroup,
    QueryExecutionContext: { Catalog: context.catalog ?? DEFAULT_CATALOG, Database: context.database },
    ...(context.outputLocation ? { ResultConfiguration: { OutputLocation: context.outputLocation } } : {}),
  };
}

async function startQuery(context: AthenaQueryContext, statement: AthenaStatement): Promise<string> {
  const started = await context.client.send(
    new StartQueryExecutionCommand(startQueryInput(context, statement)),
  );
  if (!started.QueryExecutionId) throw new Error('Athena StartQueryExecution returned no QueryExecutionId');
  return started.QueryExecutionId;
}

/** Polls with exponential backoff until the query leaves QUEUED/RUNNING. */
export async function waitForQuery(
  context: AthenaQueryContext,
  queryExecutionId: string,
): Promise<QueryExecution> {
  const sleep = context.sleep ?? ((ms: number) => delay(ms));
  const maxPollMs = context.maxPollMs ?? 5000;
  const timeoutMs = context.timeoutMs ?? 30 * 60 * 1000;
  let wait = Math.min(context.pollMs ?? 500, maxPollMs);
  // Time is counted as the sum of the waits, not read from a clock, so tests stay deterministic; the
  // API round trips make the real wait slightly longer.
  let waited = 0;
  for (;;) {
    if (waited >= timeoutMs) await stopAfterTimeout(context, queryExecutionId, waited);
    await sleep(wait);
    waited += wait;
    wait = Math.min(wait * 2, maxPollMs);
    const { QueryExecution: execution } = await context.client.send(
      new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }),
    );
    const status = execution?.Status;
    switch (status?.State) {
      case 'SUCCEEDED':
        return execution!;
      case 'FAILED':
        throw new AthenaQueryError(
          `Athena query ${queryExecutionId} FAILED: ${status.StateChangeReason ?? status.AthenaError?.ErrorMessage ?? 'no reason given'}`,
          {
            queryExecutionId,
            state: 'FAILED',
            ...(status.AthenaError?.Retryable === undefined
              ? {}
              : { retryable: status.AthenaError.Retryable }),
          },
        );
      case 'CANCELLED':
        throw new AthenaQueryError(
          `Athena query ${queryExecutionId} was CANCELLED: ${status.StateChangeReason ?? 'no reason given'}`,
          { queryExecutionId, state: 'CANCELLED' },
        );
      default:
      // QUEUED, RUNNING, or no state yet: keep waiting.
    }
  }
}

async function stopAfterTimeout(
  context: AthenaQueryContext,
  queryExecutionId: string,
  waited: number,
): Promise<never> {
  let stopError: unknown;
  try {
    // A query nobody waits for still scans, and bills, the whole partition.
    await context.client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
  } catch (error) {
    stopError = error;
  }
  throw new AthenaQueryError(
    `Athena query ${queryExecutionId} did not finish within ${Math.round(waited / 1000)} s; ` +
      (stopError ? 'stopping it failed too' : 'it was stopped'),
    { queryExecutionId, state: 'TIMEOUT', ...(stopError ? { cause: stopError } : {}) },
  );
}

/** Pages through GetQueryResults; the first row of the first page repeats the column names. */
export async function readResults(
  client: AthenaClient,
  queryExecutionId: string,
): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  let columns: string[] | undefined;
  const rows: (string | null)[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetQueryResultsCommand({
        QueryExecutionId: queryExecutionId,
        MaxResults: PAGE_SIZE,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    const pageRows = (page.ResultSet?.Rows ?? []).map((row) =>
      (row.Data ?? []).map((datum) => datum.VarCharValue ?? null),
    );
    if (columns === undefined) {
      columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
      const header = pageRows.shift();
      if (!header || header.join('\u0000') !== columns.join('\u0000')) {
        // Dropping a row that is not the header would silently lose money.
        throw new Error(
          `Athena query ${queryExecutionId}: the first result row is not the header (${JSON.stringify(header)})`,
        );
      }
    }
    rows.push(...pageRows);
    nextToken = page.NextToken;
  } while (nextToken);
  return { columns: columns ?? [], rows };
}
