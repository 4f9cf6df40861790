import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAlert } from '../../../../src/core/alerting/alert.js';
import { digestArtifacts } from '../../../../src/core/digest/digest-artifacts.js';
import { buildWeeklyDigest } from '../../../../src/core/digest/weekly-digest.js';
import type { DailyFact } from '../../../../src/core/facts/daily-fact.js';
import { parseMoney } from '../../../../src/core/money.js';
import { renderConsoleText } from '../../../../src/core/render/console-text.js';
import { SLACK_LIMITS, type SlackMessage } from '../../../../src/core/render/slack-kit.js';
import { renderSlackMessage } from '../../../../src/core/render/slack-message.js';
import { renderSnsMessage } from '../../../../src/core/render/sns-message.js';
import { printable, textTable } from '../../../../src/core/render/text-table.js';
import { isLiveFormula, neutraliseFormula, parseCsv, toCsv } from '../../../../src/core/report/csv.js';
import { buildProvisionedReview } from '../../../../src/core/review/provisioned-review.js';
import { reviewArtifacts } from '../../../../src/core/review/review-artifacts.js';
import { DEFAULT_REVIEW_OPTIONS } from '../../../../src/core/review/review-options.js';
import { isoWeekDays } from '../../../../src/core/time/iso-week.js';
import { ALL_FINAL, DIGEST_OPTIONS, dfact } from '../../../helpers/digest-facts.js';
import { contributor, makeFinding } from '../alerting/fixtures.js';
import { bypassedJune } from '../review/review-fixtures.js';

const OWNER_MENTION = '<!subteam^S0OWNERS>';

/** Every Block Kit limit the message breaks (empty when none). */
function slackViolations(message: SlackMessage): string[] {
  const out: string[] = [];
  const text = (where: string, t: unknown, max: number) => {
    const s = (t as { text?: unknown } | undefined)?.text;
    if (typeof s === 'string' && s.length > max) out.push(`${where}: ${s.length} > ${max}`);
  };
  if (message.text.length > SLACK_LIMITS.messageText) out.push(`text: ${message.text.length}`);
  if (message.blocks.length > SLACK_LIMITS.blocks) out.push(`blocks: ${message.blocks.length}`);
  for (const [i, block] of message.blocks.entries()) {
    if (block.type === 'header') text(`header ${i}`, block.text, SLACK_LIMITS.headerText);
    if (block.type === 'section') {
      text(`section ${i}`, block.text, SLACK_LIMITS.sectionText);
      const fields = (block.fields as unknown[] | undefined) ?? [];
      if (fields.length > SLACK_LIMITS.sectionFields) out.push(`section ${i} fields: ${fields.length}`);
      for (const f of fields) text(`section ${i} field`, f, SLACK_LIMITS.fieldText);
    }
    if (block.type === 'context') {
      const elements = (block.elements as unknown[] | undefined) ?? [];
      if (elements.length > SLACK_LIMITS.contextElements) out.push(`context ${i}: ${elements.length}`);
      for (const e of elements) text(`context ${i} element`, e, SLACK_LIMITS.textObject);
    }
  }
  return out;
}

/** Every mrkdwn string of a message (the top-level text included). */
function mrkdwnTexts(message: SlackMessage): string[] {
  const texts = [message.text];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') texts.push(o.text);
      for (const v of Object.values(o)) visit(v);
    }
  };
  visit(message.blocks);
  return texts;
}

/** `<…>` tokens Slack would act on (mentions, links, dates), besides the owner mention we built. */
function foreignTokens(message: SlackMessage): string[] {
  return mrkdwnTexts(message).flatMap((t) =>
    [...t.replaceAll(OWNER_MENTION, '').matchAll(/<[^>]*>?/g)].map((m) => m[0]),
  );
}

/** The sequence of HTML tags (names only): data must not add, drop or change any. */
function tagSequence(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[0]);
}

const WEEK = '2026-W24';
function digestFor(value: string) {
  const days = [...isoWeekDays('2026-W23'), ...isoWeekDays(WEEK)];
  const facts: DailyFact[] = days.flatMap((day, i) => [
    dfact({ usageDate: day, workload: value, team: value, costCenter: value, cost: `${10 + i}.125` }),
    dfact({ usageDate: day, workload: 'support-bot', cost: '-1.5', lineItemType: 'Usage' }),
    dfact({ usageDate: day, workload: 'search', team: 'search', cost: `${i}.5`, model: value }),
  ]);
  const finding = makeFinding({ day: isoWeekDays(WEEK)[2]!, labels: { workload: value }, name: value });
  return buildWeeklyDigest({
    week: WEEK,
    facts,
    newestUsageHour: new Date('2026-06-20T23:00:00Z'),
    now: new Date('2026-06-24T00:00:00Z'),
    options: { ...DIGEST_OPTIONS, unallocated: 'leave' },
    anomalies: [{ finding, state: 'open' }],
  });
}

