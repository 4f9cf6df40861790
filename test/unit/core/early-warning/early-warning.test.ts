import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../src/config/schema.js';
import { renderDigestHtml } from '../../../../src/core/digest/render-html.js';
import { renderDigestText } from '../../../../src/core/digest/render-text.js';
import { buildWeeklyDigest } from '../../../../src/core/digest/weekly-digest.js';
import { createModelIdAttributor, routingOfModelId } from '../../../../src/core/early-warning/attribution.js';
import { hourlyUsage, type MetricDatapoint } from '../../../../src/core/early-warning/metrics.js';
import { effectiveRates, findRate, priceTokens } from '../../../../src/core/early-warning/rates.js';
import {
  EMPTY_EARLY_WARNING_STATE,
  linkCurFindings,
  recordEarlyWarning,
} from '../../../../src/core/early-warning/reconcile.js';
import {
  DEFAULT_EARLY_WARNING_OPTIONS,
  type EarlyWarningOptions,
  evaluateEarlyWarning,
} from '../../../../src/core/early-warning/rules.js';
import { earlyWarningDigest } from '../../../../src/core/early-warning/unit-economics.js';
import { UNALLOCATED } from '../../../../src/core/facts/daily-fact.js';
import { findingFingerprint } from '../../../../src/core/keys.js';
import { type Money, parseMoney } from '../../../../src/core/money.js';
import type { Finding } from '../../../../src/core/rules/finding.js';
import { ACCOUNT, DIGEST_OPTIONS, dfact } from '../../../helpers/digest-facts.js';

const PROFILE = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/abc`;
const OTHER = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/new`;
const SONNET = 'anthropic.claude-sonnet-4-6';

/** CUR facts of the profile: $3 per 1M input tokens, $15 per 1M output tokens, on 2026-06-09 (newest) and an older day at another price. */
const FACTS = [
  dfact({ usageDate: '2026-06-08', resourceId: PROFILE, usageKind: 'input', tokens: 1_000_000, cost: '5' }),
  dfact({ usageDate: '2026-06-09', resourceId: PROFILE, usageKind: 'input', tokens: 24_000_000, cost: '72' }),
  dfact({ usageDate: '2026-06-09', resourceId: PROFILE, usageKind: 'output', tokens: 2_400_000, cost: '36' }),
];

const point = (timestamp: string, modelId: string, metric: string, value: number): MetricDatapoint => ({
  timestamp,
  accountId: ACCOUNT,
  region: 'us-east-1',
  modelId,
  metric,
  value,
});

/** One hour of the profile: `input`/`output` tokens over `invocations` calls. */
function hour(
  at: string,
  input: number,
  output: number,
  invocations = 100,
  modelId = PROFILE,
): MetricDatapoint[] {
  return [
    point(at, modelId, 'Invocations', invocations),
    point(at, modelId, 'InputTokenCount', input),
    point(at, modelId, 'OutputTokenCount', output),
  ];
}

function run(points: MetricDatapoint[], hours: string[], options: Partial<EarlyWarningOptions> = {}) {
  return evaluateEarlyWarning({
    usage: hourlyUsage(points),
    hours,
    attribute: createModelIdAttributor({ facts: FACTS, config: DEFAULT_CONFIG }),
    rates: effectiveRates(FACTS),
    facts: FACTS,
    options: { ...DEFAULT_EARLY_WARNING_OPTIONS, ...options },
  });
}

