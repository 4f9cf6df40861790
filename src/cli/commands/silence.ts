import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { LocalSilenceStore, silenceStorePath } from '../../adapters/local-fs/silence-store.js';
import { formatDurationMs, parseDurationMs } from '../../core/alerting/duration.js';
import { formatMatchers } from '../../core/alerting/matchers.js';
import { compileSilence, silenceState } from '../../core/alerting/silences.js';
import { timeOption } from '../options.js';
import { printJson } from '../output/format-option.js';
import { renderTable } from '../output/table.js';
import { storeRoot } from '../wiring.js';

const STORE = '--store <dir>';
const STORE_TEXT = 'state root whose state/silences.json holds run-time silences (default ./.bedrock-cost)';

function silenceStore(option: string | undefined): LocalSilenceStore {
  return new LocalSilenceStore({ path: silenceStorePath(resolve(storeRoot(option))) });
}

export function silenceCommand(): Command {
  const silence = new Command('silence')
    .summary('add, list and expire silences')
    .description(
      'Mute findings whose labels match, for a while (Alertmanager-style). Silences in the config file apply\n' +
        'too; these are the run-time ones, kept beside the notification log.',
    );
  silence
    .command('add')
    .description(
      'Add a silence, e.g. silence add -m \'workload="search"\' -m \'rule="verbose-output"\' -d 7d -c "known load test"',
    )
    .requiredOption(
      '-m, --matcher <matcher>',
      'label matcher: name="value", name!="value", name=~"regex", name!~"regex" (repeatable)',
      collect,
      [],
    )
    .option('-d, --duration <duration>', 'how long from --starts-at (e.g. 2h, 3d, 1w)', '24h')
    .option('--starts-at <ISO time>', 'start (default now)')
    .option('--ends-at <ISO time>', 'end; overrides --duration')
    .requiredOption('-c, --comment <text>', 'why: shown wherever the silence is listed')
    .option('--created-by <name>', 'who', process.env.USER ?? 'unknown')
    .option(STORE, STORE_TEXT)
    .action(
      async (options: {
        matcher: string[];
        duration: string;
        startsAt?: string;
        endsAt?: string;
        comment: string;
        createdBy: string;
        store?: string;
      }) => {
        const start = options.startsAt ? timeOption('--starts-at', options.startsAt) : new Date();
        const durationMs = parseDurationMs(options.duration);
        if (!options.endsAt && durationMs === null)
          throw new Error(`--duration must look like 2h, 3d or 1w, got "${options.duration}"`);
        const end = options.endsAt
          ? timeOption('--ends-at', options.endsAt)
          : new Date(start.getTime() + (durationMs ?? 0));
        const silence = compileSilence(
          {
            matchers: options.matcher,
            starts_at: start.toISOString(),
            ends_at: end.toISOString(),
            created_by: options.createdBy,
            comment: options.comment,
          },
          'silence',
        );
        await silenceStore(options.store).put(silence);
        process.stdout.write(
          `${silence.id}\tsilences ${formatMatchers(silence.matchers)} until ${end.toISOString()}\n`,
        );
      },
    );
  silence
    .command('list')
    .description('List run-time silences with their state (pending, active, expired).')
    .option(STORE, STORE_TEXT)
    .option('--all', 'include expired silences')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (options: { store?: string; all?: boolean; format: 'table' | 'json' }) => {
      const nowMs = Date.now();
      const silences = (await silenceStore(options.store).list())
        .map((s) => ({ ...s, state: silenceState(s, nowMs) }))
        .filter((s) => options.all || s.state !== 'expired');
      if (options.format === 'json') {
        printJson(
          silences.map((s) => ({
            id: s.id,
            matchers: formatMatchers(s.matchers),
            starts_at: new Date(s.startsAtMs).toISOString(),
            ends_at: new Date(s.endsAtMs).toISOString(),
            state: s.state,
            created_by: s.createdBy,
            comment: s.comment,
          })),
        );
        return;
      }
      const rows = silences.map((s) => [
        s.id,
        s.state,
        formatMatchers(s.matchers),
        new Date(s.endsAtMs).toISOString(),
        s.state === 'active' ? formatDurationMs(Math.ceil((s.endsAtMs - nowMs) / 60_000) * 60_000) : '',
        s.createdBy,
        s.comment,
      ]);
      process.stdout.write(
        rows.length
          ? `${renderTable(['id', 'state', 'matchers', 'ends at', 'left', 'by', 'comment'], rows)}\n`
          : 'No silences.\n',
      );
    });
  silence
    .command('expire')
    .description('End a silence now.')
    .argument('<id>', 'silence id from `silence list`')
    .option(STORE, STORE_TEXT)
    .action(async (id: string, options: { store?: string }) => {
      const found = await silenceStore(options.store).expire(id, Date.now());
      if (!found) {
        process.stderr.write(`no silence with id ${id}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`expired ${id}\n`);
    });
  return silence;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
