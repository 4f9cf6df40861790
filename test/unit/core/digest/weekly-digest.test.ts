import { describe, expect, it } from 'vitest';
import { digestArtifacts } from '../../../../src/core/digest/digest-artifacts.js';
import { renderDigestCsv } from '../../../../src/core/digest/render-csv.js';
import { buildWeeklyDigest, type DigestOptions } from '../../../../src/core/digest/weekly-digest.js';
import { type DailyFact, UNALLOCATED } from '../../../../src/core/facts/daily-fact.js';
import { formatMoney, type Money, parseMoney } from '../../../../src/core/money.js';
import { parseCsv } from '../../../../src/core/report/csv.js';
import { isoWeekDays } from '../../../../src/core/time/iso-week.js';
import { ALL_FINAL, dfact, generateFacts } from '../../../helpers/digest-facts.js';

const OPTIONS: DigestOptions = {
  unallocated: 'leave',
  topWorkloads: 5,
  topMovers: 5,
  costMetric: 'unblended',
  finalAfterHours: 48,
};

function sumOn(facts: readonly DailyFact[], days: readonly string[], pick = (_f: DailyFact) => true): Money {
  const set = new Set(days);
  return facts
    .filter((f) => set.has(f.usageDate) && pick(f))
    .reduce((n, f) => n + f.costUnblended, 0n) as Money;
}

function csvColumn(csv: string, column: string): string[] {
  const [header, ...rows] = parseCsv(csv);
  const index = header!.indexOf(column);
  return rows.map((r) => r[index]!);
}

const build = (
  facts: readonly DailyFact[],
  week: string,
  options: Partial<DigestOptions> = {},
  newest = ALL_FINAL,
) =>
  buildWeeklyDigest({
    week,
    facts,
    newestUsageHour: newest,
    now: ALL_FINAL,
    options: { ...OPTIONS, ...options },
  });

