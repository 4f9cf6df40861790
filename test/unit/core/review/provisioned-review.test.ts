import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney, parseQuantity } from '../../../../src/core/money.js';
import { parseCsv } from '../../../../src/core/report/csv.js';
import { buildProvisionedReview } from '../../../../src/core/review/provisioned-review.js';
import { reviewArtifacts } from '../../../../src/core/review/review-artifacts.js';
import { DEFAULT_REVIEW_OPTIONS, type ReviewOptions } from '../../../../src/core/review/review-options.js';
import type { CommitmentUtilization } from '../../../../src/core/review/utilization.js';
import { ALL_FINAL, dfact } from '../../../helpers/digest-facts.js';
import {
  ACCT_A,
  ACCT_B,
  days,
  hourly,
  NOVA,
  onDemandDay,
  PT_BYPASSED,
  PT_USED,
  ptDay,
} from './review-fixtures.js';

const JUNE = days('2026-06-01', '2026-06-30');

/** A Reserved tier fee on every day of June: `units` of 1K TPM for 24 hours at `cost` a day. */
function reservedJune(usageType: string, units: number, cost: string, workload = 'other') {
  return JUNE.map((d) =>
    dfact({
      usageDate: d,
      model: 'anthropic.claude-sonnet-4-6',
      workload,
      usageKind: 'reserved_hours',
      serviceTier: 'reserved',
      usageType,
      usageAmount: parseQuantity(String(units * 24)),
      cost,
    }),
  );
}

function review(
  facts: ReturnType<typeof ptDay>[],
  utilization: CommitmentUtilization[],
  options: Partial<ReviewOptions> = {},
) {
  return buildProvisionedReview({
    quarter: '2026-Q2',
    facts,
    utilization,
    utilizationSource: 'cloudwatch',
    newestUsageHour: ALL_FINAL,
    finalAfterHours: 48,
    now: new Date('2026-07-05T00:00:00Z'),
    options: { ...DEFAULT_REVIEW_OPTIONS, ...options },
  });
}

