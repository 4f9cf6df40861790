import { describe, expect, it } from 'vitest';
import type { GroupSnapshot } from '../../../../src/core/alerting/alert.js';
import {
  type DecideContext,
  decide,
  type NotifyReason,
  shouldSend,
} from '../../../../src/core/alerting/decide.js';
import type { LogEntry } from '../../../../src/core/alerting/notification-log-entry.js';
import { parseMoney } from '../../../../src/core/money.js';
import { DAY_MS, HOUR_MS, NOW } from './fixtures.js';

const REPEAT_MS = 4 * HOUR_MS;

const sent = (over: Partial<LogEntry> = {}): LogEntry => ({
  receiver: 'oncall/slack',
  groupKey: 'g',
  version: 2,
  state: 'SENT',
  firingFingerprints: ['a', 'b'],
  maxSeverity: 'warning',
  amount: '100',
  lastSentAtMs: NOW - HOUR_MS,
  leaseUntilMs: NOW - HOUR_MS + 60_000,
  expiresAtEpochSec: (NOW - HOUR_MS + 2 * REPEAT_MS) / 1000,
  ...over,
});

const group = (
  firing: string[],
  maxSeverity: GroupSnapshot['maxSeverity'] = 'warning',
  amount = '100',
): GroupSnapshot => ({
  firingFingerprints: firing,
  maxSeverity,
  totalAmount: parseMoney(amount),
});

// Alertmanager's TestDedupStageNeedsUpdate cases (first, new in group, repeat, nothing changed) plus
// escalation and claim leases.
const cases: { name: string; entry: LogEntry | null; group: GroupSnapshot; want: NotifyReason }[] = [
  { name: 'no entry: first notification', entry: null, group: group(['a']), want: 'first' },
  {
    name: 'same firing set, inside repeat interval: nothing',
    entry: sent(),
    group: group(['a', 'b']),
    want: 'none',
  },
  {
    name: 'subset of what was sent: nothing (fewer firing is no news)',
    entry: sent(),
    group: group(['a']),
    want: 'none',
  },
  {
    name: 'a fingerprint not sent before: new in group',
    entry: sent(),
    group: group(['a', 'c']),
    want: 'new-in-group',
  },
  {
    name: 'repeat interval elapsed exactly: repeat',
    entry: sent({ lastSentAtMs: NOW - REPEAT_MS }),
    group: group(['a', 'b']),
    want: 'repeat-elapsed',
  },
  {
    name: 'repeat interval not yet elapsed by 1 ms: nothing',
    entry: sent({ lastSentAtMs: NOW - REPEAT_MS + 1 }),
    group: group(['a', 'b']),
    want: 'none',
  },
  {
    name: 'severity rose warning → page: escalated',
    entry: sent(),
    group: group(['a', 'b'], 'page'),
    want: 'escalated',
  },
  {
    name: 'severity fell: not an escalation',
    entry: sent({ maxSeverity: 'page' }),
    group: group(['a', 'b'], 'warning'),
    want: 'none',
  },
  {
    name: 'amount exactly 2× last sent: escalated',
    entry: sent(),
    group: group(['a', 'b'], 'warning', '200'),
    want: 'escalated',
  },
  {
    name: 'amount 1.99× last sent: nothing',
    entry: sent(),
    group: group(['a', 'b'], 'warning', '199.99'),
    want: 'none',
  },
  {
    name: 'amount from zero to positive: escalated',
    entry: sent({ amount: '0' }),
    group: group(['a'], 'warning', '0.01'),
    want: 'escalated',
  },
  {
    name: 'escalation wins over new-in-group',
    entry: sent(),
    group: group(['a', 'c'], 'page'),
    want: 'escalated',
  },
  {
    name: 'CLAIMED with a live lease: in flight, even if escalated',
    entry: sent({ state: 'CLAIMED', lastSentAtMs: NOW - 1000, leaseUntilMs: NOW + 1 }),
    group: group(['a', 'b', 'c'], 'page', '1000'),
    want: 'in-flight',
  },
  {
    name: 'CLAIMED with an expired lease counts as sent at claim time: nothing new',
    entry: sent({ state: 'CLAIMED', lastSentAtMs: NOW - 10 * 60_000, leaseUntilMs: NOW }),
    group: group(['a', 'b']),
    want: 'none',
  },
  {
    name: 'CLAIMED with an expired lease, then escalation: may send again',
    entry: sent({ state: 'CLAIMED', lastSentAtMs: NOW - 10 * 60_000, leaseUntilMs: NOW - 1 }),
    group: group(['a', 'b'], 'page'),
    want: 'escalated',
  },
  {
    name: 'CLAIMED with an expired lease long ago: repeat interval counts from the claim',
    entry: sent({ state: 'CLAIMED', lastSentAtMs: NOW - REPEAT_MS, leaseUntilMs: NOW - REPEAT_MS + 60_000 }),
    group: group(['a', 'b']),
    want: 'repeat-elapsed',
  },
  {
    name: 'entry past its expiry (2 × repeat): treated as absent',
    entry: sent({ lastSentAtMs: NOW - 3 * DAY_MS, expiresAtEpochSec: NOW / 1000 }),
    group: group(['a', 'b']),
    want: 'first',
  },
];