describe('weekly digest on generated data', () => {
  const facts = generateFacts('2026-05-01', '2026-06-14');
  const week = '2026-W23';
  const days = isoWeekDays(week);
  const bill = sumOn(facts, days);

  it.each(['leave', 'split'] as const)('reconciles to Σ Bedrock cost exactly (%s)', (mode) => {
    const d = build(facts, week, { unallocated: mode });
    expect(d.reconciliation.ok).toBe(true);
    expect(d.reconciliation.billTotal).toBe(bill);
    expect(d.reconciliation.tableTotal).toBe(bill);
    expect(d.reconciliation.difference).toBe(0n);
    expect(d.reconciliation.line).toMatch(
      /^Total \$[\d,]+\.\d\d = Σ Bedrock cost for 2026-W23 \$[\d,]+\.\d\d — difference \$0\.000000$/,
    );
    // The CSV lines sum to the same total, exactly.
    const csv = renderDigestCsv(d);
    const csvTotal = csvColumn(csv, 'this_week_usd').reduce((n, v) => n + parseMoney(v), 0n);
    expect(csvTotal).toBe(bill);
    // One line per cost center / team / workload.
    const [, ...rows] = parseCsv(csv);
    const keys = rows.map((r) => r.slice(3, 6).join('/'));
    expect(new Set(keys).size).toBe(keys.length);
    // Other breakdowns sum to the same bill.
    expect(d.byModel.reduce((n, r) => n + r.thisWeek, 0n)).toBe(bill);
    expect(d.byUsageKind.reduce((n, r) => n + r.thisWeek, 0n)).toBe(bill);
    expect(d.totals.lastWeek).toBe(sumOn(facts, isoWeekDays('2026-W22')));
  });

  it('leave: untagged usage is its own Unallocated line', () => {
    const d = build(facts, week, { unallocated: 'leave' });
    const unallocated = d.chargeback.find((r) => r.key.kind === 'unallocated')!;
    const expected = sumOn(
      facts,
      days,
      (f) =>
        f.workload === UNALLOCATED && f.usageKind !== 'reserved_hours' && f.usageKind !== 'provisioned_hours',
    );
    expect(unallocated.thisWeek).toBe(expected);
    expect(d.totals.unallocated).toBe(expected);
    expect(d.chargeback.every((r) => r.unallocatedShare === 0n)).toBe(true);
    expect(d.split.applied).toBe(false);
  });

  it('split: unallocated spend is spread by allocated spend, shown per line, and sums exactly', () => {
    const d = build(facts, week, { unallocated: 'split' });
    const unallocated = d.chargeback.find((r) => r.key.kind === 'unallocated')!;
    expect(unallocated.thisWeek).toBe(0n);
    expect(unallocated.unallocatedShare).toBe(-unallocated.direct);
    const workloads = d.chargeback.filter((r) => r.key.kind === 'workload');
    const shares = workloads.reduce((n, r) => n + r.unallocatedShare, 0n);
    expect(shares).toBe(unallocated.direct);
    expect(d.split.applied).toBe(true);
    expect(d.split.note).toMatch(/split across \d+ workload line/);
    const weight = workloads.reduce((n, r) => n + r.direct, 0n);
    for (const r of workloads) {
      expect(r.thisWeek).toBe(r.direct + r.unallocatedShare);
      // Proportional to within one 1e-15 USD unit.
      const diff = r.unallocatedShare * weight - unallocated.direct * r.direct;
      expect(diff < 0n ? -diff : diff).toBeLessThan(weight);
    }
    // The shared-commitments line is not a workload and takes no share.
    expect(d.chargeback.find((r) => r.key.kind === 'shared-commitments')!.unallocatedShare).toBe(0n);
  });

  it('charges commitment fees to the tagged workload, else to shared-commitments', () => {
    const d = build(facts, week);
    const shared = d.chargeback.find((r) => r.key.kind === 'shared-commitments')!;
    expect(formatMoney(shared.thisWeek)).toBe('66.528'); // 7 × 9.504 of untagged Reserved tier hours
    const docs = d.chargeback.find((r) => r.key.workload === 'doc-summarizer')!;
    const docsUsage = sumOn(
      facts,
      days,
      (f) => f.workload === 'doc-summarizer' && f.usageKind !== 'provisioned_hours',
    );
    expect(docs.thisWeek - docsUsage).toBe(parseMoney('9240')); // 7 × 1,320 of tagged PT hours
    expect(formatMoney(d.totals.commitmentFees)).toBe('9306.528');
    expect(formatMoney(d.byUsageKind.find((k) => k.key === 'provisioned')!.thisWeek)).toBe('9306.528');
  });

  it('groups cost center → team → workload, largest first, with exact subtotals', () => {
    const d = build(facts, week);
    for (const [i, center] of d.groups.entries()) {
      if (i > 0) expect(center.thisWeek <= d.groups[i - 1]!.thisWeek).toBe(true);
      expect(center.thisWeek).toBe(center.teams.reduce((n, t) => n + t.thisWeek, 0n));
      for (const team of center.teams)
        expect(team.thisWeek).toBe(team.rows.reduce((n, r) => n + r.thisWeek, 0n));
    }
    expect(d.chargeback.at(-1)!.key.kind).toBe('shared-commitments');
    expect(d.chargeback.at(-2)!.key.kind).toBe('unallocated');
  });

  it('computes month to date and a run-rate forecast per line', () => {
    const d = build(facts, week);
    expect(d.window.month).toBe('2026-06');
    expect(d.window.monthDays).toEqual(days);
    expect(d.totals.monthToDate).toBe(bill);
    const support = d.chargeback.find((r) => r.key.workload === 'support-bot')!;
    const mtd = sumOn(facts, days, (f) => f.workload === 'support-bot');
    expect(support.monthToDate).toBe(mtd);
    // June 7 leaves 23 days; the trailing 7 days are the week itself.
    expect(support.forecastMonthEnd).toBe(mtd + (support.thisWeek * 23n) / 7n);
  });

  it('lists top movers by absolute change and the cache hit rate per workload', () => {
    const d = build(facts, week);
    const changes = d.movers.map((m) => (m.change < 0n ? -m.change : m.change));
    expect(changes).toEqual([...changes].sort((a, b) => (a === b ? 0 : a > b ? -1 : 1)));
    expect(d.movers.length).toBe(5);
    const weekFacts = facts.filter((f) => days.includes(f.usageDate) && f.workload === 'search-rerank');
    const tokens = (kind: string) =>
      weekFacts.filter((f) => f.usageKind === kind).reduce((n, f) => n + f.tokens, 0);
    const rate = tokens('cache_read') / (tokens('input') + tokens('cache_read') + tokens('cache_write'));
    expect(d.efficiency.find((e) => e.workload === 'search-rerank')!.cacheHitRate).toBeCloseTo(rate, 12);
    const opus = d.efficiency.find((e) => e.workload === 'agent-escalation')!;
    expect(opus.premiumTokenShare).toBe(1);
  });
});