describe('hourly usage', () => {
  it('sums 5-minute datapoints into their UTC hour per account, region and model id', () => {
    const usage = hourlyUsage([
      point('2026-06-10T14:00:00Z', PROFILE, 'InputTokenCount', 10),
      point('2026-06-10T14:55:00Z', PROFILE, 'InputTokenCount', 5),
      point('2026-06-10T15:00:00Z', PROFILE, 'InputTokenCount', 7),
      point('2026-06-10T14:05:00Z', PROFILE, 'CacheWriteInputTokenCount', 3),
      point('2026-06-10T14:05:00Z', 'openai.gpt-oss-120b', 'TotalOutputTokens', 9),
      point('2026-06-10T14:05:00Z', PROFILE, 'InvocationLatency', 999),
    ]);
    expect(usage.map((u) => [u.hour.slice(11, 16), u.modelId, u.input, u.output, u.cacheWrite])).toEqual([
      ['14:00', PROFILE, 15, 0, 3],
      ['14:00', 'openai.gpt-oss-120b', 0, 9, 0],
      ['15:00', PROFILE, 7, 0, 0],
    ]);
  });
});

describe('attribution and prices', () => {
  it('maps a profile ARN to the workload its CUR facts carry; a base model id to the account defaults', () => {
    const attribute = createModelIdAttributor({
      facts: FACTS,
      config: {
        ...DEFAULT_CONFIG,
        accounts: { [ACCOUNT]: { workload: 'shared-genai', team: 'platform' } } as never,
      },
    });
    expect(attribute(ACCOUNT, PROFILE)).toMatchObject({
      workload: 'support-bot',
      team: 'support',
      model: SONNET,
      source: 'facts',
      known: true,
    });
    expect(attribute(ACCOUNT, 'us.anthropic.claude-sonnet-4-6-v1:0')).toMatchObject({
      workload: 'shared-genai',
      team: 'platform',
      model: SONNET,
      routing: 'geo',
      source: 'account',
      known: true,
    });
    expect(attribute('999999999999', OTHER)).toMatchObject({
      workload: UNALLOCATED,
      model: `unknown:${OTHER}`,
      known: false,
    });
    const tagged = createModelIdAttributor({
      facts: [],
      config: DEFAULT_CONFIG,
      tagsByArn: new Map([[OTHER, [['workload', 'new-agent'] as const]]]),
    });
    expect(tagged(ACCOUNT, OTHER)).toMatchObject({ workload: 'new-agent', source: 'tags' });
    expect(routingOfModelId('global.anthropic.claude-sonnet-4-6')).toBe('global');
  });

  it('prices at the newest day’s effective rate, exactly', () => {
    const rates = effectiveRates(FACTS);
    const input = findRate(rates, SONNET, 'input', 'in_region')!;
    expect(input).toMatchObject({ day: '2026-06-09', tokens: 24_000_000 });
    expect(priceTokens(input, 1_000_000)).toBe(parseMoney('3'));
    expect(priceTokens(input, 1)).toBe(parseMoney('0.000003'));
    // Another routing of the same model and kind is used when the exact one was never billed.
    expect(findRate(rates, SONNET, 'input', 'global')).toBe(input);
    expect(findRate(rates, SONNET, 'cache_read', 'in_region')).toBeNull();
  });
});

