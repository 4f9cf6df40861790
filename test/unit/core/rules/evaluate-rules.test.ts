import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DailyFact } from '../../../../src/core/facts/daily-fact.js';
import { findingFingerprint } from '../../../../src/core/keys.js';
import { parseRules } from '../../../../src/core/rules/parse-rules.js';
import { dailyCosts, evaluate, fact, history, OPUS, rules, SONNET } from './fact-builder.js';

const MONDAY = '2026-06-15';
const spikeOnly = rules({ type: 'spend-spike', levels: ['workload'] });
const spiking = (workload: string, to: number): DailyFact[] =>
  dailyCosts(MONDAY, [40, 40, 40, 40, 40, 40, 40, to], { workload });

describe('evaluateRules', () => {
  describe('watermark', () => {
    const cases = [
      {
        name: 'a final day pages',
        newest: '2026-06-18T00:00:00Z',
        want: { severity: 'page', provisional: false },
      },
      {
        name: 'a day short of final is provisional and does not page',
        newest: '2026-06-17T23:00:00Z',
        want: { severity: 'warning', provisional: true },
      },
      {
        name: 'no watermark at all does not page',
        newest: null,
        want: { severity: 'warning', provisional: true },
      },
    ];

    it.each(cases)('$name', ({ newest, want }) => {
      // Prepare
      const input = { facts: spiking('support-bot', 200), rules: spikeOnly, days: [MONDAY] };
      // Act
      const [finding] = evaluate({
        ...input,
        newestUsageHour: newest === null ? null : new Date(newest),
      }).findings;
      // Assess
      expect(finding).toMatchObject(want);
    });

    it('says why a would-be page is held', () => {
      // Act
      const [finding] = evaluate({
        facts: spiking('support-bot', 200),
        rules: spikeOnly,
        days: [MONDAY],
        newestUsageHour: new Date('2026-06-16T10:00:00Z'),
      }).findings;
      // Assess
      expect(finding!.why.at(-1)).toBe(
        'Provisional: CUR data for 2026-06-15 is not final until 2026-06-18 00:00 UTC (48 h after the day ends), so this would-be page is a warning until then',
      );
    });

    it('does not trust usage hours later than the clock', () => {
      // Act
      const [finding] = evaluate({
        facts: spiking('support-bot', 200),
        rules: spikeOnly,
        days: [MONDAY],
        newestUsageHour: new Date('2026-06-20T00:00:00Z'),
        now: new Date('2026-06-16T06:00:00Z'),
      }).findings;
      // Assess
      expect(finding!.provisional).toBe(true);
    });
  });

  describe('fingerprint', () => {
    it('is the same when restated cents change the figures', () => {
      // Prepare
      const first = evaluate({ facts: spiking('support-bot', 200), rules: spikeOnly, days: [MONDAY] })
        .findings[0]!;
      // Act
      const restated = evaluate({ facts: spiking('support-bot', 200.37), rules: spikeOnly, days: [MONDAY] })
        .findings[0]!;
      // Assess
      expect(restated.figures.today).not.toBe(first.figures.today);
      expect(restated.fingerprint).toBe(first.fingerprint);
    });

    it('does not depend on label order', () => {
      // Prepare
      const labels = {
        workload: 'a',
        model: '*',
        team: 't',
        cost_center: 'c',
        account: '1',
        environment: 'prod',
      };
      const reversed = Object.fromEntries(Object.entries(labels).reverse()) as typeof labels;
      // Act
      const a = findingFingerprint({ rule: 'spend-spike', day: MONDAY, labels });
      const b = findingFingerprint({ rule: 'spend-spike', day: MONDAY, labels: reversed });
      // Assess
      expect(a).toBe(b);
    });

    it('is findingFingerprint of rule, day and labels', () => {
      // Act
      const [finding] = evaluate({
        facts: spiking('support-bot', 200),
        rules: spikeOnly,
        days: [MONDAY],
      }).findings;
      // Assess
      expect(finding!.fingerprint).toBe(
        findingFingerprint({ rule: 'spend-spike', day: MONDAY, labels: finding!.labels }),
      );
    });
  });

  describe('max_findings breaker', () => {
    it('keeps the highest severity and largest delta first and says it truncated', () => {
      // Prepare
      const facts = [
        ...spiking('a', 200),
        ...spiking('b', 900),
        ...spiking('c', 400),
        ...spiking('d', 150),
        fact({ usageDate: MONDAY, workload: 'e', environment: 'dev', cost: '5000' }),
      ];
      const both = rules({ type: 'spend-spike', levels: ['workload'] }, { type: 'dev-in-prod' });
      // Act
      const result = evaluate({ facts, rules: both, days: [MONDAY], maxFindings: 2 });
      // Assess
      expect(result.truncated).toBe(true);
      expect(result.total).toBe(6);
      expect(result.findings.map((f) => [f.labels.workload, f.severity])).toEqual([
        ['e', 'page'],
        ['b', 'page'],
      ]);
    });

    it('does not truncate at the limit', () => {
      // Act
      const result = evaluate({ facts: spiking('a', 200), rules: spikeOnly, days: [MONDAY], maxFindings: 1 });
      // Assess
      expect(result.truncated).toBe(false);
      expect(result.findings).toHaveLength(1);
    });
  });

  it('merges two instances of one rule type that find the same thing', () => {
    // Prepare
    const two = rules(
      { type: 'spend-spike', name: 'loose', severity: 'warning', ratio: 2, levels: ['workload'] },
      { type: 'spend-spike', name: 'strict', levels: ['workload'] },
    );
    // Act
    const { findings } = evaluate({ facts: spiking('a', 200), rules: two, days: [MONDAY] });
    // Assess
    expect(findings.map((f) => [f.name, f.severity])).toEqual([['strict', 'page']]);
  });

  it('runs every default rule on a new workload: new spend fires, baseline rules are learning', () => {
    // Prepare
    const defaults = parseRules(undefined);
    if (!defaults.ok) throw new Error('defaults must parse');
    const facts = [
      ...history(MONDAY, 14, (usageDate) => [
        fact({ usageDate, workload: 'search', tokens: 1e6, cost: '50' }),
      ]),
      fact({ usageDate: MONDAY, workload: 'new-agent', usageKind: 'input', tokens: 2e6, cost: '10' }),
      fact({ usageDate: MONDAY, workload: 'new-agent', usageKind: 'output', tokens: 1e6, cost: '20' }),
      fact({
        usageDate: MONDAY,
        workload: 'new-agent',
        model: OPUS,
        usageKind: 'output',
        tokens: 2e5,
        cost: '15',
      }),
    ];
    // Act
    const result = evaluate({ facts, rules: defaults.rules, days: [MONDAY] });
    // Assess
    expect(result.findings.map((f) => [f.rule, f.labels.model, f.severity, f.figures.kind])).toEqual([
      ['spend-spike', '*', 'page', 'new-spend'],
      ['spend-spike', SONNET, 'warning', 'new-spend'],
    ]);
    expect([
      ...new Set(result.learning.filter((l) => l.labels?.workload === 'new-agent').map((l) => l.rule)),
    ]).toEqual(['cache-regression', 'model-mix-shift', 'verbose-output']);
  });

  it('gives the same findings in the same order whatever the fact order', () => {
    // Prepare
    const facts = [
      ...spiking('a', 200),
      ...spiking('b', 900),
      ...dailyCosts(MONDAY, [10, 10, 10, 10, 10, 10, 10, 100], { workload: 'a', model: OPUS }),
      fact({ usageDate: MONDAY, workload: 'e', environment: 'dev', cost: '50' }),
    ];
    const all = parseRules(undefined);
    if (!all.ok) throw new Error('defaults must parse');
    const expected = evaluate({ facts, rules: all.rules, days: [MONDAY] });
    // Act + Assess
    fc.assert(
      fc.property(
        fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }),
        (shuffled) => {
          expect(evaluate({ facts: shuffled, rules: all.rules, days: [MONDAY] })).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rejects a day that is not a day key', () => {
    expect(() => evaluate({ facts: [], rules: spikeOnly, days: ['15/06/2026'] })).toThrow(RangeError);
  });
});
