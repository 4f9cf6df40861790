import { describe, expect, it } from 'vitest';
import { digestArtifacts } from '../../../../src/core/digest/digest-artifacts.js';
import { buildWeeklyDigest } from '../../../../src/core/digest/weekly-digest.js';
import { UNALLOCATED } from '../../../../src/core/facts/daily-fact.js';
import { formatMoney } from '../../../../src/core/money.js';
import { ALL_FINAL, dfact, generateFacts } from '../../../helpers/digest-facts.js';

const digest = (facts = generateFacts('2026-05-01', '2026-06-14')) =>
  buildWeeklyDigest({
    week: '2026-W23',
    facts,
    newestUsageHour: ALL_FINAL,
    now: new Date('2026-06-10T06:00:00Z'),
    options: {
      unallocated: 'split',
      topWorkloads: 5,
      topMovers: 5,
      costMetric: 'unblended',
      finalAfterHours: 48,
    },
    anomalies: [],
  });

describe('digest renderers', () => {
  const d = digest();
  const a = digestArtifacts(d, { sendPartialWeeks: false });
  const html = a.files.find((f) => f.mimeType === 'text/html')!.content;

  it('HTML is self-contained and script-free, for email clients', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|javascript:|on(load|click|error)=/i);
    expect(html).not.toMatch(/<link|<img|@import|url\(|src=|https?:\/\//i);
    expect(html).not.toMatch(/<svg/i);
    expect(html).not.toContain('<style');
  });

  it('HTML shows the reconciliation line with the exact total in data attributes', () => {
    expect(html).toContain(`data-total="${formatMoney(d.reconciliation.tableTotal)}"`);
    expect(html).toContain('id="reconciliation"');
    expect(html).toContain('— difference $0.000000');
    expect(html).toContain('id="total-this-week"');
    expect(html).toContain('id="daily-chart"');
    expect(html).toContain('id="model-mix"');
  });

  it('escapes names from tags', () => {
    const facts = [
      ...generateFacts('2026-06-01', '2026-06-07'),
      dfact({ usageDate: '2026-06-02', workload: '<img src=x onerror=alert(1)>', team: 'a&b', cost: '3' }),
    ];
    const out = digestArtifacts(digest(facts), { sendPartialWeeks: false });
    const page = out.files.find((f) => f.mimeType === 'text/html')!.content;
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out.slack.blocks.map((b) => JSON.stringify(b)).join()).not.toContain('<img');
  });

  it('Slack message stays within Block Kit limits and names the reconciliation', () => {
    expect(a.slack.blocks.length).toBeLessThanOrEqual(50);
    const header = a.slack.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    for (const block of a.slack.blocks) {
      const text = (block as { text?: { text?: string } }).text?.text;
      if (text) expect(text.length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(a.slack.blocks)).toContain('difference $0.000000');
    expect(a.slackAttachment).toBe('bedrock-chargeback-2026-W23.csv');
  });

  it('SNS email is plain text with an ASCII subject', () => {
    expect(a.sns.subject).toMatch(/^[\x20-\x7e]{1,100}$/);
    expect(a.sns.message).not.toMatch(/^\s*\{/);
    expect(a.sns.message).toContain('CHARGEBACK');
    expect(a.sns.message).toContain(d.reconciliation.line);
    expect(a.sns.attributes).toEqual({ severity: 'info', rule: 'weekly-digest', workload: '*' });
  });

  it('CSV has one row per line, exact decimals and no total row', () => {
    const csv = a.files.find((f) => f.mimeType === 'text/csv')!.content;
    const rows = csv.trim().split('\n');
    expect(rows).toHaveLength(1 + d.chargeback.length);
    expect(csv).not.toMatch(/\$|,total,/i);
    expect(rows.some((r) => r.includes(UNALLOCATED))).toBe(true);
  });

  it('JSON writes money as exact decimal strings', () => {
    const json = JSON.parse(a.files.find((f) => f.mimeType === 'application/json')!.content);
    expect(json.totals.thisWeek).toBe(formatMoney(d.totals.thisWeek));
    expect(typeof json.chargeback[0].thisWeek).toBe('string');
  });
});
