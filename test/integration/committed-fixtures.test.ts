import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckDbStage1Engine } from '../../src/adapters/duckdb/stage1-reader.js';
import { discoverLocalDeliveries } from '../../src/adapters/local-fs/discover-deliveries.js';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { localIngestLedger } from '../../src/adapters/local-fs/ingest-ledger.js';
import { type IngestDeps, ingestDelivery } from '../../src/app/ingest-delivery.js';
import { loadModelCatalog } from '../../src/config/model-catalog.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { InputError } from '../../src/core/errors.js';
import { formatMoney, parseMoney, sumMoney } from '../../src/core/money.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/cur');
const GOOD = [
  'cur2-daily',
  'cur2-hourly',
  'cur2-empty-chunk',
  'legacy-parquet',
  'legacy-csv',
  'legacy-csv-gz',
];

async function deps(): Promise<IngestDeps> {
  const store = await mkdtemp(join(tmpdir(), 'bc-fixtures-'));
  return {
    engine: duckDbStage1Engine(1),
    store: localFactStore(store),
    ledger: localIngestLedger(store),
    config: DEFAULT_CONFIG,
    catalog: loadModelCatalog(DEFAULT_CONFIG),
    clock: () => new Date('2026-07-01T00:00:00Z'),
  };
}

async function expectedTotals(dir: string): Promise<Map<string, { cost: string; lineItems: number }>> {
  const [exportDir] = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
  const expected = JSON.parse(await readFile(join(dir, exportDir!.name, 'expected.json'), 'utf8')) as {
    billingPeriods: { billingPeriod: string; bedrockUnblendedCost: string; bedrockLineItems: number }[];
  };
  return new Map(
    expected.billingPeriods.map((p) => [
      p.billingPeriod,
      { cost: p.bedrockUnblendedCost, lineItems: p.bedrockLineItems },
    ]),
  );
}

describe('every committed CUR fixture through the real ingest path', () => {
  it.each(GOOD)('%s reconciles and its facts equal the generator’s Σ Bedrock cost exactly', async (name) => {
    const d = await deps();
    const deliveries = await discoverLocalDeliveries(join(FIXTURES, name));
    expect(deliveries.length).toBeGreaterThan(0);
    for (const delivery of deliveries) {
      const report = await ingestDelivery(delivery, d);
      expect(report.periods.every((p) => p.reconciliation.ok)).toBe(true);
    }
    const facts = await d.store.read({});
    for (const [period, want] of await expectedTotals(join(FIXTURES, name))) {
      const periodFacts = facts.filter((f) => f.billingPeriod === period);
      expect(formatMoney(sumMoney(periodFacts.map((f) => f.costUnblended))), `${name} ${period}`).toBe(
        formatMoney(parseMoney(want.cost)),
      );
      expect(periodFacts.reduce((n, f) => n + f.lineItems, 0)).toBe(want.lineItems);
    }
  });

  it('ingests the schema-drift export (no IAM principal, resource id or account name columns)', async () => {
    const d = await deps();
    for (const delivery of await discoverLocalDeliveries(join(FIXTURES, 'bad/schema-drift'))) {
      const report = await ingestDelivery(delivery, d);
      expect(report.periods.every((p) => p.reconciliation.ok)).toBe(true);
    }
    expect((await d.store.read({})).every((f) => f.iamPrincipal === '' && f.resourceId === '')).toBe(true);
  });

  it.each([
    ['bad/files/truncated.snappy.parquet', /truncated or corrupt Parquet file/],
    ['bad/files/not-parquet.snappy.parquet', /not a Parquet file/],
    ['bad/files/wrong-schema.snappy.parquet', /not a Cost and Usage Report|missing required column/],
    [
      'bad/files/truncated.csv.gz',
      /truncated\.csv\.gz: truncated or corrupt gzip file \(unexpected end of file\): the \.csv\.gz is incomplete or damaged/,
    ],
    [
      'bad/files/latin1.csv',
      /latin1\.csv: line 3 is not UTF-8 text \(byte 0xE9\); CUR files are UTF-8: was the file saved as Latin-1 or Windows-1252\?/,
    ],
    [
      'bad/files/bitflip.snappy.parquet',
      /bitflip\.snappy\.parquet: corrupt Parquet file \(.+\): the file is damaged or incomplete/,
    ],
    [
      'bad/files/empty-cost.csv',
      /empty-cost\.csv: data row 21: column lineItem\/UnblendedCost is empty on a Bedrock line item; expected a cost \(a number\)/,
    ],
    ['bad/truncated-chunk', /truncated or corrupt Parquet file/],
    ['bad/missing-file', /lists data file .* which does not exist/],
  ])('%s fails naming the file, and stored facts stay as they were', async (path, message) => {
    const d = await deps();
    for (const delivery of await discoverLocalDeliveries(join(FIXTURES, 'cur2-daily')))
      await ingestDelivery(delivery, d);
    const before = await d.store.read({});
    const error = await (async () => {
      for (const delivery of await discoverLocalDeliveries(join(FIXTURES, path)))
        await ingestDelivery(delivery, d);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(
      path.startsWith('bad/files/') ? path.split('/').at(-1)! : 'bedrock-cost-cur2',
    );
    expect(await d.store.read({})).toEqual(before);
  });

  it('treats a zero-byte file as an empty chunk, not an error', async () => {
    const d = await deps();
    const [delivery] = await discoverLocalDeliveries(join(FIXTURES, 'bad/files/zero-byte.snappy.parquet'));
    const report = await ingestDelivery(delivery!, d);
    expect(report.emptyFiles).toHaveLength(1);
    expect(report.facts).toBe(0);
  });
});
