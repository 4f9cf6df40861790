import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { interactionStatePaths, LocalFeedbackStore } from '../../adapters/local-fs/interaction-stores.js';
import type { FeedbackStore } from '../../app/ports/alerting.js';
import type { FeedbackRecord } from '../../core/interactivity/feedback.js';
import { toCsv } from '../../core/report/csv.js';
import { timeOption } from '../options.js';
import { formatOption, type OutputFormat, printJson } from '../output/format-option.js';
import { renderTable } from '../output/table.js';
import { storeRoot } from '../wiring.js';

const COLUMNS = [
  'at',
  'verdict',
  'rule',
  'workload',
  'model',
  'labels',
  'by',
  'reason',
  'condition',
  'silence',
] as const;

function row(r: FeedbackRecord): Record<(typeof COLUMNS)[number], string> {
  const { workload = '', model = '', ...rest } = r.labels;
  return {
    at: new Date(r.atMs).toISOString(),
    verdict: r.verdict,
    rule: r.rule,
    workload,
    model,
    labels: Object.keys(rest)
      .sort()
      .map((k) => `${k}=${rest[k]}`)
      .join(' '),
    by: `${r.userName} (${r.userId})`,
    reason: r.reason,
    condition: r.conditionKey,
    silence: r.silenceId,
  };
}

interface ListOptions {
  store?: string;
  stateTable?: string;
  since?: string;
  rule?: string;
  format: OutputFormat;
}

async function feedbackStore(options: ListOptions): Promise<FeedbackStore> {
  const table = options.stateTable ?? process.env.BEDROCK_COST_STATE_TABLE;
  if (table) {
    const [{ DynamoDBClient }, { DynamoDbFeedbackStore }] = await Promise.all([
      import('@aws-sdk/client-dynamodb'),
      import('../../adapters/dynamodb/interaction-stores.js'),
    ]);
    return new DynamoDbFeedbackStore({ client: new DynamoDBClient({}), tableName: table });
  }
  const root = resolve(storeRoot(options.store));
  // A mistyped --store would otherwise read as "no feedback".
  if (!existsSync(root))
    throw new Error(
      `no state at ${root}: point --store or $BEDROCK_COST_STORE at the store \`serve\` records into`,
    );
  return new LocalFeedbackStore({ path: interactionStatePaths(root).feedback });
}

export function feedbackCommand(): Command {
  const feedback = new Command('feedback')
    .summary('list "Not an anomaly" feedback given from Slack')
    .description(
      'Feedback people gave on alerts with the "Not an anomaly" button (see `bedrock-cost serve`): who, when,\n' +
        'why, and the condition (rule and labels). The weekly digest counts it.',
    );
  feedback
    .command('list')
    .description('List feedback records, newest first.')
    .option('--store <dir>', 'state root (default ./.bedrock-cost, or $BEDROCK_COST_STORE)')
    .option(
      '--state-table <name>',
      "read a deployed stack's DynamoDB state table instead (or $BEDROCK_COST_STATE_TABLE; AWS credentials and region from the environment)",
    )
    .option('--since <ISO time>', 'only feedback given at or after this time')
    .option('--rule <rule>', 'only feedback on this rule')
    .addOption(formatOption())
    .action(async (options: ListOptions) => {
      const sinceMs = options.since ? timeOption('--since', options.since).getTime() : undefined;
      const records = (await (await feedbackStore(options)).list())
        .filter(
          (r) => (sinceMs === undefined || r.atMs >= sinceMs) && (!options.rule || r.rule === options.rule),
        )
        .sort((a, b) => b.atMs - a.atMs || (a.id < b.id ? -1 : 1));
      if (options.format === 'json') {
        printJson(
          records.map((r) => ({
            id: r.id,
            at: new Date(r.atMs).toISOString(),
            verdict: r.verdict,
            rule: r.rule,
            labels: r.labels,
            user_id: r.userId,
            user_name: r.userName,
            reason: r.reason,
            condition_key: r.conditionKey,
            silence_id: r.silenceId,
            channel: r.channel,
            message_ts: r.messageTs,
          })),
        );
        return;
      }
      const rows = records.map((r) => COLUMNS.map((c) => row(r)[c]));
      if (options.format === 'csv') {
        process.stdout.write(toCsv([...COLUMNS], rows));
        return;
      }
      process.stdout.write(rows.length ? `${renderTable([...COLUMNS], rows)}\n` : 'No feedback.\n');
    });
  return feedback;
}
