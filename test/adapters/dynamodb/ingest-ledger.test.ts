import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIngestLedger, ingestLedgerPk } from '../../../src/adapters/dynamodb/ingest-ledger.js';
import type { LedgerEntry } from '../../../src/app/ports/ingest.js';
import { type LocalDynamo, startDynalite } from '../../helpers/dynalite.js';

const NOW = Date.parse('2026-11-22T01:00:00Z');
let seq = 0;
const manifest = () => `s3://cur-bucket/cur/exp/metadata/BILLING_PERIOD=2026-10/exp-${++seq}-Manifest.json`;

const entryFor = (objectKey: string, version: string): LedgerEntry => ({
  objectKey,
  version,
  exportName: 'exp',
  snapshotId: 'abcdef0123456789',
  billingPeriods: ['2026-10'],
  ingestedAt: new Date(NOW).toISOString(),
  facts: 12,
  costUnblended: '412.3',
});

describe('DynamoDbIngestLedger on dynalite', () => {
  let db: LocalDynamo;
  let ledger: DynamoDbIngestLedger;
  let tokens = 0;

  const item = async (objectKey: string) => {
    const out = await DynamoDBDocumentClient.from(db.client).send(
      new GetCommand({
        TableName: db.tableName,
        Key: { pk: ingestLedgerPk(objectKey) },
        ConsistentRead: true,
      }),
    );
    return out.Item;
  };

  beforeAll(async () => {
    db = await startDynalite();
    ledger = new DynamoDbIngestLedger({
      client: db.client,
      tableName: db.tableName,
      clock: () => new Date(NOW),
      newToken: () => `token-${++tokens}`,
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it('claim → put → release: IN_PROGRESS with a lease, then COMPLETED with the entry and no lease', async () => {
    // Prepare
    const key = manifest();

    // Act
    const claim = await ledger.claim({ objectKey: key, version: 'v1', nowMs: NOW, leaseMs: 60_000 });
    const during = await item(key);
    await ledger.put(entryFor(key, 'v1'));
    const afterPut = await item(key);
    await ledger.release(key, claim.status === 'claimed' ? claim.token : 'none');

    // Assert
    expect(claim).toMatchObject({ status: 'claimed' });
    expect(during).toMatchObject({
      pk: `ingest#${key}`,
      status: 'IN_PROGRESS',
      lease: { version: 'v1', untilMs: NOW + 60_000 },
    });
    expect(afterPut).toMatchObject({ status: 'COMPLETED', entry: { version: 'v1', facts: 12 } });
    expect(afterPut?.lease).toBeUndefined();
    expect(afterPut?.expiresAtEpochSec).toBe(NOW / 1000 + 400 * 86_400);
    expect(await ledger.get(key)).toEqual(entryFor(key, 'v1'));
    expect(await item(key)).toMatchObject({ status: 'COMPLETED' });
  });

  it('get is null for a manifest never completed', async () => {
    expect(await ledger.get(manifest())).toBeNull();
  });

  it('two concurrent claims on one delivery: exactly one wins, the other sees it held', async () => {
    // Prepare
    const key = manifest();
    const request = { objectKey: key, version: 'v1', nowMs: NOW, leaseMs: 60_000 };

    // Act
    const results = await Promise.all(Array.from({ length: 5 }, () => ledger.claim(request)));

    // Assert
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    const held = results.filter((r) => r.status === 'held');
    expect(held).toHaveLength(4);
    expect(held[0]).toEqual({ status: 'held', version: 'v1', leaseUntilMs: NOW + 60_000 });
  });

  it('an expired lease is taken over; the old holder can no longer release it', async () => {
    // Prepare
    const key = manifest();
    const first = await ledger.claim({ objectKey: key, version: 'v1', nowMs: NOW, leaseMs: 1_000 });
    const blocked = await ledger.claim({ objectKey: key, version: 'v1', nowMs: NOW + 999, leaseMs: 1_000 });

    // Act
    const takeover = await ledger.claim({
      objectKey: key,
      version: 'v1',
      nowMs: NOW + 1_000,
      leaseMs: 60_000,
    });
    await ledger.release(key, first.status === 'claimed' ? first.token : 'none');

    // Assert
    expect(blocked.status).toBe('held');
    expect(takeover.status).toBe('claimed');
    const stored = await item(key);
    expect(stored?.lease).toMatchObject({
      token: takeover.status === 'claimed' ? takeover.token : '',
      untilMs: NOW + 61_000,
    });
  });

  it('releasing a claim that never completed leaves no item; with an entry, the entry stays', async () => {
    // Prepare
    const fresh = manifest();
    const done = manifest();
    await ledger.put(entryFor(done, 'v1'));

    // Act
    const a = await ledger.claim({ objectKey: fresh, version: 'v1', nowMs: NOW, leaseMs: 60_000 });
    const b = await ledger.claim({ objectKey: done, version: 'v2', nowMs: NOW, leaseMs: 60_000 });
    await ledger.release(fresh, a.status === 'claimed' ? a.token : '');
    await ledger.release(done, b.status === 'claimed' ? b.token : '');

    // Assert
    expect(await item(fresh)).toBeUndefined();
    expect(await item(done)).toMatchObject({ status: 'COMPLETED', entry: { version: 'v1' } });
    expect((await item(done))?.lease).toBeUndefined();
  });

  it('completing an older version keeps the lease of a run ingesting a newer one', async () => {
    // Prepare
    const key = manifest();
    await ledger.claim({ objectKey: key, version: 'v2', nowMs: NOW, leaseMs: 60_000 });

    // Act
    await ledger.put(entryFor(key, 'v1'));

    // Assert
    expect(await item(key)).toMatchObject({
      status: 'IN_PROGRESS',
      lease: { version: 'v2' },
      entry: { version: 'v1' },
    });
  });
});
