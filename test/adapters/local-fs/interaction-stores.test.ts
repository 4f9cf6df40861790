import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  interactionStatePaths,
  LocalConditionAckStore,
  LocalFeedbackStore,
  LocalReplayGuard,
} from '../../../src/adapters/local-fs/interaction-stores.js';

const NOW = Date.parse('2026-06-16T09:30:00Z');

describe('Slack interaction stores on the local file system', () => {
  const root = () => mkdtempSync(join(tmpdir(), 'bc-interaction-'));

  it('replay guard: concurrent copies pass once; expired ids are forgotten and pruned', async () => {
    const paths = interactionStatePaths(root());
    const guard = new LocalReplayGuard({ path: paths.replay });
    const results = await Promise.all(
      Array.from({ length: 4 }, () => guard.firstSeen('v0=abc', NOW + 300_000, NOW)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await guard.firstSeen('v0=other', NOW + 400_000, NOW + 350_000)).toBe(true);
    // v0=abc has expired by now: it passes again, and the file no longer lists what expired.
    expect(await guard.firstSeen('v0=abc', NOW + 900_000, NOW + 500_000)).toBe(true);
    const again = new LocalReplayGuard({ path: paths.replay });
    expect(await again.firstSeen('v0=abc', NOW + 900_000, NOW + 600_000)).toBe(false);
  });

  it('acks and feedback persist in state/ beside silences.json', async () => {
    const dir = root();
    const paths = interactionStatePaths(dir);
    expect(paths.acks).toBe(join(dir, 'state', 'condition-acks.json'));
    const acks = new LocalConditionAckStore({ path: paths.acks });
    await acks.put({ conditionKey: 'cond-a', acknowledgedBy: 'alice', acknowledgedAtMs: NOW });
    await acks.put({ conditionKey: 'cond-a', acknowledgedBy: 'bob', acknowledgedAtMs: NOW + 1 });
    expect(await new LocalConditionAckStore({ path: paths.acks }).list()).toEqual([
      { conditionKey: 'cond-a', acknowledgedBy: 'bob', acknowledgedAtMs: NOW + 1 },
    ]);
    const feedback = new LocalFeedbackStore({ path: paths.feedback });
    expect(await feedback.list()).toEqual([]);
    const record = {
      id: 'fb-1',
      interactionId: '0123456789abcdef',
      verdict: 'not-an-anomaly' as const,
      conditionKey: 'cond-a',
      rule: 'spend-spike',
      labels: { workload: 'w' },
      userId: 'U0ALICE01',
      userName: 'alice',
      atMs: NOW,
      reason: '',
      silenceId: 's',
      channel: 'C0ALERTS1',
      messageTs: '1.2',
    };
    await feedback.put([record]);
    await feedback.put([{ ...record, reason: 'expected' }]);
    expect(await feedback.list()).toEqual([{ ...record, reason: 'expected' }]);
  });
});