describe('quarterly provisioned review', () => {
  // Well used: 2 MUs at $55/h = $2,640/day; serves 200M input + 20M output tokens an hour, worth $121/h on-demand.
  const used = JUNE.map((d) =>
    ptDay(d, { arn: PT_USED, account: ACCT_A, units: 2, hourly: '55', term: '1month' }),
  );
  // Bypassed: 1 MU no-commit at $60.50/h while the same account sends the model's traffic on-demand.
  const bypassed = JUNE.map((d) =>
    ptDay(d, {
      arn: PT_BYPASSED,
      account: ACCT_B,
      units: 1,
      hourly: '60.5',
      term: 'NoCommit',
      workload: 'search-rerank',
    }),
  );
  const onDemand = JUNE.flatMap((d) => onDemandDay(d, ACCT_B, 200_000_000, 20_000_000));
  const facts = [...used, ...bypassed, ...onDemand];
  const utilization = [
    hourly(PT_USED, JUNE, () => ({ invocations: 1500, inputTokens: 200_000_000, outputTokens: 20_000_000 })),
  ];

  it('keeps the well-used commitment and moves the bypassed one to on-demand, with dollar effects', () => {
    const r = review(facts, utilization);
    expect(r.commitments).toHaveLength(2);
    const keep = r.commitments.find((c) => c.commitment.id === PT_USED)!;
    expect(keep.recommendation.action).toBe('keep');
    expect(keep.commitment).toMatchObject({
      units: 2,
      hoursPaid: 720,
      term: '1-month',
      firstSeen: '2026-06-01',
      lastSeen: '2026-06-30',
    });
    // 720 h × (200M × $0.33/M + 20M × $2.75/M) = 720 × $121 = $87,120 vs 720 × $110 = $79,200.
    expect(formatMoney(keep.onDemandEquivalent!)).toBe('87120');
    expect(formatMoney(keep.commitment.cost)).toBe('79200');
    expect(keep.valueRatio).toBeCloseTo(1.1, 6);
    expect(formatMoney(keep.recommendation.effect!)).toBe('7920');
    expect(keep.utilization).toMatchObject({ activeHours: 720, idleHours: 0, unknownHours: 0 });
    // $110/h ÷ the blended $0.55/M of this mix = 200M tokens per hour to break even.
    expect(keep.breakEvenTokensPerHour! / 1e6).toBeCloseTo(200, 6);

    const move = r.commitments.find((c) => c.commitment.id === PT_BYPASSED)!;
    expect(move.utilization.unknownHours).toBe(720);
    expect(move.onDemandEquivalent).toBeNull();
    expect(move.recommendation.action).toBe('move-to-on-demand');
    expect(formatMoney(move.recommendation.effect!)).toBe('43560'); // 720 h × $60.50 saved
    expect(move.recommendation.reasons[0]).toMatch(/^Bought but bypassed: \$[\d,.]+ of on-demand traffic/);
    expect(formatMoney(move.bypass.cost)).toBe(
      formatMoney(onDemand.reduce((n, f) => n + f.costUnblended, 0n) as never),
    );

    expect(formatMoney(r.totals.commitmentCost)).toBe('122760');
    expect(formatMoney(r.totals.savingsFromChanges)).toBe('43560');
    expect(r.totals.byAction.keep.count).toBe(1);
    expect(r.totals.byAction['move-to-on-demand'].count).toBe(1);
  });

  it('uses the on-demand rate observed in the same CUR, not a rate card', () => {
    // Same tokens, but this CUR shows a 20% discount on input: the equivalent follows the bill.
    const discounted = onDemand.map((f) =>
      f.usageKind === 'input' ? { ...f, costUnblended: ((f.costUnblended * 8n) / 10n) as never } : f,
    );
    const r = review([...used, ...bypassed, ...discounted], utilization);
    const keep = r.commitments.find((c) => c.commitment.id === PT_USED)!;
    expect(formatMoney(keep.onDemandEquivalent!)).toBe('77616'); // 720 × (200 × 0.264 + 20 × 2.75)
    expect(keep.rates.input!.scope).toBe('region');
  });

  it('a 1-month term that costs more than its traffic would on-demand: let it expire', () => {
    const light = [
      hourly(PT_USED, JUNE, () => ({ invocations: 40, inputTokens: 50_000_000, outputTokens: 5_000_000 })),
    ];
    const r = review(facts, light);
    const c = r.commitments.find((x) => x.commitment.id === PT_USED)!;
    expect(c.recommendation.action).toBe('let-expire');
    // On-demand: 720 × (50 × 0.33 + 5 × 2.75) = 720 × 30.25 = 21,780; effect = 79,200 − 21,780.
    expect(formatMoney(c.recommendation.effect!)).toBe('57420');
    expect(c.recommendation.reasons.join(' ')).toMatch(/Do not renew the 1-month term/);
  });

  it('reduces units when capacity is configured and the peak fits in fewer', () => {
    const four = JUNE.map((d) =>
      ptDay(d, { arn: PT_USED, account: ACCT_A, units: 4, hourly: '55', term: '1month' }),
    );
    const r = review([...four, ...onDemand], utilization, { modelUnitCapacity: { [NOVA]: 2_400_000 } });
    const c = r.commitments[0]!;
    // 2.4M TPM = 144M tokens/h per unit; the 220M-token peak hour × 1.25 fits in 2 units, which cost
    // $79,200 against $87,120 on-demand.
    expect(c.utilizationRate).toBeCloseTo(220 / 576, 9);
    expect(c.recommendation.action).toBe('reduce-units');
    expect(c.recommendation.targetUnits).toBe(2);
    expect(formatMoney(c.recommendation.effect!)).toBe('79200'); // two of four units: 2 × 720 × $55
    expect(c.breakEvenUtilization).not.toBeNull();
  });

  it('no datapoints and no on-demand traffic: unknown, never idle — verify', () => {
    const r = review(used, []);
    const c = r.commitments[0]!;
    expect(c.recommendation.action).toBe('verify');
    expect(c.recommendation.effect).toBeNull();
    expect(c.utilization).toMatchObject({ observedHours: 0, idleHours: 0, unknownHours: 720 });
    expect(c.recommendation.reasons[0]).toMatch(/unknown, not zero/);
  });

  it('measured zero traffic is idle: a no-commit PT moves to on-demand', () => {
    const idle = [hourly(PT_BYPASSED, JUNE, () => ({ invocations: 0, inputTokens: 0, outputTokens: 0 }))];
    const r = review(bypassed, idle);
    const c = r.commitments[0]!;
    expect(c.utilization.idleHours).toBe(720);
    expect(c.recommendation.action).toBe('move-to-on-demand');
    expect(formatMoney(c.recommendation.effect!)).toBe('43560');
  });

  it('partially missing datapoints are unknown hours and extrapolated, not zeros', () => {
    const half = hourly(PT_USED, JUNE, () => ({
      invocations: 1500,
      inputTokens: 200_000_000,
      outputTokens: 20_000_000,
    }));
    half.points = half.points.filter((_, i) => i % 2 === 0);
    const r = review([...used, ...onDemand], [half]);
    const c = r.commitments[0]!;
    expect(c.utilization).toMatchObject({ observedHours: 360, unknownHours: 360 });
    expect(c.valueRatio).toBeCloseTo(1.1, 6);
    expect(c.recommendation.action).toBe('keep');
    expect(c.recommendation.reasons.join(' ')).toMatch(/360 of 720 paid hours have no utilization datapoint/);
  });

  it('suggests a Reserved tier reservation for a steady on-demand workload, priced from CUR', () => {
    const sonnet = 'anthropic.claude-sonnet-4-6';
    const steady = JUNE.flatMap((d, i) => [
      dfact({
        usageDate: d,
        model: sonnet,
        workload: 'support-bot',
        usageKind: 'input',
        tokens: 2_880_000_000 + (i % 3) * 10_000_000,
        cost: (2880 * 3 + (i % 3) * 30).toFixed(2),
      }),
      dfact({
        usageDate: d,
        model: sonnet,
        workload: 'support-bot',
        usageKind: 'output',
        tokens: 100_000_000,
        cost: '1500',
      }),
    ]);
    // Someone else holds a 3-month global Reserved input reservation of 1M TPM (1,000 units of 1K TPM) for
    // the same model: $0.162 per 1K-TPM hour (Price List), 10% under the $3 per 1M on-demand rate at full use.
    const reserved = reservedJune('USE1-Reserved_3Month_InputTPM_Global-Units', 1000, '3888');
    const r = review([...steady, ...reserved], []);
    expect(r.candidates).toHaveLength(1);
    const c = r.candidates[0]!;
    expect(c.workload).toBe('support-bot');
    expect(c.kind).toBe('reserved-tier');
    expect(c.units).toBe(2000); // 2.88B tokens/day = 2M TPM = 2,000 units of 1K TPM
    expect(c.option).toMatch(/^Reserved tier 2,000,000 input TPM \(3-month\)/);
    expect(formatMoney(c.commitmentCost)).toBe(String(2000 * 0.162 * 720));
    // Covered tokens at $3 per 1M less the reservation: about 10% of $8,640 a day.
    expect(c.savings > parseMoney('20000')).toBe(true);
    expect(c.savings < parseMoney('30000')).toBe(true);
  });

  it('never offers a Reserved tier reservation below AWS minimum (100,000 input TPM)', () => {
    const sonnet = 'anthropic.claude-sonnet-4-6';
    // 50,000 input TPM a day on-demand at $3 per 1M: under the minimum reservation.
    const small = JUNE.map((d, i) =>
      dfact({
        usageDate: d,
        model: sonnet,
        workload: 'support-bot',
        usageKind: 'input',
        tokens: 72_000_000 + (i % 3) * 100_000,
        cost: (216 + (i % 3) * 0.3).toFixed(2),
      }),
    );
    const reserved = reservedJune('USE1-Reserved_3Month_InputTPM_Global-Units', 100, '388.8');
    // Sized at 50 units the reservation would "save" 10%; at the 100-unit minimum it costs more than on-demand.
    const r = review([...small, ...reserved], [], {
      candidates: { ...DEFAULT_REVIEW_OPTIONS.candidates, minSavingsUsd: 0 },
    });
    expect(r.candidates.filter((c) => c.kind === 'reserved-tier')).toEqual([]);
  });

  it('tells why a Reserved tier reservation costs more than on-demand: capacity, not a discount', () => {
    const sonnet = 'anthropic.claude-sonnet-4-6';
    const onDemand = JUNE.map((d) =>
      dfact({ usageDate: d, model: sonnet, usageKind: 'input', tokens: 100_000_000, cost: '300' }),
    );
    // 200,000 input TPM reserved at $0.18 per 1K-TPM hour (the 1-month global price), $864 a day.
    const reserved = reservedJune('USE1-Reserved_1Month_InputTPM_Global-Units', 200, '864', 'support-bot');
    const id = `${reserved[0]!.usageAccount}/${reserved[0]!.region}/${sonnet}#reserved-input-global`;
    // 80% of the reservation used every hour: 9.6M input tokens an hour.
    const r = review(
      [...onDemand, ...reserved],
      [hourly(id, JUNE, () => ({ invocations: 900, inputTokens: 9_600_000, outputTokens: 1_000_000 }))],
    );
    const c = r.commitments[0]!;
    expect(c.commitment.units).toBe(200);
    expect(c.utilizationRate).toBeCloseTo(0.8, 6);
    expect(c.breakEvenUtilization).toBeCloseTo(1, 6);
    expect(c.recommendation.action).toBe('let-expire');
    expect(formatMoney(c.recommendation.effect!)).toBe('5184'); // 20% of 30 × $864
    expect(c.recommendation.reasons.join(' ')).toMatch(/guaranteed capacity, not a discount/);
  });

  it('renders CSV rows per commitment with unknowns left empty, and an email-safe HTML page', () => {
    const r = review(facts, utilization);
    const artifacts = reviewArtifacts(r, { sendPartial: false });
    const csv = artifacts.files.find((f) => f.name === 'bedrock-commitment-review-2026-Q2.csv')!.content;
    const [header, ...rows] = parseCsv(csv);
    expect(rows).toHaveLength(2);
    const col = (row: string[], name: string) => row[header!.indexOf(name)];
    const bypassRow = rows.find((row) => col(row, 'commitment_id') === PT_BYPASSED)!;
    expect(col(bypassRow, 'recommendation')).toBe('move-to-on-demand');
    expect(col(bypassRow, 'on_demand_equivalent_usd')).toBe('');
    expect(col(bypassRow, 'input_tokens')).toBe('');
    expect(col(bypassRow, 'unknown_hours')).toBe('720');
    expect(col(bypassRow, 'effect_usd')).toBe('43560');
    const html = artifacts.files.find((f) => f.mimeType === 'text/html')!.content;
    expect(html).not.toMatch(/<script|<svg|https?:\/\//i);
    expect(html).toContain('data-action="keep"');
    expect(html).toContain('data-action="move-to-on-demand"');
    expect(html).toContain(`data-total="${formatMoney(r.totals.commitmentCost)}"`);
    expect(artifacts.sns.subject).toMatch(/^Bedrock commitment review 2026-Q2/);
    expect(artifacts.slack.blocks.length).toBeLessThanOrEqual(50);
    expect(artifacts.notReadyReason).toBeNull();
  });
});