describe('decide', () => {
  it.each(cases)('$name', ({ entry, group, want }) => {
    expect(decide(entry, group, REPEAT_MS, NOW)).toBe(want);
  });
});

// Conditions (issue 12): resolved sets, send_resolved and acknowledgements, as Alertmanager's needsUpdate.
const ctx = (over: Partial<DecideContext> = {}): DecideContext => ({
  resolvedFingerprints: [],
  acknowledged: new Set(),
  sendResolved: true,
  ...over,
});
const conditionCases: {
  name: string;
  entry: LogEntry | null;
  group: GroupSnapshot;
  context: DecideContext;
  want: NotifyReason;
}[] = [
  {
    name: 'nothing firing and nothing sent before: nothing (a condition that started and ended unseen)',
    entry: null,
    group: group([]),
    context: ctx({ resolvedFingerprints: ['a'] }),
    want: 'none',
  },
  {
    name: 'everything the last message listed has ended: resolved (also without send_resolved: to clear the log)',
    entry: sent(),
    group: group([]),
    context: ctx({ resolvedFingerprints: ['a', 'b'], sendResolved: false }),
    want: 'resolved',
  },
  {
    name: 'nothing firing, and the last message was the resolve: nothing',
    entry: sent({ firingFingerprints: [] }),
    group: group([]),
    context: ctx({ resolvedFingerprints: ['a', 'b'] }),
    want: 'none',
  },
  {
    name: 'firing again after the resolve message: first',
    entry: sent({ firingFingerprints: [], amount: '0', maxSeverity: 'info' }),
    group: group(['a']),
    context: ctx(),
    want: 'first',
  },
  {
    name: 'one of two ended, receiver sends resolved: resolved',
    entry: sent(),
    group: group(['a']),
    context: ctx({ resolvedFingerprints: ['b'] }),
    want: 'resolved',
  },
  {
    name: 'one of two ended, receiver does not send resolved: nothing',
    entry: sent(),
    group: group(['a']),
    context: ctx({ resolvedFingerprints: ['b'], sendResolved: false }),
    want: 'none',
  },
  {
    name: 'ended but never announced to this receiver: nothing',
    entry: sent(),
    group: group(['a', 'b']),
    context: ctx({ resolvedFingerprints: ['z'] }),
    want: 'none',
  },
  {
    name: 'repeat due, every firing condition acknowledged: acknowledged (no send)',
    entry: sent({ lastSentAtMs: NOW - REPEAT_MS }),
    group: group(['a', 'b']),
    context: ctx({ acknowledged: new Set(['a', 'b']) }),
    want: 'acknowledged',
  },
  {
    name: 'repeat due, one firing condition not acknowledged: repeat',
    entry: sent({ lastSentAtMs: NOW - REPEAT_MS }),
    group: group(['a', 'b']),
    context: ctx({ acknowledged: new Set(['a']) }),
    want: 'repeat-elapsed',
  },
  {
    name: 'acknowledged, but escalated: sent',
    entry: sent({ lastSentAtMs: NOW - REPEAT_MS }),
    group: group(['a', 'b'], 'page'),
    context: ctx({ acknowledged: new Set(['a', 'b']) }),
    want: 'escalated',
  },
];

describe('decide with conditions', () => {
  it.each(conditionCases)('$name', ({ entry, group, context, want }) => {
    expect(decide(entry, group, REPEAT_MS, NOW, context)).toBe(want);
    expect(shouldSend(want)).toBe(want !== 'none' && want !== 'acknowledged');
  });
});
