import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbNotificationLog, notificationLogPk } from '../../src/adapters/dynamodb/notification-log.js';
import { DynamoDbSilenceStore } from '../../src/adapters/dynamodb/silence-store.js';
import type { ClaimRequest } from '../../src/app/ports/alerting.js';
import { compileSilence } from '../../src/core/alerting/silences.js';
import { type LocalDynamo, startDynalite } from '../helpers/dynalite.js';

const NOW = Date.parse('2026-06-16T06:00:00Z');
let seq = 0;

const claimFor = (groupKey: string, over: Partial<ClaimRequest> = {}): ClaimRequest => ({
  receiver: 'oncall/sns',
  groupKey,
  expectedVersion: null,
  claimedAtMs: NOW,
  leaseUntilMs: NOW + 60_000,
  firingFingerprints: ['f1', 'f2'],
  maxSeverity: 'page',
  amount: '412.3',
  expiresAtEpochSec: NOW / 1000 + 2 * 86_400,
  ...over,
});

describe('DynamoDbNotificationLog on dynalite', () => {
  let db: LocalDynamo;
  let log: DynamoDbNotificationLog;
  const key = () => `{}/{severity="page"}:{"workload":"w${++seq}"}`;

  beforeAll(async () => {
    db = await startDynalite();
    log = new DynamoDbNotificationLog({ client: db.client, tableName: db.tableName });
  });
  afterAll(async () => {
    await db.close();
  });

  it('claim → get → commit: the record carries the claim and becomes SENT', async () => {
    // Prepare
    const groupKey = key();
    // Act
    const claim = await log.claim(claimFor(groupKey));
    const claimed = await log.get('oncall/sns', groupKey);
    const commit = await log.commit({ receiver: 'oncall/sns', groupKey, version: 1 });
    const sent = await log.get('oncall/sns', groupKey);
    // Assess
    expect(claim).toEqual({ ok: true, version: 1 });
    expect(claimed).toEqual({
      receiver: 'oncall/sns',
      groupKey,
      version: 1,
      state: 'CLAIMED',
      firingFingerprints: ['f1', 'f2'],
      maxSeverity: 'page',
      amount: '412.3',
      lastSentAtMs: NOW,
      leaseUntilMs: NOW + 60_000,
      expiresAtEpochSec: NOW / 1000 + 2 * 86_400,
    });
    expect(commit).toEqual({ ok: true, version: 2 });
    expect(sent).toMatchObject({ state: 'SENT', version: 2 });
  });

  it('two concurrent claimers on a new group: exactly one wins', async () => {
    // Prepare
    const groupKey = key();
    // Act
    const results = await Promise.all(Array.from({ length: 8 }, () => log.claim(claimFor(groupKey))));
    // Assess
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array(7).fill({ ok: false, reason: 'held' }));
  });

  it('two concurrent claimers over the same SENT version: exactly one wins', async () => {
    // Prepare
    const groupKey = key();
    await log.claim(claimFor(groupKey));
    await log.commit({ receiver: 'oncall/sns', groupKey, version: 1 });
    // Act
    const results = await Promise.all(
      [1, 2].map(() =>
        log.claim(
          claimFor(groupKey, { expectedVersion: 2, claimedAtMs: NOW + 1000, leaseUntilMs: NOW + 61_000 }),
        ),
      ),
    );
    // Assess
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
  });

  it('a live lease holds against the right version; an expired one can be taken over', async () => {
    // Prepare: a claim whose sender died before commit.
    const groupKey = key();
    await log.claim(claimFor(groupKey));
    // Act
    const whileLive = await log.claim(claimFor(groupKey, { expectedVersion: 1, claimedAtMs: NOW + 59_999 }));
    const afterExpiry = await log.claim(
      claimFor(groupKey, { expectedVersion: 1, claimedAtMs: NOW + 60_000, leaseUntilMs: NOW + 120_000 }),
    );
    const staleCommit = await log.commit({ receiver: 'oncall/sns', groupKey, version: 1 });
    // Assess
    expect(whileLive).toEqual({ ok: false, reason: 'held' });
    expect(afterExpiry).toEqual({ ok: true, version: 2 });
    expect(staleCommit).toEqual({ ok: false, reason: 'lost' });
  });

  it('a claim with a stale expected version is held', async () => {
    const groupKey = key();
    await log.claim(claimFor(groupKey));
    await log.commit({ receiver: 'oncall/sns', groupKey, version: 1 });
    expect(await log.claim(claimFor(groupKey, { expectedVersion: 1 }))).toEqual({
      ok: false,
      reason: 'held',
    });
  });

  it('release restores the previous record, or removes a first claim', async () => {
    // Prepare
    const fresh = key();
    const existing = key();
    await log.claim(claimFor(existing));
    await log.commit({ receiver: 'oncall/sns', groupKey: existing, version: 1 });
    const before = (await log.get('oncall/sns', existing))!;
    await log.claim(claimFor(fresh));
    await log.claim(claimFor(existing, { expectedVersion: 2, maxSeverity: 'page', amount: '9999' }));
    // Act
    const r1 = await log.release({ receiver: 'oncall/sns', groupKey: fresh, version: 1, restore: null });
    const r2 = await log.release({ receiver: 'oncall/sns', groupKey: existing, version: 3, restore: before });
    const r3 = await log.release({ receiver: 'oncall/sns', groupKey: existing, version: 3, restore: before });
    // Assess
    expect([r1, r2, r3]).toEqual([{ ok: true }, { ok: true }, { ok: false, reason: 'lost' }]);
    expect(await log.get('oncall/sns', fresh)).toBeNull();
    expect(await log.get('oncall/sns', existing)).toEqual({ ...before, version: 4 });
  });

  it('condition state round-trips: resolved set and firing-since days; a resolve record (nothing firing) too', async () => {
    // Prepare
    const groupKey = key();
    const since = { 'cond-a': '2026-06-15', 'cond-b': '2026-06-16' };
    // Act
    await log.claim(claimFor(groupKey, { firingFingerprints: ['cond-a', 'cond-b'], firingSince: since }));
    await log.commit({ receiver: 'oncall/sns', groupKey, version: 1 });
    const firing = await log.get('oncall/sns', groupKey);
    // The resolve message: nothing fires, both conditions resolved; compare-and-set on the SENT version.
    const held = await log.claim(claimFor(groupKey, { expectedVersion: 1, firingFingerprints: [] }));
    const resolve = await log.claim(
      claimFor(groupKey, {
        expectedVersion: 2,
        firingFingerprints: [],
        resolvedFingerprints: ['cond-a', 'cond-b'],
        firingSince: {},
        amount: '0',
        maxSeverity: 'info',
      }),
    );
    await log.commit({ receiver: 'oncall/sns', groupKey, version: 3 });
    const resolved = await log.get('oncall/sns', groupKey);
    // Assess
    expect(firing).toMatchObject({ firingFingerprints: ['cond-a', 'cond-b'], firingSince: since });
    expect(firing?.resolvedFingerprints).toBeUndefined();
    expect(held).toEqual({ ok: false, reason: 'held' });
    expect(resolve).toEqual({ ok: true, version: 3 });
    expect(resolved).toMatchObject({
      state: 'SENT',
      version: 4,
      firingFingerprints: [],
      resolvedFingerprints: ['cond-a', 'cond-b'],
      firingSince: {},
    });
  });

  it('stores the TTL attribute in epoch seconds under a hashed key', async () => {
    const groupKey = key();
    await log.claim(claimFor(groupKey));
    const raw = await db.client.send(
      new GetItemCommand({
        TableName: db.tableName,
        Key: { pk: { S: notificationLogPk('oncall/sns', groupKey) } },
      }),
    );
    expect(raw.Item?.expiresAtEpochSec).toEqual({ N: String(NOW / 1000 + 2 * 86_400) });
    expect(raw.Item?.pk?.S).toMatch(/^nflog#[0-9a-f]{64}$/);
  });

  it('silence store: put, list, expire', async () => {
    // Prepare
    const store = new DynamoDbSilenceStore({ client: db.client, tableName: db.tableName });
    const silence = compileSilence({
      id: 's1',
      matchers: ['workload="load-test"'],
      starts_at: '2026-06-15T00:00:00Z',
      ends_at: '2026-06-20T00:00:00Z',
      created_by: 'alice',
      comment: 'load test',
    });
    // Act
    await Promise.all([store.put(silence), store.put({ ...silence, id: 's2' })]);
    const expired = await store.expire('s1', NOW);
    const missing = await store.expire('nope', NOW);
    // Assess
    const listed = await store.list();
    expect(listed.map((s) => s.id).sort()).toEqual(['s1', 's2']);
    expect(listed.find((s) => s.id === 's1')?.endsAtMs).toBe(NOW);
    expect([expired, missing]).toEqual([true, false]);
  });
});
