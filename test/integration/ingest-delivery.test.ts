import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { duckDbStage1Engine } from '../../src/adapters/duckdb/stage1-reader.js';
import { discoverLocalDeliveries } from '../../src/adapters/local-fs/discover-deliveries.js';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { localIngestLedger } from '../../src/adapters/local-fs/ingest-ledger.js';
import { type IngestDeps, ingestDelivery } from '../../src/app/ingest-delivery.js';
import type { Stage1Engine } from '../../src/app/ingest-ports.js';
import { loadModelCatalog } from '../../src/config/model-catalog.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { InputError, ReconciliationError } from '../../src/core/errors.js';
import { formatMoney, parseMoney, sumMoney } from '../../src/core/money.js';
import { dataFilePath, type TinyLine, writeCur2Manifest, writeTinyCur2 } from '../helpers/tiny-cur.js';

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

  it('clears a period whose restated delivery has no Bedrock rows left', async () => {
    await ingestAll();
    await deliver([
      {
        day: '2026-06-03',
        usageType: 'USE1-BoxUsage:m5.large',
        productCode: 'AmazonEC2',
        amount: '1',
        cost: '0.1',
      },
    ]);
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
});
