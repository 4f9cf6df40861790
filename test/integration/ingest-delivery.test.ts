import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { duckDbStage1Engine } from '../../src/adapters/duckdb/stage1-reader.js';
import { discoverLocalDeliveries } from '../../src/adapters/local-fs/discover-deliveries.js';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { localIngestLedger } from '../../src/adapters/local-fs/ingest-ledger.js';
import { type IngestDeps, ingestDelivery } from '../../src/app/ingest-delivery.js';
import type { Stage1Engine } from '../../src/app/ports/ingest.js';
import { loadModelCatalog } from '../../src/config/model-catalog.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { InputError, ReconciliationError } from '../../src/core/errors.js';
import { describeShrink } from '../../src/core/facts/delivery-checks.js';
import { formatMoney, parseMoney, sumMoney } from '../../src/core/money.js';
import {
  dataFilePath,
  monthSpanning,
  type TinyLine,
  writeCur2Manifest,
  writeTinyCur2,
} from '../helpers/tiny-cur.js';

const JUNE: TinyLine[] = [
  {
    day: '2026-06-03',
    usageType: 'USE1-NovaLite-input-tokens',
    unit: '1K tokens',
    amount: '12500',
    cost: '0.75',
    tags: { workload: 'support-bot' },
  },
  {
    day: '2026-06-03',
    usageType: 'USE1-NovaLite-output-tokens',
    unit: '1K tokens',
    amount: '900',
    cost: '0.216',
    tags: { workload: 'support-bot' },
  },
  {
    day: '2026-06-04',
    usageType: 'USE1-Claude4.6Sonnet-input-tokens',
    unit: '1K tokens',
    amount: '1000',
    cost: '3',
    tags: { workload: 'search' },
  },
  { day: '2026-06-04', usageType: '', type: 'Tax', amount: '1', cost: '0.0000000018' },
];

