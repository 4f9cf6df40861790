import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsOutput,
  type QueryExecutionState,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryError } from '../../../src/adapters/athena/athena-errors.js';
import { type AthenaQueryContext, runAthenaQuery } from '../../../src/adapters/athena/athena-query.js';

const client = new AthenaClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const athena = mockClient(client);

const STATEMENT = {
  sql: 'SELECT a, b FROM "cur"."data" WHERE billing_period = ?',
  parameters: ["'2026-06'"],
};

let sleeps: number[];
const context = (extra: Partial<AthenaQueryContext> = {}): AthenaQueryContext => ({
  client,
  workgroup: 'bedrock-cost',
  outputLocation: 's3://results-bucket/athena/',
  database: 'cur',
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  ...extra,
});

const state = (State: QueryExecutionState, extra: Record<string, unknown> = {}) => ({
  QueryExecution: {
    QueryExecutionId: 'q-1',
    Status: { State, ...extra },
    Statistics: { DataScannedInBytes: 1234 },
  },
});

const page = (rows: (string | null)[][], nextToken?: string): GetQueryResultsOutput => ({
  ResultSet: {
    Rows: rows.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
    ResultSetMetadata: {
      ColumnInfo: [
        { Name: 'a', Type: 'varchar' },
        { Name: 'b', Type: 'bigint' },
      ],
    },
  },
  ...(nextToken ? { NextToken: nextToken } : {}),
});

beforeEach(() => {
  athena.reset();
  sleeps = [];
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryResultsCommand).resolves(page([['a', 'b']]));
});

describe('runAthenaQuery', () => {
  it('starts the query with the values as execution parameters, in the workgroup and database', async () => {
    // Prepare
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));
    // Act
    const result = await runAthenaQuery(context({ catalog: 'OrgCatalog' }), STATEMENT);
    // Assess
    expect(athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([
      {
        QueryString: 'SELECT a, b FROM "cur"."data" WHERE billing_period = ?',
        ExecutionParameters: ["'2026-06'"],
        WorkGroup: 'bedrock-cost',
        QueryExecutionContext: { Catalog: 'OrgCatalog', Database: 'cur' },
        ResultConfiguration: { OutputLocation: 's3://results-bucket/athena/' },
      },
    ]);
    expect(result).toEqual({
      queryExecutionId: 'q-1',
      columns: ['a', 'b'],
      rows: [],
      dataScannedBytes: 1234,
    });
  });

  it('leaves the result location to the workgroup and sends no empty parameter list', async () => {
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));
    await runAthenaQuery(context({ outputLocation: undefined }), {
      sql: 'SELECT 1 AS a, 2 AS b',
      parameters: [],
    });
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryString: 'SELECT 1 AS a, 2 AS b',
      WorkGroup: 'bedrock-cost',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'cur' },
    });
  });

  it('polls QUEUED → RUNNING → SUCCEEDED with doubling waits', async () => {
    // Prepare
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state('QUEUED'))
      .resolvesOnce(state('RUNNING'))
      .resolvesOnce(state('SUCCEEDED'));
    // Act
    await runAthenaQuery(context(), STATEMENT);
    // Assess
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(athena.commandCalls(GetQueryExecutionCommand).map((c) => c.args[0].input)).toEqual(
      Array(3).fill({ QueryExecutionId: 'q-1' }),
    );
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(1);
  });

  it('caps the wait between two checks at maxPollMs', async () => {
    const polls = athena.on(GetQueryExecutionCommand);
    for (let i = 0; i < 5; i++) polls.resolvesOnce(state('RUNNING'));
    polls.resolves(state('SUCCEEDED'));
    await runAthenaQuery(context({ pollMs: 100, maxPollMs: 300 }), STATEMENT);
    expect(sleeps).toEqual([100, 200, 300, 300, 300, 300]);
  });

  it('FAILED: throws with the state change reason and the query id; reads no results', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state('RUNNING'))
      .resolvesOnce(
        state('FAILED', {
          StateChangeReason: "COLUMN_NOT_FOUND: line 3:5: Column 'line_item_usage_type' cannot be resolved",
          AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false },
        }),
      );
    const error = await runAthenaQuery(context(), STATEMENT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AthenaQueryError);
    expect((error as AthenaQueryError).message).toBe(
      "Athena query q-1 FAILED: COLUMN_NOT_FOUND: line 3:5: Column 'line_item_usage_type' cannot be resolved",
    );
    expect(error).toMatchObject({ queryExecutionId: 'q-1', state: 'FAILED', retryable: false });
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('FAILED with a retryable Athena error is marked retryable', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolves(
        state('FAILED', { StateChangeReason: 'Query exhausted resources', AthenaError: { Retryable: true } }),
      );
    await expect(runAthenaQuery(context(), STATEMENT)).rejects.toMatchObject({ retryable: true });
  });

  it('CANCELLED: throws with the reason', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolves(state('CANCELLED', { StateChangeReason: 'Query cancelled by user' }));
    await expect(runAthenaQuery(context(), STATEMENT)).rejects.toThrow(
      'Athena query q-1 was CANCELLED: Query cancelled by user',
    );
  });

  it('stops a query that outlives timeoutMs instead of leaving it to scan', async () => {
    athena.on(GetQueryExecutionCommand).resolves(state('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const error = await runAthenaQuery(
      context({ pollMs: 1000, maxPollMs: 1000, timeoutMs: 3000 }),
      STATEMENT,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AthenaQueryError);
    expect((error as Error).message).toBe('Athena query q-1 did not finish within 3 s; it was stopped');
    expect(sleeps).toEqual([1000, 1000, 1000]);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-1' },
    ]);
  });

  it('pages the results with NextToken; only the first page starts with the header', async () => {
    // Prepare
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce(
        page(
          [
            ['a', 'b'],
            ['x1', '1'],
          ],
          'token-2',
        ),
      )
      .resolvesOnce(
        page(
          [
            ['x2', null],
            ['', '3'],
          ],
          'token-3',
        ),
      )
      .resolvesOnce(page([['x4', '4']]));
    // Act
    const result = await runAthenaQuery(context(), STATEMENT);
    // Assess
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-1', MaxResults: 1000 },
      { QueryExecutionId: 'q-1', MaxResults: 1000, NextToken: 'token-2' },
      { QueryExecutionId: 'q-1', MaxResults: 1000, NextToken: 'token-3' },
    ]);
    expect(result.rows).toEqual([
      ['x1', '1'],
      ['x2', null],
      ['', '3'],
      ['x4', '4'],
    ]);
  });

  it('refuses to drop a first row that is not the header', async () => {
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves(page([['x1', '1']]));
    await expect(runAthenaQuery(context(), STATEMENT)).rejects.toThrow(
      'Athena query q-1: the first result row is not the header (["x1","1"])',
    );
  });
});
