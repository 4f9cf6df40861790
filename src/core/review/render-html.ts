import { formatMoney, formatUsd, type Money } from '../money.js';
import { dayRange, formatInstant, formatPct, formatTokens } from '../report/format.js';
import {
  bar,
  type CellInput,
  callout,
  esc,
  h1,
  h2,
  MUTED,
  page,
  para,
  small,
  table,
  tiles,
} from '../report/html-kit.js';
import type { CommitmentReview } from './commitment-review.js';
import { ACTION_COLORS, ACTION_LABELS } from './labels.js';
import type { ProvisionedReview } from './provisioned-review.js';
import { perMillion } from './rates.js';

const usd = (v: Money | null) => (v === null ? '—' : esc(formatUsd(v)));
const right = (html: string, style = ''): CellInput => ({
  html,
  align: 'right',
  style: `white-space:nowrap;${style}`,
});

function badge(r: CommitmentReview): string {
  const a = r.recommendation.action;
  const units = r.recommendation.targetUnits === null ? '' : ` → ${r.recommendation.targetUnits}`;
  return `<span data-action="${esc(a)}" style="display:inline-block;padding:2px 6px;border-radius:3px;background:${ACTION_COLORS[a]};color:#ffffff;font-size:12px;font-weight:bold;white-space:nowrap;">${esc(ACTION_LABELS[a])}${esc(units)}</span>`;
}

function commitmentRows(review: ProvisionedReview) {
  return review.commitments.map((r) => {
    const c = r.commitment;
    const u = r.utilization;
    const kind = c.kind === 'reserved-tier' ? `Reserved ${c.direction ?? ''} TPM` : 'Provisioned Throughput';
    const utilization =
      r.utilizationRate !== null
        ? `${bar(r.utilizationRate, '#0072B2', 70)}${esc(formatPct(r.utilizationRate))}`
        : small(u.observedHours > 0 ? 'capacity not configured' : 'unknown');
    const breakEven =
      r.breakEvenUtilization !== null
        ? esc(formatPct(r.breakEvenUtilization))
        : r.breakEvenTokensPerHour !== null
          ? `${esc(formatTokens(r.breakEvenTokensPerHour))} tok/h`
          : '—';
    const effect =
      r.recommendation.effect === null
        ? ''
        : `<br><strong>${usd(r.recommendation.effect)}</strong>${
            r.recommendation.effectPerMonth !== null
              ? ` ${small(`(${esc(formatUsd(r.recommendation.effectPerMonth))}/mo)`)}`
              : ''
          }`;
    return {
      attrs: { 'data-commitment': c.id },
      cells: [
        {
          html: `<strong>${esc(c.model)}</strong><br>${small(`${esc(kind)} · ${esc(c.term)} · ${esc(c.region)} · ${esc(c.account)}`)}<br><span style="color:${MUTED};font-size:11px;word-break:break-all;">${esc(c.id)}</span>`,
          style: 'min-width:160px;',
        },
        `${esc(c.workload)}<br>${small(`${esc(c.team)} / ${esc(c.costCenter)}`)}`,
        right(`${esc(String(c.units))} × ${esc(Math.round(c.hoursPaid).toLocaleString('en-US'))} h`),
        right(usd(c.cost)),
        { html: `${esc(c.firstSeen)}<br>${esc(c.lastSeen)}`, style: 'white-space:nowrap;' },
        right(
          `${esc(Math.round(u.activeHours).toLocaleString('en-US'))} / ${esc(Math.round(u.idleHours).toLocaleString('en-US'))} / ${esc(Math.round(u.unknownHours).toLocaleString('en-US'))}`,
        ),
        {
          html: `${u.observedHours > 0 ? esc(formatTokens(u.inputTokens + u.outputTokens)) : '—'}<br>${utilization}`,
        },
        right(
          `${usd(r.onDemandEquivalent)}<br>${small(r.valueRatio === null ? 'value —' : `value ${esc(r.valueRatio.toFixed(2))}×`)}`,
        ),
        right(breakEven),
        right(r.bypass.cost > 0n ? usd(r.bypass.cost) : '—'),
        { html: `${badge(r)}${effect}`, style: 'white-space:nowrap;' },
      ] as CellInput[],
    };
  });
}