/** A quarter with a bypassed commitment and on-demand traffic, every tag set to `value`. */
function reviewFor(value: string) {
  const facts = bypassedJune(value).map((f) => ({ ...f, team: value, costCenter: value }));
  return reviewArtifacts(
    buildProvisionedReview({
      quarter: '2026-Q2',
      facts,
      utilization: [],
      utilizationSource: 'cloudwatch',
      newestUsageHour: ALL_FINAL,
      finalAfterHours: 48,
      now: new Date('2026-07-05T00:00:00Z'),
      options: DEFAULT_REVIEW_OPTIONS,
    }),
    { sendPartial: true },
  );
}

function alertMessageFor(value: string) {
  const finding = makeFinding({
    labels: { workload: value, model: value, team: value, account: value },
    name: value,
    why: [`${value} spent $412.30`],
    contributors: [contributor('model', value, '300', '10'), contributor('iam_principal', value, '100', '1')],
  });
  const other = makeFinding({ labels: { workload: value, model: `${value}-2` }, rule: 'verbose-output' });
  return {
    receiver: 'oncall/slack',
    groupKey: 'g1',
    groupLabels: { workload: value },
    alerts: [toAlert(finding), toAlert(other)],
    reason: 'first' as const,
    owner: { team: 'ml', mention: 'S0OWNERS' },
  };
}

const HOSTILE = [
  '=1+2',
  '@SUM(1)',
  "+cmd|' /C calc'!A0",
  '-2+3+cmd|calc',
  '\t=1+2',
  '\r=1+2',
  ' =HYPERLINK("http://x")',
  '＝1+2',
  '<!channel>',
  '<!here> <@U024BE7LH> <#C123|general> <https://evil.example|click>',
  '&lt;!channel&gt;',
  '</td><script>alert(1)</script>',
  '"quoted", with, commas\nand a newline',
  '\u001b[2J\u001b[31mred\u0007',
  'a\u202eb',
  'x'.repeat(10_000),
];

