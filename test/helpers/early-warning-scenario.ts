import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { addDays } from '../../src/core/time/days.js';
import type { TinyLine } from './tiny-cur.js';

/**
 * The issue 14 scenario: two application inference profiles on Claude Sonnet 4.6 in one account. The research
 * agent's tokens jump 20× at 14:00 on SPIKE_DAY (a runaway agent loop: the same invocations, 20× the tokens,
 * plus cache reads it never made before); the support bot stays steady. Hourly CloudWatch metrics from 8 days
 * before, and CUR lines per day built from the same traffic at Sonnet 4.6 on-demand prices.
 */
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const SPIKE_DAY = '2026-06-10';
export const SPIKE_HOUR = 14;
export const PROFILE_AGENT = `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/agentloop01`;
export const PROFILE_SUPPORT = `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/support0001`;
export const HISTORY_DAYS = 8;

interface HourTraffic {
  invocations: number;
  input: number;
  output: number;
  cacheRead: number;
}

const PROFILES = [
  {
    arn: PROFILE_AGENT,
    tags: { workload: 'research-agent', team: 'research', cost_center: 'cc-200' },
    normal: { invocations: 200, input: 1_000_000, output: 100_000, cacheRead: 0 },
    runaway: { invocations: 200, input: 20_000_000, output: 2_000_000, cacheRead: 10_000_000 },
  },
  {
    arn: PROFILE_SUPPORT,
    tags: { workload: 'support-bot', team: 'support', cost_center: 'cc-100' },
    normal: { invocations: 100, input: 400_000, output: 50_000, cacheRead: 0 },
    runaway: null,
  },
] as const;

function traffic(profile: (typeof PROFILES)[number], day: string, hour: number): HourTraffic {
  return profile.runaway && day === SPIKE_DAY && hour >= SPIKE_HOUR ? profile.runaway : profile.normal;
}

export const scenarioDays = (): string[] =>
  Array.from({ length: HISTORY_DAYS + 1 }, (_, i) => addDays(SPIKE_DAY, i - HISTORY_DAYS));

/** Sonnet 4.6 on-demand: $3 / $15 / $0.30 per 1M input / output / cache-read tokens ($ per 1K here). */
const PRICE_PER_1K = { input: 0.003, output: 0.015, cacheRead: 0.0003 };

/** CUR lines of `days` (one line per profile, day and token kind), tagged with the profile's workload tags. */
export function scenarioCurLines(days: readonly string[]): TinyLine[] {
  const lines: TinyLine[] = [];
  for (const day of days) {
    for (const profile of PROFILES) {
      const sum = { input: 0, output: 0, cacheRead: 0 };
      for (let h = 0; h < 24; h++) {
        const t = traffic(profile, day, h);
        sum.input += t.input;
        sum.output += t.output;
        sum.cacheRead += t.cacheRead;
      }
      const kinds = [
        ['input', 'USE1-Claude4.6Sonnet-input-tokens', sum.input, PRICE_PER_1K.input],
        ['output', 'USE1-Claude4.6Sonnet-output-tokens', sum.output, PRICE_PER_1K.output],
        [
          'cacheRead',
          'USE1-Claude4.6Sonnet-cache-read-input-token-count',
          sum.cacheRead,
          PRICE_PER_1K.cacheRead,
        ],
      ] as const;
      for (const [, usageType, tokens, price] of kinds) {
        if (tokens === 0) continue;
        const thousands = tokens / 1000;
        lines.push({
          day,
          account: ACCOUNT,
          accountName: 'genai-prod',
          usageType,
          operation: 'InvokeModelInference',
          unit: '1K tokens',
          resourceId: profile.arn,
          amount: String(thousands),
          cost: (thousands * price).toFixed(6),
          tags: profile.tags,
        });
      }
    }
  }
  return lines;
}

/** Hourly Sums (AWS/Bedrock, dimension ModelId) from the first history day's 00:00 up to (excluding) `until`. */
export function scenarioDatapoints(
  until: string,
): { timestamp: string; modelId: string; metric: string; value: number }[] {
  const out: { timestamp: string; modelId: string; metric: string; value: number }[] = [];
  for (const day of scenarioDays()) {
    for (let h = 0; h < 24; h++) {
      const timestamp = `${day}T${String(h).padStart(2, '0')}:00:00Z`;
      if (Date.parse(timestamp) >= Date.parse(until)) continue;
      for (const profile of PROFILES) {
        const t = traffic(profile, day, h);
        const metrics: [string, number][] = [
          ['Invocations', t.invocations],
          ['InputTokenCount', t.input],
          ['OutputTokenCount', t.output],
          ['CacheReadInputTokenCount', t.cacheRead],
        ];
        for (const [metric, value] of metrics) out.push({ timestamp, modelId: profile.arn, metric, value });
      }
    }
  }
  return out;
}

/** The same datapoints as a metrics file (`--metrics`). */
export function scenarioMetricsCsv(until: string): string {
  const rows = ['timestamp,account_id,region,model_id,metric,value'];
  for (const p of scenarioDatapoints(until))
    rows.push(`${p.timestamp},${ACCOUNT},${REGION},${p.modelId},${p.metric},${p.value}`);
  return `${rows.join('\n')}\n`;
}

/** Routes: pages to on-call, the rest to owners; both console receivers writing under `dir`. */
export function scenarioConfigYaml(dir: string): string {
  return [
    'attribution:',
    '  tag_keys:',
    '    workload: [workload]',
    '    team: [team]',
    '    cost_center: [cost_center]',
    'completeness:',
    '  final_after_hours: 0',
    'receivers:',
    '  - name: oncall',
    `    console: { dir: ${JSON.stringify(`${dir}/oncall`)} }`,
    '  - name: owners',
    `    console: { dir: ${JSON.stringify(`${dir}/owners`)} }`,
    'routes:',
    '  receiver: owners',
    '  group_by: [workload, day]',
    '  routes:',
    '    - matchers: [\'severity="page"\']',
    '      receiver: oncall',
    '    - receiver: owners',
    '',
  ].join('\n');
}

export async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** The sends a console receiver recorded in `dir` (one line of sent.jsonl each). */
export async function consoleSends(dir: string): Promise<{ receiver: string; group_key: string }[]> {
  const text = await readFile(join(dir, 'sent.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { receiver: string; group_key: string });
}