describe('ISO-week edges', () => {
  it('week 53 spans two years and billing periods; month to date is January', () => {
    const facts = generateFacts('2026-12-01', '2027-01-10');
    const d = build(facts, '2026-W53');
    const days = isoWeekDays('2026-W53');
    expect(d.window.days).toEqual(days);
    expect(d.window.previousWeek).toBe('2026-W52');
    expect(d.reconciliation.ok).toBe(true);
    expect(d.totals.thisWeek).toBe(sumOn(facts, days));
    expect(d.totals.lastWeek).toBe(sumOn(facts, isoWeekDays('2026-W52')));
    expect(d.window.month).toBe('2027-01');
    expect(d.totals.monthToDate).toBe(sumOn(facts, ['2027-01-01', '2027-01-02', '2027-01-03']));
    expect(d.window.remainingDaysInMonth).toBe(28);
    expect(d.sources.map((s) => s.billingPeriod)).toEqual(['2026-12', '2027-01']);
    const csv = renderDigestCsv(d);
    expect(csvColumn(csv, 'week_start')[0]).toBe('2026-12-28');
    expect(csvColumn(csv, 'week_end')[0]).toBe('2027-01-03');
  });

  it('a partial week counts final days only, compares like for like, and says when the rest is final', () => {
    const facts = generateFacts('2026-05-01', '2026-06-09');
    const newest = new Date('2026-06-08T00:00:00Z'); // Jun 5 is final (ends Jun 6 + 48 h); Jun 6–7 are not
    const d = build(facts, '2026-W23', {}, newest);
    expect(d.window.complete).toBe(false);
    expect(d.window.finalDays).toEqual([
      '2026-06-01',
      '2026-06-02',
      '2026-06-03',
      '2026-06-04',
      '2026-06-05',
    ]);
    expect(d.window.pendingDays).toEqual(['2026-06-06', '2026-06-07']);
    expect(d.window.statuses.find((s) => s.day === '2026-06-07')!.finalAt).toBe('2026-06-10T00:00:00.000Z');
    expect(d.window.asOf).toBe('2026-06-08T00:00:00.000Z');
    expect(d.window.previousFinalDays).toEqual([
      '2026-05-25',
      '2026-05-26',
      '2026-05-27',
      '2026-05-28',
      '2026-05-29',
    ]);
    expect(d.totals.thisWeek).toBe(sumOn(facts, d.window.finalDays));
    expect(d.totals.lastWeek).toBe(sumOn(facts, d.window.previousFinalDays));
    expect(d.pendingSpend).toBe(sumOn(facts, d.window.pendingDays));
    expect(d.reconciliation.ok).toBe(true);
    const artifacts = digestArtifacts(d, { sendPartialWeeks: false });
    expect(artifacts.notReadyReason).toMatch(/not final \(5\/7 days\)/);
    expect(artifacts.text).toContain('NOT FINAL: 5 of 7 days counted');
    expect(artifacts.files.find((f) => f.name.endsWith('.html'))!.content).toContain(
      'This week is not final yet',
    );
    expect(digestArtifacts(d, { sendPartialWeeks: true }).notReadyReason).toBeNull();
  });

  it('no final day at all: totals are zero and month to date is unknown', () => {
    const facts = generateFacts('2026-06-01', '2026-06-03');
    const d = build(facts, '2026-W23', {}, new Date('2026-06-03T00:00:00Z'));
    expect(d.window.finalDays).toEqual([]);
    expect(d.totals.thisWeek).toBe(0n);
    expect(d.totals.monthToDate).toBeNull();
    expect(d.reconciliation.ok).toBe(true);
  });

  it('split with no positive workload spend leaves the unallocated line in place', () => {
    const facts = [
      dfact({ usageDate: '2026-06-02', workload: UNALLOCATED, cost: '5' }),
      dfact({
        usageDate: '2026-06-02',
        workload: 'refunded',
        lineItemType: 'Credit',
        usageKind: 'other',
        cost: '-2',
      }),
    ];
    const d = build(facts, '2026-W23', { unallocated: 'split' });
    expect(d.split.applied).toBe(false);
    expect(d.split.note).toMatch(/could not be split/);
    expect(formatMoney(d.totals.thisWeek)).toBe('3');
    expect(d.reconciliation.ok).toBe(true);
  });
});