describe('hostile tag values', () => {
  let dir: string;
  let duck: DuckDBConnection;
  let files = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hostile-'));
    duck = await (await DuckDBInstance.create(':memory:')).connect();
  });
  afterAll(async () => {
    duck.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  /** Parses a CSV with DuckDB's reader (an independent, real CSV parser): rows of text cells. */
  async function readCsvWithDuckDb(csv: string): Promise<string[][]> {
    const path = join(dir, `t${files++}.csv`);
    await writeFile(path, csv);
    const reader = await duck.runAndReadAll(
      `SELECT * FROM read_csv('${path}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', strict_mode = true, nullstr = '\u0001')`,
    );
    return reader.getRowsJS().map((r) => r.map((c) => (c === null ? '' : String(c))));
  }

  it('CSV cells that a spreadsheet would run are neutralised; numbers stay numbers', async () => {
    const csv = toCsv(
      ['workload', 'cost'],
      [...HOSTILE.map((v) => [v, '12.500000000000001']), ['ok', '-3.25']],
    );
    const rows = await readCsvWithDuckDb(csv);
    expect(rows.map((r) => r[0])).toEqual([...HOSTILE.map(neutraliseFormula), 'ok']);
    expect(rows.map((r) => r[0]).filter((c) => isLiveFormula(c!))).toEqual([]);
    expect(rows[0]).toEqual(["'=1+2", '12.500000000000001']);
    expect(rows[2]?.[0]).toBe("'+cmd|' /C calc'!A0");
    expect(rows.at(-1)).toEqual(['ok', '-3.25']);
    expect(parseCsv(csv).slice(1)).toEqual(rows);
  });

  it('the chargeback CSV of a week with a "=1+2" workload carries it as text, money as numbers', async () => {
    const artifacts = digestArtifacts(digestFor('=1+2'), { sendPartialWeeks: true });
    const csv = artifacts.files.find((f) => f.name.endsWith('.csv'))!.content;
    const rows = await readCsvWithDuckDb(csv);
    const line = rows.find((r) => r[5] === "'=1+2");
    expect(line).toBeDefined();
    expect(line?.[3]).toBe("'=1+2");
    expect(line?.[9]).toMatch(/^-?\d+(\.\d+)?$/);
    expect(rows.flat().filter(isLiveFormula)).toEqual([]);
  });

  it('Slack alert: a tag’s <!channel> / <@U…> never reaches the fallback text or blocks raw', () => {
    const message = renderSlackMessage(alertMessageFor('<!channel> <!here> <@U024BE7LH>'));
    expect(message.text).not.toContain('<!channel>');
    expect(message.text).toContain('&lt;!channel&gt;');
    expect(foreignTokens(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain(OWNER_MENTION);
  });

  it('Slack alert: a 10,000-character tag stays within every Block Kit limit', () => {
    const message = renderSlackMessage(alertMessageFor('x'.repeat(10_000)));
    expect(slackViolations(message)).toEqual([]);
    // The owner context (the buttons' note follows it: a 10,000-character label cannot fit a button value).
    const context = message.blocks.find(
      (b) => b.type === 'context' && JSON.stringify(b).includes('Owner:'),
    ) as { elements: { text: string }[] };
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(message.blocks.at(-1))).toContain('No buttons');
    expect(context.elements[0]!.text.length).toBeLessThanOrEqual(3000);
    expect(context.elements[0]!.text).toContain(OWNER_MENTION);
    expect(message.text.endsWith(OWNER_MENTION)).toBe(true);
  });

  it('terminal tables escape control and bidi characters', () => {
    const table = textTable(['workload'], [['\u001b[2Jevil\u0007'], ['a\u202eb'], ['two\nlines']]);
    for (const line of table.split('\n')) expect(printable(line)).toBe(line);
    expect(table).toContain('\\x1b[2Jevil\\x07');
    expect(table).toContain('a\\u202eb');
    expect(table.split('\n')).toHaveLength(5);
    expect(printable('plain — ü 😀')).toBe('plain — ü 😀');
  });

  it('property: for any Unicode tag value every renderer stays parseable, within limits and inert', async () => {
    const value = fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
      { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 400 }) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '<!', '<@', '&'), fc.string({ maxLength: 40 }))
          .map(([a, b]) => a + b),
      },
    );
    const placeholder = digestArtifacts(digestFor('placeholder-workload'), { sendPartialWeeks: true });
    const placeholderTags = tagSequence(placeholder.files.find((f) => f.name.endsWith('.html'))!.content);
    const reviewTags = tagSequence(
      reviewFor('placeholder-workload').files.find((f) => f.name.endsWith('.html'))!.content,
    );
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        // Alerts: Slack, SNS, console.
        const content = alertMessageFor(v);
        const slack = renderSlackMessage(content);
        expect(JSON.parse(JSON.stringify(slack))).toEqual(slack);
        expect(slackViolations(slack)).toEqual([]);
        expect(foreignTokens(slack)).toEqual([]);
        const sns = renderSnsMessage(content);
        expect(JSON.parse(sns.message).payload.custom_details.group_labels.workload).toBe(v);
        expect(sns.subject).toMatch(/^[\x20-\x7e]{1,100}$/);
        for (const line of renderConsoleText(content).split('\n')) expect(printable(line)).toBe(line);

        // Weekly digest: Slack, CSV, HTML, JSON, text.
        const artifacts = digestArtifacts(digestFor(v), { sendPartialWeeks: true });
        expect(slackViolations(artifacts.slack)).toEqual([]);
        expect(foreignTokens(artifacts.slack)).toEqual([]);
        const file = (ext: string) => artifacts.files.find((f) => f.name.endsWith(ext))!.content;
        expect(JSON.parse(file('.json')).week).toBe(WEEK);
        expect(tagSequence(file('.html'))).toEqual(placeholderTags);
        if (!v.includes('\u0000')) {
          const rows = await readCsvWithDuckDb(file('.csv'));
          expect(rows.flat().filter(isLiveFormula)).toEqual([]);
          expect(rows.map((r) => r[5])).toContain(neutraliseFormula(v));
        }
        const rows = parseCsv(file('.csv'));
        expect(rows.flat().filter(isLiveFormula)).toEqual([]);
        expect(rows.map((r) => r[5])).toContain(neutraliseFormula(v));

        // Quarterly review: Slack, both CSVs, HTML, JSON.
        const review = reviewFor(v);
        expect(slackViolations(review.slack)).toEqual([]);
        expect(foreignTokens(review.slack)).toEqual([]);
        const reviewFile = (ext: string) => review.files.find((f) => f.name.endsWith(ext))!.content;
        expect(JSON.parse(reviewFile('.json')).quarter).toBe('2026-Q2');
        expect(tagSequence(reviewFile('.html'))).toEqual(reviewTags);
        const reviewCells = review.files
          .filter((f) => f.name.endsWith('.csv'))
          .flatMap((f) => parseCsv(f.content).flat());
        expect(reviewCells.filter(isLiveFormula)).toEqual([]);
        expect(reviewCells).toContain(neutraliseFormula(v));
      }),
      { numRuns: 40, seed: 1010 },
    );
  });

  it('money columns keep their exact decimals through the neutralising writer', () => {
    for (const m of ['-0.000000000000001', '-12.345', '0', '123456789.123456789012345'])
      expect(parseCsv(toCsv(['c'], [[m]]))[1]).toEqual([m]);
    expect(parseMoney(parseCsv(toCsv(['c'], [['-1.5']]))[1]![0]!)).toBe(parseMoney('-1.5'));
  });
});
