import { describe, expect, it } from 'vitest';
import {
  compileRouteTree,
  type RouteSpec,
  repeatIntervalOf,
  routesFor,
} from '../../../../src/core/alerting/route-tree.js';
import { DAY_MS, HOUR_MS } from './fixtures.js';

const tree: RouteSpec = {
  receiver: 'finops',
  group_by: ['workload', 'day'],
  repeat_interval: '30d',
  routes: [
    { matchers: ['severity="page"'], receiver: 'oncall', continue: true, repeat_interval: '4h' },
    {
      matchers: ['workload=~"search-.*"'],
      receiver: 'search-team',
      group_by: ['workload', 'rule'],
      routes: [
        { matchers: ['model="claude-opus-4"'], receiver: 'search-premium' },
        { matchers: ['model!="claude-opus-4"', 'rule="verbose-output"'] },
      ],
    },
    { matchers: ['team!~"ml|data"'], receiver: 'other-teams' },
  ],
};

describe('routesFor', () => {
  const root = compileRouteTree(tree);
  it.each<{ name: string; labels: Record<string, string>; want: string[] }>([
    {
      name: 'no child matches: the root itself',
      labels: { severity: 'warning', workload: 'support-bot', team: 'ml' },
      want: ['finops'],
    },
    {
      name: 'continue: a page goes to on-call and keeps matching siblings',
      labels: { severity: 'page', workload: 'search-api', model: 'x', team: 'ml' },
      want: ['oncall', 'search-team'],
    },
    {
      name: 'first match wins without continue; the deepest matching child is the match',
      labels: { severity: 'warning', workload: 'search-api', model: 'claude-opus-4', team: 'ops' },
      want: ['search-premium'],
    },
    {
      name: 'a child without receiver inherits its parent receiver',
      labels: { severity: 'info', workload: 'search-api', model: 'nova', rule: 'verbose-output' },
      want: ['search-team'],
    },
    {
      name: '!~ matches a missing label (empty string)',
      labels: { severity: 'info', workload: 'etl' },
      want: ['other-teams'],
    },
    {
      name: 'continue on a page with no later sibling match falls back to nothing else',
      labels: { severity: 'page', workload: 'support-bot', team: 'ml' },
      want: ['oncall'],
    },
  ])('$name', ({ labels, want }) => {
    // Act
    const routes = routesFor(root, labels);
    // Assess
    expect(routes.map((r) => r.receiver)).toEqual(want);
  });

  it('children inherit group_by and repeat_interval unless they set them', () => {
    // Act
    const [oncall] = routesFor(root, { severity: 'page', workload: 'etl', team: 'ml' });
    const [verbose] = routesFor(root, { workload: 'search-a', model: 'nova', rule: 'verbose-output' });
    const [fallback] = routesFor(root, { team: 'ml' });
    // Assess
    expect(oncall).toMatchObject({ groupBy: ['workload', 'day'], repeatIntervalMs: 4 * HOUR_MS });
    expect(verbose).toMatchObject({ groupBy: ['workload', 'rule'], repeatIntervalMs: 30 * DAY_MS });
    expect(fallback).toMatchObject({ groupBy: ['workload', 'day'], repeatIntervalMs: 30 * DAY_MS });
  });

  it('route keys are paths of sorted matchers, stable under reordering of matchers', () => {
    // Prepare
    const a = compileRouteTree({ receiver: 'r', routes: [{ matchers: ['a="1"', 'b="2"'] }] });
    const b = compileRouteTree({ receiver: 'r', routes: [{ matchers: ['b="2"', 'a="1"'] }] });
    // Assess
    expect(a.routes[0]!.key).toBe('{}/{a="1", b="2"}');
    expect(b.routes[0]!.key).toBe(a.routes[0]!.key);
  });

  it('root defaults: group by workload; repeat by severity (page 1d, warning 7d, info 30d)', () => {
    const root = compileRouteTree({ receiver: 'r' });
    expect(root).toMatchObject({ groupBy: ['workload'], repeatIntervalMs: null });
    expect(repeatIntervalOf(root, 'page')).toBe(DAY_MS);
    expect(repeatIntervalOf(root, 'warning')).toBe(7 * DAY_MS);
    expect(repeatIntervalOf(root, 'info')).toBe(30 * DAY_MS);
    // A route's own repeat_interval applies to every severity.
    const set = compileRouteTree({ receiver: 'r', repeat_interval: '4h' });
    expect(repeatIntervalOf(set, 'page')).toBe(4 * HOUR_MS);
    expect(repeatIntervalOf(set, 'info')).toBe(4 * HOUR_MS);
  });

  it('rejects a root without receiver', () => {
    expect(() => compileRouteTree({})).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: routes: the root route must name a receiver]`,
    );
  });
});
