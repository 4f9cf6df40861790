import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlString, withDuckDb } from '../../src/adapters/duckdb/duckdb.js';
import { readFactsParquet, writeFactsParquet } from '../../src/adapters/duckdb/fact-parquet.js';
import { dfact } from '../helpers/digest-facts.js';

describe('fact Parquet files written before the context column', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bc-fact-compat-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('read back with context standard, every other column intact', async () => {
    const facts = [
      dfact({ cost: '1.25', tokens: 10 }),
      dfact({ model: 'xai.grok-4.3', cost: '2', context: 'long' }),
    ];
    const current = join(dir, 'current.parquet');
    const old = join(dir, 'old.parquet');
    await withDuckDb(async (db) => {
      await writeFactsParquet(db, facts, current, { snapshotId: 'snap', newestUsageEnd: null });
      // An older writer: the same file without the column.
      await db.run(
        `COPY (SELECT * EXCLUDE (context) FROM read_parquet(${sqlString(current)})) TO ${sqlString(old)} (FORMAT parquet)`,
      );
      const fromOld = await readFactsParquet(db, [old], {});
      expect(fromOld.map((f) => f.context)).toEqual(['standard', 'standard']);
      expect(fromOld.map((f) => ({ ...f, context: 'standard' }))).toEqual(
        (await readFactsParquet(db, [current], {})).map((f) => ({ ...f, context: 'standard' })),
      );
      // Both generations in one read: the old file's rows default, the new file's keep their value.
      const mixed = await readFactsParquet(db, [old, current], {});
      expect(mixed.filter((f) => f.context === 'long')).toHaveLength(1);
    });
  });
});
