import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { compileAlerting } from '../../core/alerting/alerting-spec.js';
import { routesFor } from '../../core/alerting/route-tree.js';
import { printJson } from '../output/format-option.js';

export function routesCommand(): Command {
  const routes = new Command('routes')
    .summary('show which receivers a label set reaches (routes test)')
    .description('Inspect the alert routing tree.');
  routes
    .command('test')
    .description(
      'Print the receiver(s) a finding with these labels reaches, like `amtool config routes test`.\n' +
        'Example: routes test workload=search model=anthropic.claude-sonnet-4-6 severity=page rule=spend-spike',
    )
    .argument('<labels...>', 'label=value pairs')
    .option('--config <file>', 'YAML config with routes and receivers')
    .option(
      '--expect <receivers>',
      'comma-separated receivers the labels must reach; exits 1 when they differ',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      async (pairs: string[], options: { config?: string; expect?: string; format: 'text' | 'json' }) => {
        const labels: Record<string, string> = {};
        for (const pair of pairs) {
          const at = pair.indexOf('=');
          if (at <= 0) throw new Error(`labels are name=value, got "${pair}"`);
          labels[pair.slice(0, at)] = pair.slice(at + 1);
        }
        const alerting = compileAlerting(await loadConfig(options.config));
        const matched = routesFor(alerting.routeTree, labels);
        const receivers = matched.map((r) => r.receiver);
        if (options.format === 'json')
          printJson({ labels, receivers, group_by: matched.map((r) => r.groupBy) });
        else process.stdout.write(`${receivers.join('\n')}\n`);
        if (options.expect !== undefined) {
          const expected = options.expect
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          if (expected.join(',') !== receivers.join(',')) {
            process.stderr.write(`expected ${expected.join(', ')}, got ${receivers.join(', ')}\n`);
            process.exitCode = 1;
          }
        }
      },
    );
  return routes;
}