describe('hourly rules', () => {
  // The same hour a week earlier, and today's hours before 14:00: $4.50 an hour, 11,000 tokens per call.
  const history = [
    ...hour('2026-06-03T14:00:00Z', 1_000_000, 100_000),
    ...Array.from({ length: 14 }, (_, h) =>
      hour(`2026-06-10T${String(h).padStart(2, '0')}:00:00Z`, 1_000_000, 100_000),
    ).flat(),
  ];

  it('pages when the hour is ≥ 3× the same hour last week and ≥ the floor; quiet below either', () => {
    const spike = run(
      [...history, ...hour('2026-06-10T14:00:00Z', 20_000_000, 2_000_000)],
      ['2026-06-10T14:00:00.000Z'],
    );
    const page = spike.findings.find((f) => f.rule === 'early-spend-rate')!;
    expect(page).toMatchObject({
      severity: 'page',
      estimated: true,
      day: '2026-06-10',
      labels: { workload: 'support-bot', model: '*' },
    });
    expect(page.figures.today).toBe(parseMoney('90'));
    expect(page.figures.baseline).toBe(parseMoney('4.5'));
    expect(page.fingerprint).toBe(findingFingerprint(page));
    expect(spike.estimates.map((e) => e.estimate)).toEqual([parseMoney('90')]);

    const below = run(
      [...history, ...hour('2026-06-10T14:00:00Z', 2_000_000, 200_000)],
      ['2026-06-10T14:00:00.000Z'],
    );
    expect(below.findings.filter((f) => f.rule === 'early-spend-rate')).toEqual([]);
    const floor = run(
      [...history, ...hour('2026-06-10T14:00:00Z', 20_000_000, 2_000_000)],
      ['2026-06-10T14:00:00.000Z'],
      {
        minHourlySpend: parseMoney('100'),
      },
    );
    expect(floor.findings.filter((f) => f.rule === 'early-spend-rate')).toEqual([]);
  });

  it('uses the CUR mean hour as the baseline while metrics have no week of history', () => {
    const fresh = run(hour('2026-06-10T14:00:00Z', 20_000_000, 2_000_000), ['2026-06-10T14:00:00.000Z']);
    const page = fresh.findings.find((f) => f.rule === 'early-spend-rate')!;
    // CUR: $5 on 06-08 and $108 on 06-09 → $113 over 2 days × 24 h.
    expect(page.figures.baseline).toBe((parseMoney('113') / 48n) as Money);
    expect(page.figures.baseline_source).toBe('mean hour of 2 CUR day(s) before 2026-06-10');
  });

  it('warns when tokens per invocation jump ≥ k× the 7-day median (a runaway loop), not when calls grow', () => {
    const quietSpend = { minHourlySpend: parseMoney('100') };
    const loop = run(
      [...history, ...hour('2026-06-10T14:00:00Z', 4_000_000, 400_000)],
      ['2026-06-10T14:00:00.000Z'],
      quietSpend,
    );
    expect(loop.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['early-tokens-per-invocation', 'warning'],
    ]);
    const busier = run(
      [...history, ...hour('2026-06-10T14:00:00Z', 4_000_000, 400_000, 400)],
      ['2026-06-10T14:00:00.000Z'],
      quietSpend,
    );
    expect(busier.findings).toEqual([]);
  });

  it('reports a profile with no history: info without a rate, attributed as unallocated', () => {
    const result = run(
      [...history, ...hour('2026-06-10T14:00:00Z', 1000, 10, 1, OTHER)],
      ['2026-06-10T14:00:00.000Z'],
    );
    expect(result.findings.map((f) => [f.rule, f.severity, f.labels.workload, f.labels.model_id])).toEqual([
      ['early-new-model', 'info', UNALLOCATED, OTHER],
    ]);
    expect(result.findings[0]!.why[1]).toContain('no CUR rate');
  });
});

