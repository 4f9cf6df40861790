import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import {
  bedrockUsage,
  dataFilePath,
  monthSpanning,
  type TinyLine,
  writeCur2Manifest,
  writeTinyCur2,
} from '../helpers/tiny-cur.js';

const usage = (day: string, cost: string) => bedrockUsage(day, cost);

/** Month-spanning lines AWS writes from the period's first hour, and a credit dated in the month before. */
const MONTH_SPANNING: TinyLine[] = [
  monthSpanning('2026-06', { usageType: '', type: 'Tax', amount: '1', cost: '2' }),
  monthSpanning('2026-06', {
    usageType: 'USE1-BoxUsage',
    productCode: 'AmazonEC2',
    type: 'RIFee',
    amount: '720',
    cost: '30',
  }),
  monthSpanning('2026-06', {
    usageType: 'USE1-BoxUsage',
    productCode: 'AmazonEC2',
    type: 'SavingsPlanRecurringFee',
    amount: '720',
    cost: '5',
  }),
  {
    day: '2026-05-28',
    period: '2026-06',
    usageType: 'USE1-NovaLite-input-tokens',
    type: 'Credit',
    amount: '0',
    cost: '-1',
  },
];

describe('bedrock-cost ingest: nothing lost, nothing doubled (CLI)', () => {
  let dir: string;
  let exportRoot: string;
  let store: string;

  async function deliver(lines: TinyLine[]) {
    await writeTinyCur2(dataFilePath(exportRoot, '2026-06', 'exp-00001.snappy.parquet'), lines);
    await writeCur2Manifest(exportRoot, 'exp', '2026-06', ['exp-00001.snappy.parquet']);
  }

  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'bc-cli-guards-'));
    exportRoot = join(dir, 'cur', 'exp');
    store = join(dir, 'store');
  });

  it('takes the watermark from usage lines, not tax, fees or credits spanning the month', async () => {
    await deliver([
      usage('2026-06-01', '40'),
      usage('2026-06-02', '40'),
      usage('2026-06-03', '40'),
      ...MONTH_SPANNING,
    ]);
    const result = runCli(['ingest', exportRoot, '--store', store]);
    expect(result.status).toBe(0);
    const [snapshot] = await localFactStore(store).snapshots();
    expect(snapshot!.newestUsageEnd).toBe('2026-06-04T00:00:00Z');
  });

  it('holds a shrinking re-delivery with both totals and exit 1; --accept-shrink applies it', async () => {
    await deliver([usage('2026-06-01', '40'), ...MONTH_SPANNING]);
    const held = runCli(['ingest', exportRoot, '--store', store, '--format', 'json']);
    expect(held.status).toBe(1);
    const [report] = JSON.parse(held.stdout).deliveries;
    expect(report.status).toBe('held');
    expect(report.held).toEqual([
      {
        billing_period: '2026-06',
        stored_cost: '121',
        stored_facts: 5,
        delivered_cost: '41',
        delivered_facts: 3,
        message:
          'billing period 2026-06 of export exp: the delivery would shrink the stored Bedrock cost by 66.1%, more than 50% ' +
          '(stored $121.00 in 5 fact(s), delivered $41.00 in 3 fact(s))',
      },
    ]);
    const table = runCli(['ingest', exportRoot, '--store', store]);
    expect(table.status).toBe(1);
    expect(table.stderr).toContain('held: ');
    expect(table.stderr).toContain(
      'nothing was written. If the smaller delivery is right, apply it with: bedrock-cost ingest … --accept-shrink',
    );
    expect(table.stdout).toContain('0 delivery(ies) ingested, 0 unchanged, 1 held, 0 failed');

    const applied = runCli(['ingest', exportRoot, '--store', store, '--accept-shrink']);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain('Bedrock cost ingested: $41.00');
  });

  it('names usage lines dated outside their billing period and writes nothing', async () => {
    await deliver([usage('2026-06-01', '40'), { ...usage('2026-07-01', '5'), period: '2026-06' }]);
    const result = runCli(['ingest', exportRoot, '--store', store]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '1 line item(s) of billing period 2026-06 are dated outside it (line_item_usage_start_date 2026-07-01T00:00:00Z; line item type Usage): ' +
        'only Credit and Refund line items may be dated outside their billing period; nothing was written',
    );
  });
});