function reasons(review: ProvisionedReview): string {
  return review.commitments
    .map((r) => {
      const c = r.commitment;
      const rates = [
        r.rates.input
          ? `input ${perMillion(r.rates.input).toFixed(4)} USD/M (${r.rates.input.scope})`
          : undefined,
        r.rates.output
          ? `output ${perMillion(r.rates.output).toFixed(4)} USD/M (${r.rates.output.scope})`
          : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      return `<li style="margin:4px 0;">${badge(r)} <strong>${esc(c.model)}</strong> ${small(esc(c.id))}<ul style="margin:2px 0 6px 0;padding-left:18px;">${r.recommendation.reasons
        .map((line) => `<li>${esc(line)}</li>`)
        .join(
          '',
        )}${rates ? `<li style="color:${MUTED};">On-demand rates observed in this CUR: ${esc(rates)}</li>` : ''}</ul></li>`;
    })
    .join('\n');
}

function candidateTable(review: ProvisionedReview): string {
  if (review.candidates.length === 0) {
    return para(
      small(
        'No on-demand workload has volume steady enough for a commitment to cost less at the prices seen in this CUR.',
      ),
    );
  }
  return table(
    [
      'Workload',
      'Model / region',
      'Days',
      'Avg tokens/day',
      'CV',
      'On-demand',
      'Option',
      'Commitment',
      'Saves',
    ],
    review.candidates.map((c) => ({
      cells: [
        `${esc(c.workload)}<br>${small(`${esc(c.team)} / ${esc(c.costCenter)}`)}`,
        `${esc(c.model)}<br>${small(`${esc(c.region)} · ${esc(c.account)}`)}`,
        right(`${c.daysWithTraffic}/${c.days}`),
        right(esc(formatTokens(c.avgDailyTokens))),
        right(esc(c.cv.toFixed(2))),
        right(usd(c.onDemandCost)),
        `${esc(c.option)}<br>${small(esc(c.assumptions.join('; ')))}`,
        right(usd(c.commitmentCost)),
        right(usd(c.savings), 'font-weight:bold;color:#007a55;'),
      ] as CellInput[],
    })),
    { id: 'candidates' },
  );
}

/** The quarterly review as one self-contained HTML document (no script, inline styles, table bars). */
export function renderReviewHtml(review: ProvisionedReview): string {
  const t = review.totals;
  const title = `Amazon Bedrock commitment review — ${review.quarter}`;
  const sub = `${esc(dayRange(review.days[0]!, review.days.at(-1)!))} (UTC) · ${review.costMetric} cost · utilization: ${esc(review.utilizationSource ?? 'none configured')} · generated ${esc(formatInstant(review.generatedAt))}`;
  const body = [
    h1(title, sub),
    review.complete
      ? callout(
          'ok',
          `All ${review.days.length} days of ${esc(review.quarter)} are final${review.asOf ? ` (CUR data as of ${esc(formatInstant(review.asOf))})` : ''}.`,
          {
            'data-complete': 'true',
          },
        )
      : callout(
          'warn',
          `<strong>Quarter not final:</strong> ${review.finalDays.length} of ${review.days.length} days counted${review.asOf ? `, data as of ${esc(formatInstant(review.asOf))}` : ''}. The last day is final ${esc(formatInstant(review.finalAt ?? ''))}.`,
          { 'data-complete': 'false' },
        ),
    tiles([
      { label: 'Commitments', value: String(review.commitments.length), note: 'PT and Reserved tier' },
      { label: 'Commitment cost', value: formatUsd(t.commitmentCost), data: 'commitment-cost' },
      {
        label: 'On-demand equivalent',
        value: formatUsd(t.onDemandEquivalent),
        note: 'of the tokens they served',
      },
      {
        label: 'Savings from changes',
        value: formatUsd(t.savingsFromChanges),
        note: 'reduce / expire / move',
      },
      {
        label: 'New commitment savings',
        value: formatUsd(t.candidateSavings),
        note: `${review.candidates.length} candidate(s)`,
      },
    ]),
    `<p id="review-total" data-total="${esc(formatMoney(t.commitmentCost))}" style="margin:6px 0;font-size:13px;">Commitment fees in ${esc(review.quarter)}: <strong>${esc(formatUsd(t.commitmentCost))}</strong> over ${review.commitments.length} commitment(s); recommended changes save <strong>${esc(formatUsd(t.savingsFromChanges))}</strong> over the same period.</p>`,
    h2('Commitments'),
    review.commitments.length === 0
      ? para(small('No Provisioned Throughput or Reserved tier charges in this quarter.'))
      : table(
          [
            'Commitment',
            'Workload',
            'Units × hours',
            'Cost',
            'Seen',
            'Hours active / idle / unknown',
            'Tokens · utilization',
            'On-demand equiv.',
            'Break-even',
            'Bypassing on-demand',
            'Recommendation · effect',
          ],
          commitmentRows(review),
          { id: 'commitments' },
        ),
    review.commitments.length > 0 ? h2('Why') : '',
    review.commitments.length > 0
      ? `<ul style="margin:4px 0;padding-left:0;list-style:none;">${reasons(review)}</ul>`
      : '',
    h2('On-demand workloads that would cost less on a commitment'),
    candidateTable(review),
    ...review.candidateNotes.map((n) => para(small(esc(n)))),
    h2('About these figures'),
    para(
      small(
        'Hours with no utilization datapoint are unknown, never counted as idle. On-demand equivalents price the tokens a commitment served at the effective standard-tier on-demand rate observed in this same CUR for that model (cost ÷ tokens), never a rate card. ' +
          'Value = on-demand equivalent ÷ commitment cost for the observed hours (≥ 1 pays off). Break-even is the utilization (or tokens per hour when model-unit capacity is not configured) at which the commitment costs the same as on-demand. ' +
          'Effects are over the review period; per month = × 730 h ÷ hours paid.',
      ),
    ),
  ].join('\n');
  return page(title, body);
}
