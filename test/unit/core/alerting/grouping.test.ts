import { describe, expect, it } from 'vitest';
import { toAlert } from '../../../../src/core/alerting/alert.js';
import { groupAlerts, groupLabelsFor } from '../../../../src/core/alerting/grouping.js';
import { compileRouteTree, routesFor } from '../../../../src/core/alerting/route-tree.js';
import { groupKey } from '../../../../src/core/keys.js';
import { makeFinding } from './fixtures.js';

describe('grouping', () => {
  const root = compileRouteTree({
    receiver: 'finops',
    routes: [{ matchers: ['severity="page"'], receiver: 'oncall', group_by: ['...'] }],
  });
  const route = (labels: Record<string, string>) => routesFor(root, labels)[0]!;

  it.each([
    { name: 'picks group_by labels', groupBy: ['workload', 'day'], want: { workload: 'w', day: 'd' } },
    { name: 'leaves out labels the alert lacks', groupBy: ['workload', 'missing'], want: { workload: 'w' } },
    { name: 'no group_by: one group for the route', groupBy: [], want: {} },
  ])('$name', ({ groupBy, want }) => {
    const r = { ...root, groupBy };
    expect(groupLabelsFor(r, { workload: 'w', day: 'd', model: 'm' })).toEqual(want);
  });

  it('groups alerts by route and group labels; group key from keys.ts', () => {
    // Prepare
    const a = toAlert(makeFinding({ severity: 'warning', rule: 'verbose-output', labels: { model: 'm1' } }));
    const b = toAlert(
      makeFinding({ severity: 'warning', rule: 'cache-regression', labels: { model: 'm2' } }),
    );
    const c = toAlert(makeFinding({ severity: 'warning', labels: { workload: 'other' } }));
    const p = toAlert(makeFinding({ severity: 'page' }));
    const routed = [a, b, c, p].flatMap((alert) =>
      routesFor(root, alert.labels).map((r) => ({ route: r, alert })),
    );
    // Act
    const groups = groupAlerts(routed);
    // Assess
    const finops = groups.filter((g) => g.receiver === 'finops');
    expect(finops.map((g) => [g.groupLabels, g.alerts.length])).toEqual([
      [{ workload: 'other' }, 1],
      [{ workload: 'support-bot' }, 2],
    ]);
    const page = groups.find((g) => g.receiver === 'oncall')!;
    expect(page.groupKey).toBe(groupKey(route(p.labels).key, p.labels));
    expect(page.groupKey.startsWith('{}/{severity="page"}:')).toBe(true);
  });

  it('the same alert routed twice to one group is counted once', () => {
    const a = toAlert(makeFinding({ severity: 'warning' }));
    const r = route(a.labels);
    expect(
      groupAlerts([
        { route: r, alert: a },
        { route: r, alert: a },
      ])[0]!.alerts,
    ).toHaveLength(1);
  });
});
