import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duckDbStage1Engine } from '../../src/adapters/duckdb/stage1-reader.js';
import { discoverLocalDeliveries } from '../../src/adapters/local-fs/discover-deliveries.js';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { localIngestLedger } from '../../src/adapters/local-fs/ingest-ledger.js';
import { type IngestDeps, ingestDelivery } from '../../src/app/ingest-delivery.js';
import { loadModelCatalog } from '../../src/config/model-catalog.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { writeTinyCur2 } from '../helpers/tiny-cur.js';

describe('local store: concurrent ingests and killed ones', () => {
  let dir: string;
  let deps: IngestDeps;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bc-concurrency-'));
    const root = join(dir, 'store');
    deps = {
      engine: duckDbStage1Engine(1),
      store: localFactStore(root),
      ledger: localIngestLedger(root),
      config: DEFAULT_CONFIG,
      catalog: loadModelCatalog(DEFAULT_CONFIG),
      clock: () => new Date('2026-06-06T00:00:00Z'),
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function looseFile(n: number): Promise<string> {
    const file = join(dir, 'cur', `team-${n}.parquet`);
    await writeTinyCur2(file, [
      {
        day: '2026-06-03',
        account: `11112222333${n}`,
        usageType: 'USE1-NovaLite-input-tokens',
        unit: '1K tokens',
        amount: '1000',
        cost: '0.06',
      },
    ]);
    return file;
  }

  it('six concurrent ingests into one store keep six ledger entries', async () => {
    const files = await Promise.all([1, 2, 3, 4, 5, 6].map(looseFile));
    const deliveries = (await Promise.all(files.map(discoverLocalDeliveries))).flat();
    const reports = await Promise.all(deliveries.map((d) => ingestDelivery(d, deps)));
    expect(reports.map((r) => r.status)).toEqual(Array(6).fill('ingested'));
    const ledger = JSON.parse(await readFile(join(dir, 'store', 'state', 'ingest-ledger.json'), 'utf8'));
    expect(Object.keys(ledger.entries).sort()).toEqual([...files].sort());
    expect(await readdir(join(dir, 'store', 'state'))).toEqual(['ingest-ledger.json']);
  });

  it('removes the temporary files a killed ingest left, but not a live writer’s', async () => {
    const [delivery] = await discoverLocalDeliveries(await looseFile(1));
    await ingestDelivery(delivery!, deps);
    const periodDir = join(dir, 'store', 'facts', 'billing_period=2026-06');
    // A process that has exited: its pid names an orphan.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const host = hostname().replace(/[^A-Za-z0-9]/g, '_');
    const orphans = [
      `.team-1.parquet.${host}-${dead}.0badc0de.tmp`,
      `.team-1.parquet.${host}-${dead}.0badc0de.tmp.12345678.json`,
      `.team-1.parquet.${dead}.deadbeef.tmp`,
    ];
    const live = `.team-1.parquet.${host}-${process.pid}.cafebabe.tmp`;
    const otherHost = '.team-1.parquet.otherhost-1.feedf00d.tmp';
    for (const name of [...orphans, live, otherHost]) await writeFile(join(periodDir, name), 'partial');

    await ingestDelivery(delivery!, { ...deps, force: true });

    expect((await readdir(periodDir)).sort()).toEqual([otherHost, live, 'team-1.parquet'].sort());
  });
});
