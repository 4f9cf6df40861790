import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readStage1 } from '../../../src/adapters/duckdb/stage1-reader.js';
import { type TinyLine, writeTinyCur2 } from '../../helpers/tiny-cur.js';

const ref = (path: string) => ({ path, label: path });
const line = (tags: Record<string, string>, cost: string, extra: Partial<TinyLine> = {}): TinyLine => ({
  day: '2026-06-03',
  usageType: 'USE1-NovaLite-input-tokens',
  unit: '1K tokens',
  amount: '1',
  cost,
  operation: 'InvokeModelInference',
  tags,
  ...extra,
});

describe('stage 1 tag pairs on DuckDB (one set of pairs per distinct tag map)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bc-stage1-pairs-'));
  });

  it('merges groups whose maps differ only in keys that are not configured, summing exactly', async () => {
    const file = join(dir, 'merge.parquet');
    await writeTinyCur2(file, [
      line({ workload: 'search', build: '1' }, '0.1'),
      line({ workload: 'search', build: '2' }, '0.2'),
      line({ workload: 'search' }, '0.3'),
      line({ workload: 'chat', build: '1' }, '0.4'),
    ]);
    const result = await readStage1([ref(file)], { tagKeys: ['workload'] });
    expect(result.rows.map((r) => [r.resourceTags, r.costUnblended, r.lineItems])).toEqual([
      [[['workload', 'chat']], '0.400000000000000', 1],
      [[['workload', 'search']], '0.600000000000000', 3],
    ]);
  });

  it('orders rows by their pairs as text, the day last, when no maps merge', async () => {
    const file = join(dir, 'order.parquet');
    await writeTinyCur2(file, [
      line({ workload: 'b' }, '1', { day: '2026-06-02' }),
      line({ workload: 'a' }, '2', { day: '2026-06-03' }),
      line({}, '3', { day: '2026-06-01' }),
      line({ workload: 'a' }, '4', { day: '2026-06-01' }),
      line({ workload: 'a', team: 'x' }, '5', { day: '2026-06-02' }),
    ]);
    const result = await readStage1([ref(file)], { tagKeys: ['workload', 'team'] });
    expect(result.rows.map((r) => [JSON.stringify(r.resourceTags), r.usageDate])).toEqual([
      ['[["team","x"],["workload","a"]]', '2026-06-02'],
      ['[["workload","a"]]', '2026-06-01'],
      ['[["workload","a"]]', '2026-06-03'],
      ['[["workload","b"]]', '2026-06-02'],
      // ']' sorts after '['.
      ['[]', '2026-06-01'],
    ]);
  });
});