describe('linking CUR findings to early pages', () => {
  const curFinding = (workload: string, day: string): Finding => {
    const base = {
      rule: 'spend-spike',
      day,
      labels: { workload, model: '*', team: 't', cost_center: 'c', account: ACCOUNT, environment: 'prod' },
    };
    return {
      ...base,
      name: 'spend-spike',
      severity: 'page',
      provisional: false,
      figures: { today: parseMoney('108'), baseline: parseMoney('36'), ratio: 3, delta: parseMoney('72') },
      why: ['spike'],
      contributors: [],
      fingerprint: findingFingerprint(base),
    };
  };

  it('links the same workload and day, records estimate ÷ CUR, and routes everything else', () => {
    const spike = run(
      [...history(), ...hour('2026-06-10T14:00:00Z', 20_000_000, 2_000_000)],
      ['2026-06-10T14:00:00.000Z'],
    );
    const state = recordEarlyWarning(EMPTY_EARLY_WARNING_STATE, {
      estimates: spike.estimates,
      findings: spike.findings,
      today: '2026-06-10',
    });
    const cur = [
      dfact({ usageDate: '2026-06-10', resourceId: PROFILE, usageKind: 'input', tokens: 1, cost: '100' }),
    ];
    const other = curFinding('other', '2026-06-10');
    const result = linkCurFindings(
      [curFinding('support-bot', '2026-06-10'), other, curFinding('support-bot', '2026-06-11')],
      state,
      cur,
    );
    expect(result.route.map((f) => [f.labels.workload, f.day])).toEqual([
      ['other', '2026-06-10'],
      ['support-bot', '2026-06-11'],
    ]);
    expect(result.confirmations).toEqual([
      expect.objectContaining({
        workload: 'support-bot',
        day: '2026-06-10',
        estimate: '90',
        cur: '100',
        ratio: 0.9,
        hoursEstimated: 1,
      }),
    ]);
    expect(result.linked[0]!.finding.why.at(-1)).toContain('not paged again');
    // Without early pages nothing is linked.
    expect(linkCurFindings([other], EMPTY_EARLY_WARNING_STATE, cur).route).toEqual([other]);
  });

  function history() {
    return hour('2026-06-03T14:00:00Z', 1_000_000, 100_000);
  }
});

describe('digest: unit economics and estimate accuracy', () => {
  it('divides CUR cost by recorded invocations on whole recorded days only, and renders both sections', () => {
    const state = recordEarlyWarning(EMPTY_EARLY_WARNING_STATE, {
      estimates: Array.from({ length: 24 }, (_, h) => ({
        hour: new Date(Date.UTC(2026, 5, 3, h)).toISOString(),
        day: '2026-06-03',
        workload: 'support-bot',
        estimate: parseMoney('1'),
        tokens: 1000,
        invocations: 10,
        unpricedTokens: 0,
        modelIds: [],
      })),
      findings: [],
      today: '2026-06-04',
    });
    const facts = [
      dfact({ usageDate: '2026-06-03', usageKind: 'input', tokens: 24_000, cost: '24' }),
      dfact({ usageDate: '2026-06-02', usageKind: 'input', tokens: 24_000, cost: '50' }),
    ];
    const section = earlyWarningDigest({ state, facts, days: ['2026-06-01', '2026-06-02', '2026-06-03'] });
    expect(section.unitEconomics).toEqual([
      {
        workload: 'support-bot',
        cost: parseMoney('24'),
        invocations: 240,
        tokens: 24_000,
        costPerInvocation: parseMoney('0.1'),
        tokensPerInvocation: 100,
        hours: 24,
      },
    ]);
    const digest = buildWeeklyDigest({
      week: '2026-W23',
      facts,
      newestUsageHour: new Date('2026-06-30T00:00:00Z'),
      now: new Date('2026-06-30T00:00:00Z'),
      options: DIGEST_OPTIONS,
      earlyWarning: {
        ...state,
        confirmations: [
          {
            workload: 'support-bot',
            day: '2026-06-03',
            earlyFingerprint: 'f',
            earlyConditionKey: 'c',
            earlyHour: '2026-06-03T14:00:00.000Z',
            curFingerprints: [],
            curConditionKeys: [],
            estimate: '22',
            cur: '24',
            ratio: 22 / 24,
            hoursEstimated: 24,
          },
        ],
      },
    });
    const text = renderDigestText(digest);
    expect(text).toContain('UNIT ECONOMICS');
    expect(text).toMatch(/support-bot\s+\$24\.00\s+240\s+\$0\.100000\s+100/);
    expect(text).toContain(
      '2026-06-03 support-bot: paged from 14:00 UTC; estimate $22.00 over 24 h ÷ CUR $24.00 = 0.917',
    );
    const html = renderDigestHtml(digest);
    expect(html).toContain('Unit economics');
    expect(html).toContain('Early warnings confirmed by CUR');
    expect(html).toContain('0.917');
    expect(html).toContain('$0.100000');
  });
});
