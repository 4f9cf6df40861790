import { describe, expect, it } from 'vitest';
import {
  compileSilence,
  silencedBy,
  silenceState,
  validateSilences,
} from '../../../../src/core/alerting/silences.js';
import { NOW } from './fixtures.js';

const spec = {
  matchers: ['workload="load-test"', 'severity=~"page|warning"'],
  starts_at: '2026-06-15T00:00:00Z',
  ends_at: '2026-06-17T00:00:00Z',
  created_by: 'alice',
  comment: 'planned load test, INC-1234',
};

describe('silences', () => {
  const silence = compileSilence(spec);

  it.each([
    { name: 'before start: pending', at: '2026-06-14T23:59:59Z', want: 'pending' },
    { name: 'at start: active', at: '2026-06-15T00:00:00Z', want: 'active' },
    { name: 'inside: active', at: '2026-06-16T06:00:00Z', want: 'active' },
    { name: 'at end: expired (end is exclusive)', at: '2026-06-17T00:00:00Z', want: 'expired' },
  ])('$name', ({ at, want }) => {
    expect(silenceState(silence, Date.parse(at))).toBe(want);
  });

  it.each([
    {
      name: 'all matchers match while active',
      labels: { workload: 'load-test', severity: 'page' },
      at: NOW,
      want: true,
    },
    { name: 'one matcher fails', labels: { workload: 'load-test', severity: 'info' }, at: NOW, want: false },
    { name: 'other workload', labels: { workload: 'support-bot', severity: 'page' }, at: NOW, want: false },
    {
      name: 'expired silence mutes nothing',
      labels: { workload: 'load-test', severity: 'page' },
      at: Date.parse('2026-06-18T00:00:00Z'),
      want: false,
    },
  ])('$name', ({ labels, at, want }) => {
    expect(silencedBy(labels, [silence], at) !== undefined).toBe(want);
  });

  it('ids are stable hashes of the content unless given', () => {
    expect(compileSilence(spec).id).toBe(silence.id);
    expect(silence.id).toMatch(/^cfg-[0-9a-f]{12}$/);
    expect(compileSilence({ ...spec, id: 'inc-1234' }).id).toBe('inc-1234');
  });

  it('validateSilences reports expired silences', () => {
    // Prepare
    const expired = compileSilence({
      ...spec,
      starts_at: '2026-05-01T00:00:00Z',
      ends_at: '2026-05-02T00:00:00Z',
    });
    const pending = compileSilence({
      ...spec,
      starts_at: '2026-07-01T00:00:00Z',
      ends_at: '2026-07-02T00:00:00Z',
    });
    // Act
    const report = validateSilences([silence, expired, pending], NOW);
    // Assess
    expect(report.active).toEqual([silence]);
    expect(report.expired).toEqual([expired]);
    expect(report.pending).toEqual([pending]);
  });
});
