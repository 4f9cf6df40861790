import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureDuckDb, withDuckDb } from '../../src/adapters/duckdb/duckdb.js';
import { lambdaDuckDbSettings } from '../../src/handlers/runtime/duckdb-lambda.js';
import { parseHandlerEnv } from '../../src/handlers/runtime/env.js';

describe('DuckDB sized for a Lambda function', () => {
  afterEach(() => configureDuckDb({}));

  it('takes half the function memory, one thread per vCPU the memory buys, and only /tmp', () => {
    expect(lambdaDuckDbSettings(1769, '/tmp', 2)).toEqual({
      threads: 1,
      memoryLimitMb: 884,
      tempDirectory: '/tmp/duckdb/spill',
      homeDirectory: '/tmp/duckdb',
      extensionDirectory: '/tmp/duckdb/extensions',
      secretDirectory: '/tmp/duckdb/secrets',
    });
    expect(lambdaDuckDbSettings(3008, '/tmp', 2).threads).toBe(2);
    expect(lambdaDuckDbSettings(10_240, '/tmp', 16).threads).toBe(6);
    // Never more threads than CPUs the process sees.
    expect(lambdaDuckDbSettings(10_240, '/tmp', 2).threads).toBe(2);
    expect(lambdaDuckDbSettings(128, '/tmp', 2)).toMatchObject({ threads: 1, memoryLimitMb: 64 });
  });

  it('starts every later instance with the configured settings', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'bedrock-cost-duckdb-lambda-'));
    configureDuckDb(lambdaDuckDbSettings(1769, tmp, 2));
    const read = () =>
      withDuckDb((db) =>
        db.rows<Record<string, string>>(
          "SELECT current_setting('memory_limit') AS mem, current_setting('threads')::VARCHAR AS threads, " +
            "current_setting('temp_directory') AS temp, current_setting('home_directory') AS home, " +
            "current_setting('extension_directory') AS ext",
        ),
      );
    const [row] = await read();
    expect(row).toEqual({
      mem: '843.0 MiB', // 884 MB as DuckDB prints it
      threads: '1',
      temp: join(tmp, 'duckdb/spill'),
      home: join(tmp, 'duckdb'),
      ext: join(tmp, 'duckdb/extensions'),
    });
    configureDuckDb({});
    const [defaults] = await read();
    expect(defaults?.threads).toBe('2');
    expect(defaults?.temp).not.toContain(tmp);
    await rm(tmp, { recursive: true, force: true });
  });

  it('reads the memory size Lambda sets, and names a bad one', () => {
    const base = { BEDROCK_COST_STORE: 's3://facts-bucket/x', BEDROCK_COST_STATE_TABLE: 't' };
    expect(
      parseHandlerEnv({ ...base, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1769' }).AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    ).toBe(1769);
    expect(parseHandlerEnv(base).AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBeUndefined();
    expect(() => parseHandlerEnv({ ...base, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '64' })).toThrow(
      /AWS_LAMBDA_FUNCTION_MEMORY_SIZE.*a memory size in MB/s,
    );
  });
});