describe('ingestDelivery (DuckDB + local store)', () => {
  let dir: string;
  let exportRoot: string;
  let deps: IngestDeps;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bc-ingest-'));
    exportRoot = join(dir, 'cur', 'exp');
    const store = localFactStore(join(dir, 'store'));
    deps = {
      engine: duckDbStage1Engine(1),
      store,
      ledger: localIngestLedger(join(dir, 'store')),
      config: DEFAULT_CONFIG,
      catalog: loadModelCatalog(DEFAULT_CONFIG),
      clock: () => new Date('2026-06-06T00:00:00Z'),
    };
    await deliver(JUNE);
  });

  async function deliver(lines: TinyLine[], files = ['exp-00001.snappy.parquet']) {
    await writeTinyCur2(dataFilePath(exportRoot, '2026-06', files[0]!), lines);
    await writeCur2Manifest(exportRoot, 'exp', '2026-06', files);
  }

  async function ingestAll() {
    const deliveries = await discoverLocalDeliveries(exportRoot);
    return Promise.all(deliveries.map((d) => ingestDelivery(d, deps)));
  }

  it('writes one reconciled snapshot per (export, period)', async () => {
    const [report] = await ingestAll();
    expect(report!.status).toBe('ingested');
    expect(report!.periods.map((p) => [p.billingPeriod, p.reconciliation.ok])).toEqual([['2026-06', true]]);
    expect(formatMoney(report!.cost)).toBe('3.9660000018');
    expect(await readdir(join(dir, 'store', 'facts', 'billing_period=2026-06'))).toEqual(['exp.parquet']);
    const facts = await deps.store.read({});
    expect(formatMoney(sumMoney(facts.map((f) => f.costUnblended)))).toBe('3.9660000018');
    expect(facts.reduce((n, f) => n + f.lineItems, 0)).toBe(4);
    // The snapshot carries its completeness watermark: the newest usage hour of the whole delivery.
    expect(await deps.store.snapshots()).toEqual([
      {
        billingPeriod: '2026-06',
        exportName: 'exp',
        snapshotId: facts[0]!.snapshotId,
        newestUsageEnd: '2026-06-05T00:00:00Z',
      },
    ]);
  });

  it('skips a re-delivered identical snapshot as unchanged', async () => {
    await ingestAll();
    const [again] = await ingestAll();
    expect(again!.status).toBe('unchanged');
  });

  it('replaces the period on a restated delivery, never appends', async () => {
    await ingestAll();
    await deliver([
      ...JUNE,
      {
        day: '2026-06-05',
        usageType: 'USE1-NovaLite-input-tokens',
        unit: '1K tokens',
        amount: '100',
        cost: '0.006',
        tags: { workload: 'support-bot' },
      },
    ]);
    const [report] = await ingestAll();
    expect(report!.status).toBe('ingested');
    const facts = await deps.store.read({});
    expect(formatMoney(sumMoney(facts.map((f) => f.costUnblended)))).toBe('3.9720000018');
    expect(facts.filter((f) => f.usageDate === '2026-06-03' && f.usageKind === 'input')).toHaveLength(1);
  });

  it('leaves stored facts intact when a later delivery is corrupt', async () => {
    await ingestAll();
    const before = await deps.store.read({});
    await writeFile(
      dataFilePath(exportRoot, '2026-06', 'exp-00001.snappy.parquet'),
      'PAR1 this is not parquet',
    );
    await writeCur2Manifest(exportRoot, 'exp', '2026-06', ['exp-00001.snappy.parquet']);
    const error = await ingestAll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('exp-00001.snappy.parquet: truncated or corrupt Parquet file');
    expect(await deps.store.read({})).toEqual(before);
  });

  it('names the manifest and the missing file it lists, and writes nothing', async () => {
    const manifest = await writeCur2Manifest(exportRoot, 'exp', '2026-06', [
      'exp-00001.snappy.parquet',
      'exp-00002.snappy.parquet',
    ]);
    const error = await ingestAll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${manifest}: lists data file s3://bucket/cur/exp/data/BILLING_PERIOD=2026-06/exp-00002.snappy.parquet, which does not exist`,
      ),
    );
    expect(await deps.store.read({})).toEqual([]);
  });

  it('holds a restated delivery with no Bedrock rows left, and clears the period with acceptShrink', async () => {
    await ingestAll();
    const before = await deps.store.read({});
    await deliver([
      {
        day: '2026-06-03',
        usageType: 'USE1-BoxUsage:m5.large',
        productCode: 'AmazonEC2',
        amount: '1',
        cost: '0.1',
      },
    ]);
    const [held] = await ingestAll();
    expect(held!.status).toBe('held');
    expect(held!.held.map((h) => [h.billingPeriod, formatMoney(h.storedCost), h.deliveredFacts])).toEqual([
      ['2026-06', '3.9660000018', 0],
    ]);
    expect(describeShrink('exp', held!.held[0]!)).toBe(
      'billing period 2026-06 of export exp: the delivery would shrink the stored Bedrock cost to no Bedrock line items at all ' +
        '(stored $3.97 in 4 fact(s), delivered $0.00 in 0 fact(s))',
    );
    expect(await deps.store.read({})).toEqual(before);
    deps = { ...deps, acceptShrink: true };
    const [report] = await ingestAll();
    expect(report!.periods.map((p) => [p.billingPeriod, p.facts])).toEqual([['2026-06', 0]]);
    expect(await deps.store.read({})).toEqual([]);
  });

  it('refuses to write facts that do not reconcile', async () => {
    const real = deps.engine;
    const lossy: Stage1Engine = {
      async run(files, tagKeys) {
        const out = await real.run(files, tagKeys);
        return { ...out, totals: out.totals.map((t) => ({ ...t, costUnblended: parseMoney('100') })) };
      },
    };
    const [delivery] = await discoverLocalDeliveries(exportRoot);
    const error = await ingestDelivery(delivery!, { ...deps, engine: lossy }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReconciliationError);
    expect((error as Error).message).toContain('2026-06: facts 3.9660000018 USD vs line items 100 USD');
    expect(await deps.store.read({})).toEqual([]);
    expect(await deps.ledger.get(delivery!.objectKey)).toBeNull();
  });

  it('re-ingests when the stored snapshot was removed, even if the ledger saw the delivery', async () => {
    await ingestAll();
    await rm(join(dir, 'store', 'facts'), { recursive: true });
    const [report] = await ingestAll();
    expect(report!.status).toBe('ingested');
  });

  describe('nothing lost, nothing doubled', () => {
    const stored = async () => formatMoney(sumMoney((await deps.store.read({})).map((f) => f.costUnblended)));

    it('refuses a delivery whose manifest period disagrees with its data, keeping both periods', async () => {
      await ingestAll();
      const mayRoot = join(dir, 'cur', 'may');
      const may = JUNE.map((l) => ({ ...l, day: l.day.replace('2026-06', '2026-05') }));
      await writeTinyCur2(dataFilePath(mayRoot, '2026-05', 'exp-00001.snappy.parquet'), may);
      await writeCur2Manifest(mayRoot, 'exp', '2026-05', ['exp-00001.snappy.parquet']);
      for (const d of await discoverLocalDeliveries(mayRoot)) await ingestDelivery(d, deps);
      expect(await stored()).toBe('7.9320000036');
      // A June manifest whose data is May's: today it replaced May with nothing.
      await writeTinyCur2(dataFilePath(exportRoot, '2026-06', 'exp-00001.snappy.parquet'), may);
      const error = await ingestAll().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(
        /Manifest\.json: the manifest declares billing period 2026-06 but its data holds 4 line item\(s\) of billing period 2026-05 \(bill_billing_period_start_date\); nothing was written/,
      );
      expect(await stored()).toBe('7.9320000036');
    });

    it('holds a manifest with no data files instead of emptying the stored period', async () => {
      await ingestAll();
      await writeCur2Manifest(exportRoot, 'exp', '2026-06', []);
      const [report] = await ingestAll();
      expect(report!.status).toBe('held');
      expect(report!.held[0]!.reason).toBe('to no Bedrock line items at all');
      expect(await stored()).toBe('3.9660000018');
    });

    it('holds a delivery whose only file is zero bytes', async () => {
      await ingestAll();
      await writeFile(dataFilePath(exportRoot, '2026-06', 'exp-00002.snappy.parquet'), '');
      await writeCur2Manifest(exportRoot, 'exp', '2026-06', ['exp-00002.snappy.parquet']);
      const [report] = await ingestAll();
      expect(report!.status).toBe('held');
      expect(report!.emptyFiles).toHaveLength(1);
      expect(await stored()).toBe('3.9660000018');
    });

    it('writes an empty first snapshot of a period nothing is stored for', async () => {
      await writeCur2Manifest(exportRoot, 'exp', '2026-06', []);
      const [report] = await ingestAll();
      expect(report!.status).toBe('ingested');
      expect(report!.periods.map((p) => [p.billingPeriod, p.facts])).toEqual([['2026-06', 0]]);
    });

    it('holds a shrink past the configured share with both totals, applies a smaller one', async () => {
      await ingestAll();
      // $3.966… → $0.966…: −75.6%, past the default 50%.
      await deliver(JUNE.filter((l) => !l.usageType.includes('Claude')));
      const [held] = await ingestAll();
      expect(held!.status).toBe('held');
      expect(held!.held[0]).toMatchObject({
        reason: 'by 75.6%, more than 50%',
        storedFacts: 4,
        deliveredFacts: 3,
      });
      expect(formatMoney(held!.held[0]!.deliveredCost)).toBe('0.9660000018');
      expect(await stored()).toBe('3.9660000018');
      // At 80% the same shrink is applied.
      deps = { ...deps, config: { ...deps.config, ingest: { hold_shrink_share: 0.8 } } };
      const [applied] = await ingestAll();
      expect(applied!.status).toBe('ingested');
      expect(await stored()).toBe('0.9660000018');
    });

    it('names out-of-period usage lines and their dates; credits dated otherwise are kept', async () => {
      await deliver([
        ...JUNE,
        {
          day: '2026-05-20',
          period: '2026-06',
          usageType: 'USE1-NovaLite-input-tokens',
          type: 'Credit',
          amount: '0',
          cost: '-0.5',
        },
      ]);
      const [ok] = await ingestAll();
      expect(ok!.status).toBe('ingested');
      expect(await stored()).toBe('3.4660000018');
      await deliver([
        ...JUNE,
        {
          day: '2026-07-02',
          period: '2026-06',
          usageType: 'USE1-NovaLite-input-tokens',
          unit: '1K tokens',
          amount: '5',
          cost: '0.3',
        },
        {
          day: '2026-07-03',
          period: '2026-06',
          usageType: 'USE1-NovaLite-input-tokens',
          unit: '1K tokens',
          amount: '5',
          cost: '0.3',
        },
      ]);
      const error = await ingestAll().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(
        '2 line item(s) of billing period 2026-06 are dated outside it (line_item_usage_start_date 2026-07-02T00:00:00Z … 2026-07-03T00:00:00Z; ' +
          'line item type Usage): only Credit and Refund line items may be dated outside their billing period; nothing was written',
      );
      expect(await stored()).toBe('3.4660000018');
    });

    it('refuses a manifest that lists one data file twice', async () => {
      const manifest = await writeCur2Manifest(exportRoot, 'exp', '2026-06', [
        'exp-00001.snappy.parquet',
        'exp-00001.snappy.parquet',
      ]);
      const error = await ingestAll().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `${manifest}: lists data file s3://bucket/cur/exp/data/BILLING_PERIOD=2026-06/exp-00001.snappy.parquet more than once; ` +
          'reading it twice would count its spend twice, nothing was ingested',
      );
    });

    it('refuses the same line items under a second export (a loose copy, then the export root)', async () => {
      const loose = join(dir, 'downloads', 'june-copy');
      await mkdir(loose, { recursive: true });
      await cp(dataFilePath(exportRoot, '2026-06', 'exp-00001.snappy.parquet'), join(loose, 'cur.parquet'));
      for (const d of await discoverLocalDeliveries(loose)) await ingestDelivery(d, deps);
      const error = await ingestAll().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(
        'the Bedrock spend of account(s) 111122223333 for 2026-06 is already stored under export "june-copy"',
      );
      expect((error as Error).message).toContain('storing it again as export "exp" would count it twice');
      expect(await stored()).toBe('3.9660000018');
    });
  });

  describe('completeness watermark', () => {
    it('comes from usage lines only: tax, fees and credits spanning the month do not move it', async () => {
      await deliver([
        ...JUNE,
        monthSpanning('2026-06', { usageType: '', type: 'Tax', amount: '1', cost: '0.3' }),
        monthSpanning('2026-06', {
          usageType: 'USE1-ProvisionedThroughput',
          type: 'RIFee',
          amount: '1',
          cost: '10',
        }),
        monthSpanning('2026-06', {
          usageType: 'USE1-NovaLite-input-tokens',
          type: 'Credit',
          amount: '0',
          cost: '-1',
        }),
        monthSpanning('2026-06', {
          usageType: 'USE1-BoxUsage',
          productCode: 'AmazonEC2',
          type: 'SavingsPlanRecurringFee',
          amount: '1',
          cost: '1',
        }),
      ]);
      await ingestAll();
      const [snapshot] = await deps.store.snapshots();
      // The newest usage line is 2026-06-04, ending 06-05 00:00; the month-spanning lines end 07-01.
      expect(snapshot!.newestUsageEnd).toBe('2026-06-05T00:00:00Z');
    });
  });
});
